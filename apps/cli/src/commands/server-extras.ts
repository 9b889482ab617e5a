// `novakit server volume …`, `diagnostics`, `console`, `actions`, `secgroup add|remove`.
import type { Command } from 'commander';
import { fields, table } from '../output/output.js';
import { contextFor, intOption, type CliDeps } from './context.js';
import { serverId, volumeId } from './resolve.js';

interface Attachment {
  id: string;
  serverId: string;
  volumeId: string;
  device: string | null;
}

interface ActionJson {
  action: string;
  request_id: string;
  start_time: string | null;
  message: string | null;
  user_id: string | null;
  events?: { event: string; start_time: string | null; finish_time: string | null; result: string | null; host: string | null }[];
}

export function registerServerExtras(server: Command, deps: CliDeps): void {
  const cx = contextFor(deps);
  const volume = server.command('volume').description("a server's volumes");

  volume
    .command('attach <server> <volume>')
    .description('attach a volume (id or name) to a server')
    .option('--device <path>', 'device name, e.g. /dev/vdc (default: the next free one)')
    .action(async (sref: string, vref: string, o: { device?: string }, cmd: Command) => {
      const c = cx(cmd);
      const client = await c.client();
      const body = { volumeAttachment: { volumeId: await volumeId(client, vref), ...(o.device ? { device: o.device } : {}) } };
      const { volumeAttachment: a } = await client.post<{ volumeAttachment: Attachment }>(`/v2.1/servers/${await serverId(client, sref)}/os-volume_attachments`, body);
      c.print(() => `attached volume ${a.volumeId} to server ${a.serverId} as ${a.device}\n`, a);
    });

  volume
    .command('detach <server> <volume>')
    .description('detach a volume from a server')
    .action(async (sref: string, vref: string, _o: unknown, cmd: Command) => {
      const c = cx(cmd);
      const client = await c.client();
      const [sid, vid] = [await serverId(client, sref), await volumeId(client, vref)];
      await client.delete(`/v2.1/servers/${sid}/os-volume_attachments/${vid}`);
      c.print(() => `detaching volume ${vid} from server ${sid}\n`, { serverId: sid, volumeId: vid, detaching: true });
    });

  volume
    .command('list <server>')
    .description("list a server's volumes")
    .action(async (sref: string, _o: unknown, cmd: Command) => {
      const c = cx(cmd);
      const client = await c.client();
      const { volumeAttachments } = await client.get<{ volumeAttachments: Attachment[] }>(`/v2.1/servers/${await serverId(client, sref)}/os-volume_attachments`);
      c.print(() => table(['Volume', 'Device'], volumeAttachments.map((a) => [a.volumeId, a.device])), volumeAttachments);
    });

  server
    .command('diagnostics <server>')
    .description("the hypervisor's counters for a running server (admin)")
    .action(async (sref: string, _o: unknown, cmd: Command) => {
      const c = cx(cmd);
      const client = await c.client();
      const diag = await client.get<Record<string, unknown>>(`/v2.1/servers/${await serverId(client, sref)}/diagnostics`);
      c.print(() => fields(Object.entries(diag)), diag);
    });

  server
    .command('console <server>')
    .description("the server's console output")
    .option('--lines <n>', 'only the last n lines')
    .action(async (sref: string, o: { lines?: string }, cmd: Command) => {
      const c = cx(cmd);
      const client = await c.client();
      const length = intOption('lines', o.lines) ?? null;
      const { output } = await client.post<{ output: string }>(`/v2.1/servers/${await serverId(client, sref)}/action`, { 'os-getConsoleOutput': { length } });
      c.print(() => (output.endsWith('\n') || output === '' ? output : `${output}\n`), { output });
    });

  server
    .command('actions <server>')
    .description('what was done to a server, newest first, with the steps each took')
    .action(async (sref: string, _o: unknown, cmd: Command) => {
      const c = cx(cmd);
      const client = await c.client();
      const id = await serverId(client, sref);
      const { instanceActions } = await client.get<{ instanceActions: ActionJson[] }>(`/v2.1/servers/${id}/os-instance-actions`);
      const detailed = await Promise.all(
        instanceActions.map(async (a) => (await client.get<{ instanceAction: ActionJson }>(`/v2.1/servers/${id}/os-instance-actions/${a.request_id}`)).instanceAction),
      );
      const rows = detailed.flatMap((a) => [
        [a.action, a.start_time, a.message ?? '', '', '', a.request_id],
        ...(a.events ?? []).map((e) => [`  ${e.event}`, e.start_time, e.result ?? 'running', e.host ?? '', e.finish_time ?? '', '']),
      ]);
      c.print(() => table(['Action / event', 'Started', 'Result', 'Host', 'Finished', 'Request'], rows), detailed);
    });

  const secgroup = server.command('secgroup').description("a server's security groups");
  for (const [verb, action] of [
    ['add', 'addSecurityGroup'],
    ['remove', 'removeSecurityGroup'],
  ] as const) {
    secgroup
      .command(`${verb} <server> <group>`)
      .description(`${verb} a security group ${verb === 'add' ? 'to' : 'from'} a server`)
      .action(async (sref: string, group: string, _o: unknown, cmd: Command) => {
        const c = cx(cmd);
        const client = await c.client();
        const id = await serverId(client, sref);
        await client.post(`/v2.1/servers/${id}/action`, { [action]: { name: group } });
        c.print(() => `${verb === 'add' ? 'added' : 'removed'} security group ${group} ${verb === 'add' ? 'to' : 'from'} server ${id}\n`, { id, group, [verb]: true });
      });
  }
}
