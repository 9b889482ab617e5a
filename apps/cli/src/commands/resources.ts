// `novakit volume …`, `flavor …`, `service …`, `hypervisor …`, `secgroup …`.
import type { Command } from 'commander';
import { CliError, ExitCode } from '../exit-codes.js';
import { fields, table } from '../output/output.js';
import { CommandContext, intOption, type CliDeps } from './context.js';
import { securityGroupId, volumeId } from './resolve.js';

interface VolumeJson {
  id: string;
  status: string;
  size: number;
  displayName: string | null;
  attachments: { serverId?: string; device?: string | null }[];
  createdAt: string;
}
interface FlavorJson {
  id: string;
  name: string;
  ram: number;
  vcpus: number;
  disk: number;
  'OS-FLV-EXT-DATA:ephemeral': number;
  swap: number | '';
  'os-flavor-access:is_public': boolean;
}
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
interface RuleJson {
  id: number;
  ip_protocol: string | null;
  from_port: number | null;
  to_port: number | null;
  ip_range: { cidr?: string };
  group: { name?: string | null };
}
interface GroupJson {
  id: number;
  name: string;
  description: string | null;
  rules: RuleJson[];
}

const attachedTo = (v: VolumeJson) => v.attachments.filter((a) => a.serverId).map((a) => `${a.serverId} ${a.device ?? ''}`.trim()).join(', ');
const ruleText = (r: RuleJson) => `${r.ip_protocol ?? 'any'} ${r.from_port ?? ''}${r.to_port !== r.from_port ? `-${r.to_port}` : ''} from ${r.ip_range.cidr ?? r.group.name ?? '?'}`;

export function registerResourceCommands(program: Command, deps: CliDeps): void {
  const cx = (cmd: Command) => new CommandContext(deps, cmd.optsWithGlobals());

  // --- volumes -------------------------------------------------------------------------------
  const volume = program.command('volume').description('volumes (sparse files standing in for block storage)');
  volume
    .command('create <name>')
    .description('create a volume')
    .requiredOption('--size <gb>', 'size in GB')
    .option('--description <text>', 'a description')
    .action(async (name: string, o: { size: string; description?: string }, cmd: Command) => {
      const c = cx(cmd);
      const body = { volume: { size: intOption('size', o.size)!, display_name: name, ...(o.description ? { display_description: o.description } : {}) } };
      const { volume: v } = await (await c.client()).post<{ volume: VolumeJson }>('/v2.1/os-volumes', body);
      c.print(() => fields([['id', v.id], ['name', v.displayName], ['size', `${v.size} GB`], ['status', v.status]]), v);
    });
  volume
    .command('list')
    .description('list your volumes')
    .action(async (_o: unknown, cmd: Command) => {
      const c = cx(cmd);
      const { volumes } = await (await c.client()).get<{ volumes: VolumeJson[] }>('/v2.1/os-volumes/detail');
      c.print(() => table(['ID', 'Name', 'Size (GB)', 'Status', 'Attached to'], volumes.map((v) => [v.id, v.displayName, v.size, v.status, attachedTo(v)])), volumes);
    });
  volume
    .command('show <volume>')
    .description('show a volume (id or name)')
    .action(async (ref: string, _o: unknown, cmd: Command) => {
      const c = cx(cmd);
      const client = await c.client();
      const { volume: v } = await client.get<{ volume: VolumeJson }>(`/v2.1/os-volumes/${await volumeId(client, ref)}`);
      c.print(() => fields([['id', v.id], ['name', v.displayName], ['size', `${v.size} GB`], ['status', v.status], ['attached to', attachedTo(v)], ['created', v.createdAt]]), v);
    });
  volume
    .command('delete <volume>')
    .description('delete a volume that is not attached')
    .action(async (ref: string, _o: unknown, cmd: Command) => {
      const c = cx(cmd);
      const client = await c.client();
      const id = await volumeId(client, ref);
      await client.delete(`/v2.1/os-volumes/${id}`);
      c.print(() => `deleted volume ${id}\n`, { id, deleted: true });
    });

  // --- flavors -------------------------------------------------------------------------------
  const flavor = program.command('flavor').description('flavors (server sizes)');
  const flavorRow = (f: FlavorJson) => [f.id, f.name, f.ram, f.vcpus, f.disk, f['OS-FLV-EXT-DATA:ephemeral'], f.swap, f['os-flavor-access:is_public']];
  const FLAVOR_COLUMNS = ['ID', 'Name', 'RAM (MB)', 'vCPUs', 'Disk (GB)', 'Ephemeral', 'Swap', 'Public'];
  flavor
    .command('list')
    .description('list flavors')
    .action(async (_o: unknown, cmd: Command) => {
      const c = cx(cmd);
      const { flavors } = await (await c.client()).get<{ flavors: FlavorJson[] }>('/v2.1/flavors/detail');
      // People read sizes smallest first (the API sorts by id, as text).
      const bySize = [...flavors].sort((a, b) => a.ram - b.ram || a.vcpus - b.vcpus || a.id.localeCompare(b.id));
      c.print(() => table(FLAVOR_COLUMNS, bySize.map(flavorRow)), flavors);
    });
  flavor
    .command('create <name>')
    .description('create a flavor (admin)')
    .requiredOption('--ram <mb>', 'memory in MB')
    .requiredOption('--vcpus <n>', 'virtual CPUs')
    .requiredOption('--disk <gb>', 'root disk in GB (0: none)')
    .option('--id <id>', 'flavor id (default: a new UUID)')
    .option('--ephemeral <gb>', 'ephemeral disk in GB')
    .option('--swap <mb>', 'swap in MB')
    .option('--private', 'not public')
    .action(async (name: string, o: { ram: string; vcpus: string; disk: string; id?: string; ephemeral?: string; swap?: string; private?: boolean }, cmd: Command) => {
      const c = cx(cmd);
      const body = {
        flavor: {
          name,
          ram: intOption('ram', o.ram)!,
          vcpus: intOption('vcpus', o.vcpus)!,
          disk: intOption('disk', o.disk, 0)!,
          ...(o.id ? { id: o.id } : {}),
          ...(o.ephemeral ? { 'OS-FLV-EXT-DATA:ephemeral': intOption('ephemeral', o.ephemeral, 0)! } : {}),
          ...(o.swap ? { swap: intOption('swap', o.swap, 0)! } : {}),
          ...(o.private ? { 'os-flavor-access:is_public': false } : {}),
        },
      };
      const { flavor: f } = await (await c.client()).post<{ flavor: FlavorJson }>('/v2.1/flavors', body);
      c.print(() => table(FLAVOR_COLUMNS, [flavorRow(f)]), f);
    });

  // --- services ------------------------------------------------------------------------------
  const service = program.command('service').description('novakit services: computes and conductors (admin)');
  service
    .command('list')
    .description('list services with their state')
    .option('--host <host>', 'only this host')
    .option('--binary <binary>', 'only this binary (nova-compute, nova-conductor)')
    .action(async (o: { host?: string; binary?: string }, cmd: Command) => {
      const c = cx(cmd);
      const q = new URLSearchParams(Object.entries(o).filter(([, v]) => v !== undefined) as [string, string][]);
      const { services } = await (await c.client()).get<{ services: ServiceJson[] }>(`/v2.1/os-services${q.size ? `?${q}` : ''}`);
      c.print(() => table(['ID', 'Binary', 'Host', 'Zone', 'Status', 'State', 'Updated', 'Disabled reason'], services.map((s) => [s.id, s.binary, s.host, s.zone, s.status, s.state, s.updated_at, s.disabled_reason])), services);
    });
  for (const verb of ['enable', 'disable'] as const) {
    service
      .command(`${verb} <host>`)
      .description(verb === 'enable' ? 'let the scheduler place servers on a host again' : 'keep the scheduler from placing servers on a host')
      .option('--binary <binary>', 'the service', 'nova-compute')
      .option(...((verb === 'disable' ? ['--reason <text>', 'why (shown in service list)'] : ['--reason <text>', '(ignored)']) as [string, string]))
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

  // --- hypervisors ---------------------------------------------------------------------------
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

  // --- security groups -----------------------------------------------------------------------
  const secgroup = program.command('secgroup').description('security groups and their rules');
  secgroup
    .command('list')
    .description("list your project's security groups")
    .action(async (_o: unknown, cmd: Command) => {
      const c = cx(cmd);
      const { security_groups } = await (await c.client()).get<{ security_groups: GroupJson[] }>('/v2.1/os-security-groups');
      c.print(() => table(['ID', 'Name', 'Description', 'Rules'], security_groups.map((g) => [g.id, g.name, g.description, g.rules.map(ruleText).join('; ')])), security_groups);
    });
  secgroup
    .command('create <name>')
    .description('create a security group')
    .option('--description <text>', 'a description', '')
    .action(async (name: string, o: { description: string }, cmd: Command) => {
      const c = cx(cmd);
      const { security_group: g } = await (await c.client()).post<{ security_group: GroupJson }>('/v2.1/os-security-groups', { security_group: { name, description: o.description } });
      c.print(() => fields([['id', g.id], ['name', g.name], ['description', g.description]]), g);
    });
  secgroup
    .command('show <group>')
    .description('show a group (id or name) with its rules')
    .action(async (ref: string, _o: unknown, cmd: Command) => {
      const c = cx(cmd);
      const client = await c.client();
      const { security_group: g } = await client.get<{ security_group: GroupJson }>(`/v2.1/os-security-groups/${await securityGroupId(client, ref)}`);
      c.print(() => fields([['id', g.id], ['name', g.name], ['description', g.description]]) + table(['Rule', 'Protocol', 'Ports', 'From'], g.rules.map((r) => [r.id, r.ip_protocol, `${r.from_port}-${r.to_port}`, r.ip_range.cidr ?? r.group.name])), g);
    });
  secgroup
    .command('delete <group>')
    .description('delete a security group no server uses')
    .action(async (ref: string, _o: unknown, cmd: Command) => {
      const c = cx(cmd);
      const client = await c.client();
      const id = await securityGroupId(client, ref);
      await client.delete(`/v2.1/os-security-groups/${id}`);
      c.print(() => `deleted security group ${id}\n`, { id, deleted: true });
    });
  const rule = secgroup.command('rule').description('rules of a security group');
  rule
    .command('create <group>')
    .description('open a port range to a CIDR (or to members of another group)')
    .requiredOption('--protocol <p>', 'tcp, udp or icmp')
    .option('--port <from[:to]>', 'port or range (icmp: type:code, default -1:-1)')
    .option('--cidr <cidr>', 'source addresses', '0.0.0.0/0')
    .option('--from-group <group>', 'members of this group instead of a CIDR')
    .action(async (ref: string, o: { protocol: string; port?: string; cidr: string; fromGroup?: string }, cmd: Command) => {
      const c = cx(cmd);
      const client = await c.client();
      const m = /^(-?\d+)(?::(-?\d+))?$/.exec(o.port ?? (o.protocol === 'icmp' ? '-1:-1' : ''));
      if (!m) throw new CliError('--port must be a port or from:to', ExitCode.USAGE);
      const body = {
        security_group_rule: {
          parent_group_id: await securityGroupId(client, ref),
          ip_protocol: o.protocol,
          from_port: Number(m[1]),
          to_port: Number(m[2] ?? m[1]),
          ...(o.fromGroup ? { group_id: await securityGroupId(client, o.fromGroup) } : { cidr: o.cidr }),
        },
      };
      const { security_group_rule: r } = await client.post<{ security_group_rule: RuleJson }>('/v2.1/os-security-group-rules', body);
      c.print(() => `rule ${r.id}: ${ruleText(r)}\n`, r);
    });
  rule
    .command('delete <rule-id>')
    .description('delete a rule')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const c = cx(cmd);
      await (await c.client()).delete(`/v2.1/os-security-group-rules/${encodeURIComponent(id)}`);
      c.print(() => `deleted rule ${id}\n`, { id, deleted: true });
    });
}
