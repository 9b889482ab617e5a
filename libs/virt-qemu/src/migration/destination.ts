/**
 * The destination half of a live migration (pre_live_migration, post at destination, rollback).
 *
 * Shared storage: the instance directory (disk, record) is already here; the destination runs
 * its own QEMU in it with its own runtime files and takes the record over only at the end.
 * Not shared: a new directory gets a root disk of the source's size (an overlay on the same
 * base image when this host has it), exported over NBD so the source can mirror into it.
 */
import { existsSync } from 'node:fs';
import { GuestAlreadyExists } from '../errors.js';
import { Guest } from '../guest/guest.js';
import type { InstanceRecord } from '../guest/instance-dir.js';
import type { QemuHost } from '../host/host.js';
import { findFreePort } from './ports.js';
import { pollMigration } from './progress.js';

export const MIRROR_EXPORT = 'disk0';
export const MIRROR_NODE = 'disk0';

export interface MigrationTarget {
  guest: Guest;
  sharedStorage: boolean;
  /** What the source must mirror: everything, or only the overlay over a base both hosts have. */
  mirrorSync: 'full' | 'top' | undefined;
}

export interface IncomingEndpoint {
  /** For the source's `migrate`. */
  uri: string;
  /** Block migration target, when storage is not shared. */
  nbd?: { host: string; port: number; exportName: string };
  mirrorSync?: 'full' | 'top';
}

/** Lay out the destination's instance (no QEMU yet). */
export async function createMigrationTarget(
  host: QemuHost,
  source: InstanceRecord,
  options: { sharedStorage: boolean; rootDiskSizeBytes?: number },
): Promise<MigrationTarget> {
  const dir = host.instanceDir(source.config.uuid);
  const record: InstanceRecord = { ...source, host: host.hostName, powerState: 'paused' };
  if (options.sharedStorage) {
    // The record on disk stays the source's until finishIncoming takes it over.
    return { guest: host.track(new Guest(dir, record, host.context)), sharedStorage: true, mirrorSync: undefined };
  }
  if (dir.exists()) throw new GuestAlreadyExists({ uuid: source.config.uuid });
  const base = source.baseImage && existsSync(source.baseImage) ? source.baseImage : undefined;
  await dir.create();
  try {
    await host.images.createQcow2(dir.disk, { sizeBytes: options.rootDiskSizeBytes, backing: base ? { path: base } : undefined });
    const config = { ...source.config, rootDisk: { path: dir.disk, format: 'qcow2' as const } };
    const guest = await host.register(dir, { ...record, config, baseImage: base ?? null });
    return { guest, sharedStorage: false, mirrorSync: base ? 'top' : 'full' };
  } catch (err) {
    await dir.removeAll();
    throw err;
  }
}

/** Start QEMU with `-incoming defer` and listen for the migration (and NBD when not shared). */
export async function prepareIncoming(target: MigrationTarget, listenHost = '127.0.0.1'): Promise<IncomingEndpoint> {
  const { guest } = target;
  const block = !target.sharedStorage;
  await guest.start({ incoming: 'defer', shareRootDisk: block });
  try {
    const qmp = await guest.qmp();
    let nbd: IncomingEndpoint['nbd'];
    if (block) {
      const port = await findFreePort(listenHost);
      await qmp.execute('nbd-server-start', { addr: { type: 'inet', data: { host: listenHost, port: String(port) } } });
      await qmp.execute('block-export-add', { type: 'nbd', id: MIRROR_EXPORT, 'node-name': MIRROR_NODE, writable: true, name: MIRROR_EXPORT });
      nbd = { host: listenHost, port, exportName: MIRROR_EXPORT };
    }
    // Port 0: QEMU binds a free port itself and reports it, so no race with other listeners.
    await qmp.execute('migrate-incoming', { uri: `tcp:${listenHost}:0` });
    const info = await qmp.execute('query-migrate');
    const port = info['socket-address']?.find((a) => a.port)?.port;
    if (!port) throw new Error('QEMU did not report the migration port');
    return { uri: `tcp:${listenHost}:${port}`, nbd, mirrorSync: target.mirrorSync };
  } catch (err) {
    await abortIncoming(target);
    throw err;
  }
}

/**
 * After the source reported completion: wait until this QEMU has loaded the state and left
 * 'inmigrate', stop the NBD server, and take the record over.
 */
export async function finishIncoming(target: MigrationTarget, timeoutMs = 60_000): Promise<void> {
  const { guest } = target;
  const qmp = await guest.qmp();
  await pollMigration(qmp, { uuid: guest.uuid, timeoutMs, waitingForSource: true });
  let status = (await qmp.execute('query-status')).status;
  for (const deadline = Date.now() + timeoutMs; status === 'inmigrate' && Date.now() < deadline; ) {
    await new Promise((r) => setTimeout(r, 20));
    status = (await qmp.execute('query-status')).status;
  }
  if (!target.sharedStorage) await qmp.execute('nbd-server-stop').catch(() => {});
  await guest.updateRecord({ host: guest.dir.hostName, powerState: status === 'running' ? 'running' : 'paused' });
}

/** Rollback at destination: end the incoming QEMU and remove what this host created. */
export async function abortIncoming(target: MigrationTarget): Promise<void> {
  await target.guest.terminate();
  if (!target.sharedStorage) await target.guest.dir.removeAll();
}
