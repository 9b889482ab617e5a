// `novakit secgroup …`: security groups and their rules.
import type { Command } from 'commander';
import { CliError, ExitCode } from '../exit-codes.js';
import { fields, table } from '../output/output.js';
import { contextFor, type CliDeps } from './context.js';
import { securityGroupId } from './resolve.js';

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

const groupFields = (g: GroupJson) => fields([['id', g.id], ['name', g.name], ['description', g.description]]);
/** `80`, `80-81`, or `any` for a rule without ports (a group-to-group rule of any protocol). */
const portRange = (r: RuleJson) =>
  r.from_port === null && r.to_port === null ? 'any' : r.from_port === r.to_port ? String(r.from_port) : `${r.from_port ?? ''}-${r.to_port ?? ''}`;
const ruleSource = (r: RuleJson) => r.ip_range.cidr ?? r.group.name ?? '?';
const ruleText = (r: RuleJson) => `${r.ip_protocol ?? 'any'} ${portRange(r)} from ${ruleSource(r)}`;

export function registerSecgroupCommands(program: Command, deps: CliDeps): void {
  const cx = contextFor(deps);

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
      c.print(() => groupFields(g), g);
    });
  secgroup
    .command('show <group>')
    .description('show a group (id or name) with its rules')
    .action(async (ref: string, _o: unknown, cmd: Command) => {
      const c = cx(cmd);
      const client = await c.client();
      const { security_group: g } = await client.get<{ security_group: GroupJson }>(`/v2.1/os-security-groups/${await securityGroupId(client, ref)}`);
      c.print(() => groupFields(g) + table(['Rule', 'Protocol', 'Ports', 'From'], g.rules.map((r) => [r.id, r.ip_protocol ?? 'any', portRange(r), ruleSource(r)])), g);
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
