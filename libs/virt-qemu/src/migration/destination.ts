/**
 * The destination half of a live migration (pre_live_migration, post at destination, rollback).
 *
 * Shared storage: the instance directory (disk, record) is already here; the destination runs
 * its own QEMU in it with its own runtime files and takes the record over only at the end.
 * Not shared: a new directory gets a root disk of the source's size (an overlay on the same
 * base image when this host has it), exported over NBD so the source can mirror into it.
 */
import { existsSync } from 'node:fs';
import { GuestAlreadyExists, isVirtQemuError } from '../errors.js';
import { Guest } from '../guest/guest.js';
import type { InstanceRecord } from '../guest/instance-dir.js';
import type { QemuHost } from '../host/host.js';
import type { QmpClient } from '../qmp/client.js';
import { findFreePort, type PortRange } from './ports.js';
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

/**
 * Start QEMU with `-incoming defer` and listen for the migration (and NBD when not shared). With
 * `ports`, both listeners take ports of that range; without, QEMU picks the migration port.
 */
export async function prepareIncoming(target: MigrationTarget, listenHost = '127.0.0.1', ports?: PortRange): Promise<IncomingEndpoint> {
  const { guest } = target;
  const block = !target.sharedStorage;
  await guest.start({ incoming: 'defer', shareRootDisk: block });
  try {
    const qmp = await guest.qmp();
    let nbd: IncomingEndpoint['nbd'];
    if (block) {
      const port = await findFreePort(listenHost, ports);
      if (port === undefined) throw new Error(`no free port in ${ports!.min}-${ports!.max} for the NBD server`);
      await qmp.execute('nbd-server-start', { addr: { type: 'inet', data: { host: listenHost, port: String(port) } } });
      await qmp.execute('block-export-add', { type: 'nbd', id: MIRROR_EXPORT, 'node-name': MIRROR_NODE, writable: true, name: MIRROR_EXPORT });
      nbd = { host: listenHost, port, exportName: MIRROR_EXPORT };
    }
    const port = ports ? await listenInRange(qmp, listenHost, ports, nbd ? [nbd.port] : []) : await listenAnywhere(qmp, listenHost);
    return { uri: `tcp:${listenHost}:${port}`, nbd, mirrorSync: target.mirrorSync };
  } catch (err) {
    await abortIncoming(target);
    throw err;
  }
}

/** Port 0: QEMU binds a free port itself and reports it, so no race with other listeners. */
async function listenAnywhere(qmp: QmpClient, host: string): Promise<number> {
  await qmp.execute('migrate-incoming', { uri: `tcp:${host}:0` });
  const info = await qmp.execute('query-migrate');
  const port = info['socket-address']?.find((a) => a.port)?.port;
  if (!port) throw new Error('QEMU did not report the migration port');
  return Number(port);
}

/** A port of the range; one taken between our probe and QEMU's bind is skipped (a failed bind can be retried). */
async function listenInRange(qmp: QmpClient, host: string, range: PortRange, exclude: number[]): Promise<number> {
  for (;;) {
    const port = await findFreePort(host, range, exclude);
    if (port === undefined) throw new Error(`no free port in ${range.min}-${range.max} for the migration stream`);
    try {
      await qmp.execute('migrate-incoming', { uri: `tcp:${host}:${port}` });
      return port;
    } catch (err) {
      if (!isVirtQemuError(err, 'QmpCommandFailed') || !/in use|bind/i.test(err.message)) throw err;
      exclude.push(port);
    }
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
