/**
 * Suspend/resume as a migration to and from a file. QEMU 7.2 has no `file:` migration URI (8.2
 * added it), so the stream goes through `exec:cat`; the path is ours (the instance directory)
 * and is single-quoted for the shell anyway. The guest is stopped first so the file holds one
 * consistent pass instead of iterating on dirty pages.
 */
import { rm } from 'node:fs/promises';
import type { QmpClient } from '../qmp/client.js';
import { pollMigration } from '../migration/progress.js';

export function shellQuote(path: string): string {
  return `'${path.replaceAll("'", `'\\''`)}'`;
}

export async function saveToFile(qmp: QmpClient, uuid: string, path: string, timeoutMs: number): Promise<void> {
  const { status } = await qmp.execute('query-status');
  // A file has no return path, and nobody continues a pre-switchover pause: undo what an
  // earlier live migration of this QEMU may have set.
  await qmp.execute('migrate-set-capabilities', {
    capabilities: [
      { capability: 'pause-before-switchover', state: false },
      { capability: 'return-path', state: false },
    ],
  });
  await qmp.execute('stop');
  try {
    await qmp.execute('migrate', { uri: `exec:cat > ${shellQuote(path)}` });
    await pollMigration(qmp, { uuid, timeoutMs, pollMs: 10 });
  } catch (err) {
    if (status === 'running') await qmp.execute('cont').catch(() => {});
    await rm(path, { force: true });
    throw err;
  }
}

/** On a QEMU started with `-incoming defer`: load the file, then run (it was stopped when saved). */
export async function restoreFromFile(qmp: QmpClient, uuid: string, path: string, timeoutMs: number): Promise<void> {
  await qmp.execute('migrate-incoming', { uri: `exec:cat ${shellQuote(path)}` });
  await pollMigration(qmp, { uuid, timeoutMs, pollMs: 10, waitingForSource: true });
  await qmp.execute('cont');
  await rm(path, { force: true });
}
