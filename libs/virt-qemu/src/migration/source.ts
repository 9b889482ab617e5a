/**
 * The source half of a live migration. Pre-copy over TCP; with a block target (storage not
 * shared) the root disk is first mirrored into the destination's NBD export, the way libvirt
 * does it: blockdev-mirror until READY, `migrate` with pause-before-switchover, and at the
 * pause (guest stopped, no more writes) cancel the READY mirror, which leaves the target an
 * exact copy, then continue to switchover. QEMU 7.2's older `block` migration capability is
 * deprecated and hung here with -blockdev disks, so it is not used.
 *
 * On any failure the migration is cancelled, the mirror and NBD node are removed, and the
 * source keeps (or goes back to) running: QEMU itself resumes a source whose migration failed.
 */
import { MigrationFailed } from '../errors.js';
import type { Guest } from '../guest/guest.js';
import type { InstanceRecord } from '../guest/instance-dir.js';
import type { ImageTool } from '../host/images.js';
import type { QmpClient } from '../qmp/client.js';
import type { IncomingEndpoint } from './destination.js';
import { MIRROR_NODE } from './destination.js';
import { pollMigration, type MigrationProgress } from './progress.js';

export interface LiveMigrationOptions {
  endpoint: IncomingEndpoint;
  /** Bytes per second; QEMU's default cap is 128 MiB/s, far below loopback or LAN speed. */
  maxBandwidth?: number;
  /** Longest pause QEMU aims for at switchover. */
  downtimeLimitMs?: number;
  timeoutMs?: number;
  pollMs?: number;
  onProgress?: (progress: MigrationProgress) => void;
}

export interface LiveMigrationResult {
  /** Wall time from `migrate` (or mirror start) to completion seen by the source. */
  totalMs: number;
  /** QEMU's own measure of the guest pause. */
  downtimeMs: number;
  transferredBytes: number;
  blockMigrated: boolean;
}

/** What the destination needs from the source to lay out the instance (goes in migrate_data). */
export interface MigrationSourceInfo {
  record: InstanceRecord;
  rootDiskSizeBytes: number;
}

export async function describeForMigration(guest: Guest, images: ImageTool): Promise<MigrationSourceInfo> {
  const info = await images.info(guest.dir.disk);
  return { record: guest.record, rootDiskSizeBytes: info.virtualSizeBytes };
}

const MIRROR_JOB = 'mig-disk0';
const NBD_NODE = 'mig-nbd0';

export async function migrateLive(source: Guest, options: LiveMigrationOptions): Promise<LiveMigrationResult> {
  const qmp = await source.qmp();
  const { endpoint } = options;
  const startedAt = Date.now();
  const block = endpoint.nbd !== undefined;
  const wasRunning = (await qmp.execute('query-status')).status === 'running';
  const poll = { uuid: source.uuid, timeoutMs: options.timeoutMs ?? 600_000, pollMs: options.pollMs, onProgress: options.onProgress };
  try {
    // return-path: the source reports completion only once the destination has loaded the
    // state and started the guest, so success means the instance already runs there.
    await qmp.execute('migrate-set-capabilities', {
      capabilities: [
        { capability: 'pause-before-switchover', state: block },
        { capability: 'return-path', state: true },
      ],
    });
    await qmp.execute('migrate-set-parameters', {
      'max-bandwidth': options.maxBandwidth ?? 10 * 2 ** 30,
      ...(options.downtimeLimitMs ? { 'downtime-limit': options.downtimeLimitMs } : {}),
    });
    if (block) await mirrorUntilReady(qmp, endpoint, poll.timeoutMs);
    await qmp.execute('migrate', { uri: endpoint.uri });
    if (block) {
      await pollMigration(qmp, { ...poll, until: ['pre-switchover'] });
      await completeMirror(qmp, poll.timeoutMs);
      await qmp.execute('migrate-continue', { state: 'pre-switchover' });
    }
    const info = await pollMigration(qmp, poll);
    return { totalMs: Date.now() - startedAt, downtimeMs: info.downtime ?? 0, transferredBytes: info.ram?.transferred ?? 0, blockMigrated: block };
  } catch (err) {
    await recover(qmp, block, wasRunning);
    if (err instanceof MigrationFailed) throw err;
    throw new MigrationFailed({ uuid: source.uuid, status: 'failed', reason: err instanceof Error ? err.message : String(err) });
  }
}

async function mirrorUntilReady(qmp: QmpClient, endpoint: IncomingEndpoint, timeoutMs: number): Promise<void> {
  const nbd = endpoint.nbd!;
  await qmp.execute('blockdev-add', {
    'node-name': NBD_NODE,
    driver: 'nbd',
    server: { type: 'inet', host: nbd.host, port: String(nbd.port) },
    export: nbd.exportName,
  });
  const ready = qmp.waitForEvent('BLOCK_JOB_READY', { match: (e) => e.data?.device === MIRROR_JOB, timeoutMs });
  // A mirror that fails before READY (destination gone) ends with BLOCK_JOB_COMPLETED + error.
  const failed = qmp.waitForEvent('BLOCK_JOB_COMPLETED', { match: (e) => e.data?.device === MIRROR_JOB, timeoutMs });
  await qmp.execute('blockdev-mirror', { 'job-id': MIRROR_JOB, device: MIRROR_NODE, target: NBD_NODE, sync: endpoint.mirrorSync ?? 'full' });
  const first = await Promise.race([ready.then(() => 'ready' as const), failed.then((e) => e)]);
  if (first !== 'ready') throw new Error(`disk mirror ended before it was ready: ${String(first.data?.error ?? 'unknown error')}`);
}

/** Cancel the READY mirror: with the guest stopped this completes it, target in sync. */
async function completeMirror(qmp: QmpClient, timeoutMs: number): Promise<void> {
  const done = qmp.waitForEvent('BLOCK_JOB_COMPLETED', { match: (e) => e.data?.device === MIRROR_JOB, timeoutMs });
  await qmp.execute('block-job-cancel', { device: MIRROR_JOB });
  const event = await done;
  if (event.data?.error) throw new Error(`disk mirror failed at switchover: ${String(event.data.error)}`);
  await qmp.execute('blockdev-del', { 'node-name': NBD_NODE });
}

async function recover(qmp: QmpClient, block: boolean, wasRunning: boolean): Promise<void> {
  if (qmp.closed) return;
  const quiet = <T>(p: Promise<T>) => p.catch(() => undefined);
  const info = await quiet(qmp.execute('query-migrate'));
  if (info?.status && !['completed', 'failed', 'cancelled', 'none'].includes(info.status)) await quiet(qmp.execute('migrate_cancel'));
  if (block) {
    await quiet(qmp.execute('block-job-cancel', { device: MIRROR_JOB, force: true }));
    for (let i = 0; i < 50 && (await quiet(qmp.execute('query-block-jobs')))?.length; i++) await new Promise((r) => setTimeout(r, 20));
    await quiet(qmp.execute('blockdev-del', { 'node-name': NBD_NODE }));
  }
  // Cancelled at pre-switchover the source stays paused; give it back the state it had.
  for (let i = 0; i < 50 && wasRunning; i++) {
    const status = (await quiet(qmp.execute('query-status')))?.status;
    if (status === 'running' || status === undefined) return;
    if (status === 'paused' || status === 'postmigrate' || status === 'finish-migrate') {
      if ((await quiet(qmp.execute('query-migrate')))?.status !== 'cancelling') {
        await quiet(qmp.execute('cont'));
        return;
      }
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}
