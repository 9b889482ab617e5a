// `novakit service …` and `novakit hypervisor …` (admin).
import type { Command } from 'commander';
import { fields, table } from '../output/output.js';
import { contextFor, queryOf, type CliDeps } from './context.js';

interface ServiceJson {
  id: number;
  binary: string;
  host: string;
  zone: string;
  status: string;
  state: string;
  updated_at: string | null;
  disabled_reason: string | null;
}

export function registerOperatorCommands(program: Command, deps: CliDeps): void {
  const cx = contextFor(deps);

  const service = program.command('service').description('novakit services: computes and conductors (admin)');
  service
    .command('list')
    .description('list services with their state')
    .option('--host <host>', 'only this host')
    .option('--binary <binary>', 'only this binary (nova-compute, nova-conductor)')
    .action(async (o: { host?: string; binary?: string }, cmd: Command) => {
      const c = cx(cmd);
      const { services } = await (await c.client()).get<{ services: ServiceJson[] }>(`/v2.1/os-services${queryOf(o)}`);
      c.print(() => table(['ID', 'Binary', 'Host', 'Zone', 'Status', 'State', 'Updated', 'Disabled reason'], services.map((s) => [s.id, s.binary, s.host, s.zone, s.status, s.state, s.updated_at, s.disabled_reason])), services);
    });
  for (const verb of ['enable', 'disable'] as const) {
    service
      .command(`${verb} <host>`)
      .description(verb === 'enable' ? 'let the scheduler place servers on a host again' : 'keep the scheduler from placing servers on a host')
      .option('--binary <binary>', 'the service', 'nova-compute')
      .option('--reason <text>', verb === 'disable' ? 'why (shown in service list)' : '(ignored)')
      .action(async (host: string, o: { binary: string; reason?: string }, cmd: Command) => {
        const c = cx(cmd);
        const path = verb === 'enable' ? 'enable' : o.reason ? 'disable-log-reason' : 'disable';
        const { service: s } = await (await c.client()).put<{ service: { host: string; binary: string; status: string } }>(`/v2.1/os-services/${path}`, {
          host,
          binary: o.binary,
          ...(verb === 'disable' && o.reason ? { disabled_reason: o.reason } : {}),
        });
        c.print(() => `${s.binary} on ${s.host} is ${s.status}\n`, s);
      });
  }

  const hypervisor = program.command('hypervisor').description('compute nodes and their resources (admin)');
  hypervisor
    .command('list')
    .description('list hypervisors with their use')
    .action(async (_o: unknown, cmd: Command) => {
      const c = cx(cmd);
      const { hypervisors } = await (await c.client()).get<{ hypervisors: Record<string, unknown>[] }>('/v2.1/os-hypervisors/detail');
      const cols = ['id', 'hypervisor_hostname', 'hypervisor_type', 'state', 'status', 'vcpus_used', 'vcpus', 'memory_mb_used', 'memory_mb', 'running_vms'];
      c.print(() => table(['ID', 'Hostname', 'Type', 'State', 'Status', 'vCPUs used', 'vCPUs', 'RAM used (MB)', 'RAM (MB)', 'VMs'], hypervisors.map((h) => cols.map((k) => h[k]))), hypervisors);
    });
  hypervisor
    .command('show <hypervisor>')
    .description('show a hypervisor (id or hostname) with its resources')
    .action(async (ref: string, _o: unknown, cmd: Command) => {
      const c = cx(cmd);
      const { hypervisor: h } = await (await c.client()).get<{ hypervisor: Record<string, unknown> }>(`/v2.1/os-hypervisors/${encodeURIComponent(ref)}`);
      c.print(() => fields(Object.entries(h)), h);
    });
}
