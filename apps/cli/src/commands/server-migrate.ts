// `novakit server migrate --live`: ask for the live migration, then follow it with a progress
// bar until the server has no task. The bar shows what the source compute records: the phase
// of the migration record (preparing, running …) and, when a compute reports them, the byte
// counters or the server's progress; without those it runs as an indeterminate bar.
import { Option, type Command } from 'commander';
import { ApiError, type ApiClient } from '../client/api-client.js';
import { CliError, ExitCode } from '../exit-codes.js';
import { ProgressBar } from '../output/progress.js';
import { contextFor, type CliDeps } from './context.js';
import { serverId } from './resolve.js';
import { showServer } from './server.js';
import { serverFields, type ServerJson } from './server-view.js';

interface MigrationJson {
  status: string | null;
  dest_compute: string | null;
  memory_total_bytes: number | null;
  memory_processed_bytes: number | null;
}

interface Snapshot {
  readonly server: ServerJson;
  readonly migration: MigrationJson | null;
}

/** The migration in progress, or null (none, or the token may not see migrations). */
async function migrationOf(client: ApiClient, id: string): Promise<MigrationJson | null> {
  try {
    return (await client.get<{ migrations: MigrationJson[] }>(`/v2.1/servers/${id}/migrations`)).migrations[0] ?? null;
  } catch (e) {
    if (e instanceof ApiError && (e.status === 403 || e.status === 404)) return null;
    throw e;
  }
}

/** Percent done, or null when nothing measurable was reported. */
export function percentOf(s: Snapshot): number | null {
  const m = s.migration;
  if (m?.memory_total_bytes && m.memory_processed_bytes !== null) return (100 * m.memory_processed_bytes) / m.memory_total_bytes;
  if (s.server.progress > 0 && s.server.progress < 100) return s.server.progress;
  if (m?.status === 'preparing') return 5;
  return null;
}

function blockMigration(v: string): boolean | 'auto' {
  return v === 'auto' ? 'auto' : v === 'true';
}

export function registerMigrateCommand(server: Command, deps: CliDeps): void {
  const cx = contextFor(deps);
  server
    .command('migrate <server>')
    .description('live-migrate a server to another host, following it with a progress bar (admin)')
    .option('--live', 'live migration (the only kind novakit does)')
    .option('--host <host>', 'destination host (default: the scheduler chooses)')
    .addOption(new Option('--block-migration <mode>', 'copy the disks too: auto decides by shared storage').choices(['auto', 'true', 'false']).default('auto'))
    .option('--no-wait', 'return once the migration was accepted')
    .option('--timeout <seconds>', 'how long to follow it', '900')
    .action(async (ref: string, o: { live?: boolean; host?: string; blockMigration: string; wait: boolean; timeout: string }, cmd: Command) => {
      const c = cx(cmd);
      if (!o.live) throw new CliError('only live migration is supported: pass --live', ExitCode.USAGE);
      const client = await c.client();
      const id = await serverId(client, ref);
      const before = await showServer(client, id);
      const source = before['OS-EXT-SRV-ATTR:host'];
      const label = before.name ?? id;
      await client.post(`/v2.1/servers/${id}/action`, { 'os-migrateLive': { host: o.host ?? null, block_migration: blockMigration(o.blockMigration) } });
      if (!o.wait) {
        c.print(() => `live migration of ${label} from ${source} accepted\n`, { id, source, accepted: true });
        return;
      }
      const bar = c.opts.json ? null : new ProgressBar(c.io, `migrating ${label}`);
      const end = await c.waitFor<Snapshot>(
        `the live migration of ${id}`,
        async () => ({ server: await showServer(client, id), migration: await migrationOf(client, id) }),
        (s) => s.server['OS-EXT-STS:task_state'] !== 'migrating',
        Number(o.timeout),
        (s) => bar?.update(percentOf(s), s.migration?.status ?? (s.server['OS-EXT-STS:task_state'] === 'migrating' ? 'starting' : 'finishing')),
      );
      const dest = end.server['OS-EXT-SRV-ATTR:host'];
      if (dest === source || end.server.status === 'ERROR') {
        bar?.done(`live migration of ${label} failed`);
        throw new CliError(`live migration of ${id} did not complete: it is ${end.server.status} on ${dest} (see \`novakit server actions ${id}\`)`, ExitCode.OPERATION_FAILED);
      }
      bar?.done(`migrated ${label} from ${source} to ${dest}`);
      c.print(() => serverFields(end.server), { ...end.server, migrated_from: source });
    });
}
