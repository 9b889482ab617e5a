// `novakit volume …`: the file-backed volumes.
import type { Command } from 'commander';
import { fields, table } from '../output/output.js';
import { contextFor, intOption, type CliDeps } from './context.js';
import { volumeId } from './resolve.js';

interface VolumeJson {
  id: string;
  status: string;
  size: number;
  displayName: string | null;
  attachments: { serverId?: string; device?: string | null }[];
  createdAt: string;
}

const attachedTo = (v: VolumeJson) => v.attachments.filter((a) => a.serverId).map((a) => `${a.serverId} ${a.device ?? ''}`.trim()).join(', ');

export function registerVolumeCommands(program: Command, deps: CliDeps): void {
  const cx = contextFor(deps);

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
}
