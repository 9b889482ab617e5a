/**
 * Following a migration with `query-migrate`: QEMU has no "done" reply for `migrate`, so the
 * caller polls (20 ms keeps the observed end within a few ms of QEMU's own total-time).
 * Used by live migration and by suspend/resume, which is a migration to and from a file.
 */
import { MigrationFailed, QmpTimeout } from '../errors.js';
import type { QmpClient } from '../qmp/client.js';
import type { MigrationInfo, MigrationStatus } from '../qmp/commands.js';

export interface MigrationProgress {
  status: MigrationStatus | 'none';
  transferredBytes: number;
  remainingBytes: number;
  totalBytes: number;
  elapsedMs: number;
}

export interface PollMigrationOptions {
  /** Who migrates, for errors. */
  uuid: string;
  pollMs?: number;
  timeoutMs?: number;
  /** Statuses that end the wait successfully (default: completed). */
  until?: MigrationStatus[];
  onProgress?: (progress: MigrationProgress) => void;
  /** A destination reports no status until the source connects: then 'none' is not a failure. */
  waitingForSource?: boolean;
}

export function progressOf(info: MigrationInfo, startedAt: number): MigrationProgress {
  return {
    status: info.status ?? 'none',
    transferredBytes: info.ram?.transferred ?? 0,
    remainingBytes: info.ram?.remaining ?? 0,
    totalBytes: info.ram?.total ?? 0,
    elapsedMs: Date.now() - startedAt,
  };
}

export async function pollMigration(qmp: QmpClient, options: PollMigrationOptions): Promise<MigrationInfo> {
  const until = options.until ?? ['completed'];
  const timeoutMs = options.timeoutMs ?? 600_000;
  const startedAt = Date.now();
  for (;;) {
    const info = await qmp.execute('query-migrate');
    const status = info.status ?? 'none';
    options.onProgress?.(progressOf(info, startedAt));
    if ((until as string[]).includes(status)) return info;
    if (status === 'failed' || status === 'cancelled' || (status === 'none' && !options.waitingForSource)) {
      throw new MigrationFailed({ uuid: options.uuid, status, reason: info['error-desc'] ?? 'no migration in progress' });
    }
    if (Date.now() - startedAt > timeoutMs) {
      throw new QmpTimeout({ label: options.uuid, waitingFor: `migration status ${until.join('/')}`, timeoutMs });
    }
    await new Promise((r) => setTimeout(r, options.pollMs ?? 20));
  }
}
