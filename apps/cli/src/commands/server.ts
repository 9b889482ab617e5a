// `novakit server …`: create, list, show, delete and the power actions, each optionally
// waiting until the compute has finished (the API answers before: the work is a cast).
import type { Command } from 'commander';
import { CliError, ExitCode } from '../exit-codes.js';
import { ApiError, type ApiClient } from '../client/api-client.js';
import { contextFor, queryOf, type CommandContext, type CliDeps } from './context.js';
import { flavorId, serverId } from './resolve.js';
import { serverFields, serverTable, type ServerJson } from './server-view.js';

export const showServer = async (client: ApiClient, id: string): Promise<ServerJson> => (await client.get<{ server: ServerJson }>(`/v2.1/servers/${id}`)).server;

/** Waits until the server has no task; OPERATION_FAILED when it lands in ERROR or not in `want`. */
export async function settle(cx: CommandContext, id: string, want: readonly string[], timeoutS: number): Promise<ServerJson> {
  const client = await cx.client();
  const s = await cx.waitFor(`server ${id} to settle`, () => showServer(client, id), (v) => v['OS-EXT-STS:task_state'] === null && v.status !== 'BUILD', timeoutS);
  if (!want.includes(s.status)) {
    throw new CliError(`server ${id} is ${s.status}${s.fault ? `: ${s.fault.message}` : ''} (see \`novakit server actions ${id}\`)`, ExitCode.OPERATION_FAILED);
  }
  return s;
}

const POWER_ACTIONS: readonly [name: string, body: Record<string, unknown>, settlesAs: string, help: string][] = [
  ['stop', { 'os-stop': null }, 'SHUTOFF', 'power a server off'],
  ['start', { 'os-start': null }, 'ACTIVE', 'power a server on'],
  ['pause', { pause: null }, 'PAUSED', 'pause a server (kept in memory)'],
  ['unpause', { unpause: null }, 'ACTIVE', 'unpause a server'],
  ['suspend', { suspend: null }, 'SUSPENDED', 'suspend a server (saved to disk)'],
  ['resume', { resume: null }, 'ACTIVE', 'resume a suspended server'],
];

export function registerServerCommands(server: Command, deps: CliDeps): void {
  const cx = contextFor(deps);

  server
    .command('create <name>')
    .description('create a server (the scheduler picks a host unless --host)')
    .requiredOption('--flavor <flavor>', 'flavor id or name (see `novakit flavor list`)')
    .option('--image <image>', 'image id (none: a server without an image)')
    .option('--network <id>', 'attach to this network (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--security-group <name>', 'join this security group (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--host <host>', 'put it on this compute host (admin)')
    .option('--wait', 'wait until it is ACTIVE (or failed)')
    .option('--timeout <seconds>', 'how long --wait waits', '300')
    .action(async (name: string, o: { flavor: string; image?: string; network: string[]; securityGroup: string[]; host?: string; wait?: boolean; timeout: string }, cmd: Command) => {
      const c = cx(cmd);
      const client = await c.client();
      const body = {
        server: {
          name,
          flavorRef: await flavorId(client, o.flavor),
          ...(o.image ? { imageRef: o.image } : {}),
          ...(o.network.length ? { networks: o.network.map((uuid) => ({ uuid })) } : {}),
          ...(o.securityGroup.length ? { security_groups: o.securityGroup.map((g) => ({ name: g })) } : {}),
          ...(o.host ? { availability_zone: `nova:${o.host}` } : {}),
        },
      };
      const { server: created } = await client.post<{ server: { id: string } }>('/v2.1/servers', body);
      const s = o.wait ? await settle(c, created.id, ['ACTIVE'], Number(o.timeout)) : await showServer(client, created.id);
      c.print(() => serverFields(s), s);
    });

  server
    .command('list')
    .description('list your servers')
    .option('--status <status>', 'only servers in this status (ACTIVE, SHUTOFF, ERROR …)')
    .option('--name <text>', 'only servers whose name contains this')
    .option('--host <host>', 'only servers on this host (admin)')
    .action(async (o: { status?: string; name?: string; host?: string }, cmd: Command) => {
      const c = cx(cmd);
      const { servers } = await (await c.client()).get<{ servers: ServerJson[] }>(`/v2.1/servers/detail${queryOf(o)}`);
      c.print(() => serverTable(servers), servers);
    });

  server
    .command('show <server>')
    .description('show a server (id or name)')
    .action(async (ref: string, _o: unknown, cmd: Command) => {
      const c = cx(cmd);
      const client = await c.client();
      const s = await showServer(client, await serverId(client, ref));
      c.print(() => serverFields(s), s);
    });

  server
    .command('delete <server>')
    .description('delete a server')
    .option('--wait', 'wait until it is gone')
    .option('--timeout <seconds>', 'how long --wait waits', '300')
    .action(async (ref: string, o: { wait?: boolean; timeout: string }, cmd: Command) => {
      const c = cx(cmd);
      const client = await c.client();
      const id = await serverId(client, ref);
      await client.delete(`/v2.1/servers/${id}`);
      if (o.wait) {
        await c.waitFor(`server ${id} to be deleted`, () => showServer(client, id).then(() => false, (e: unknown) => (e instanceof ApiError && e.status === 404 ? true : Promise.reject(e))), (gone) => gone, Number(o.timeout));
      }
      c.print(() => `deleted server ${id}\n`, { id, deleted: true });
    });

  server
    .command('reboot <server>')
    .description('reboot a server')
    .option('--hard', 'reset it instead of asking the guest')
    .option('--wait', 'wait until it is ACTIVE again')
    .option('--timeout <seconds>', 'how long --wait waits', '300')
    .action(async (ref: string, o: { hard?: boolean; wait?: boolean; timeout: string }, cmd: Command) => {
      await runAction(cx(cmd), ref, { reboot: { type: o.hard ? 'HARD' : 'SOFT' } }, 'ACTIVE', o);
    });

  for (const [name, body, settlesAs, help] of POWER_ACTIONS) {
    server
      .command(`${name} <server>`)
      .description(help)
      .option('--wait', `wait until it is ${settlesAs}`)
      .option('--timeout <seconds>', 'how long --wait waits', '300')
      .action(async (ref: string, o: { wait?: boolean; timeout: string }, cmd: Command) => runAction(cx(cmd), ref, body, settlesAs, o));
  }
}

async function runAction(c: CommandContext, ref: string, body: Record<string, unknown>, settlesAs: string, o: { wait?: boolean; timeout: string }): Promise<void> {
  const client = await c.client();
  const id = await serverId(client, ref);
  await client.post(`/v2.1/servers/${id}/action`, body);
  const s = o.wait ? await settle(c, id, [settlesAs], Number(o.timeout)) : await showServer(client, id);
  c.print(() => serverFields(s), s);
}
