/**
 * Volume attach/detach on the guest's virtio-scsi bus. On a running guest: blockdev-add (file,
 * then format node) + device_add scsi-hd; the reverse is device_del, wait for DEVICE_DELETED,
 * then blockdev-del of both nodes (QEMU refuses to delete a node a device still uses). The
 * record's config is updated either way, so a stopped guest gets the disk at its next start
 * and a migration destination gets the same LUNs. A running guest's volume can also be swapped
 * for another by a live block copy.
 */
import { diskIds, lunForDeviceName, deviceNameForLun, nextFreeDeviceName, ROOT_LUN, SCSI_BUS } from '../config/device-names.js';
import type { VolumeConfig } from '../config/guest-config.js';
import { DeviceBusy, GuestStateConflict, isVirtQemuError, VolumeNotAttached } from '../errors.js';
import type { Guest } from '../guest/guest.js';
import type { ImageTool } from '../host/images.js';
import type { QmpClient } from '../qmp/client.js';
import type { FileVolume } from './connection-info.js';

export interface AttachedVolume {
  device: string;
  path: string;
  format: 'raw' | 'qcow2';
  serial?: string;
}

export function attachedVolumes(guest: Guest): AttachedVolume[] {
  return guest.config.volumes.map((v) => ({ device: deviceNameForLun(v.lun), path: v.path, format: v.format, serial: v.serial }));
}

/** Attach at `device` (default: first free /dev/sdX); resolves with the device name used. */
export async function attachVolume(guest: Guest, volume: FileVolume, images: ImageTool, device?: string): Promise<string> {
  const config = guest.config;
  const used = config.volumes.map((v) => deviceNameForLun(v.lun));
  const name = device ?? nextFreeDeviceName(used);
  if (name === undefined) throw new DeviceBusy({ uuid: guest.uuid, device: 'every /dev/sdX' });
  const lun = lunForDeviceName(name);
  if (lun === ROOT_LUN || used.includes(deviceNameForLun(lun))) throw new DeviceBusy({ uuid: guest.uuid, device: name });
  const format = volume.format ?? ((await images.info(volume.path)).format === 'qcow2' ? 'qcow2' : 'raw');
  const entry: VolumeConfig = { lun, path: volume.path, format, serial: volume.serial, readOnly: volume.readOnly ?? false };
  if (guest.isRunning()) await hotplug(await guest.qmp(), entry);
  await guest.updateRecord({ config: { ...config, volumes: [...config.volumes, entry] } });
  return deviceNameForLun(lun);
}

export async function detachVolume(guest: Guest, device: string, unplugTimeoutMs: number): Promise<void> {
  const config = guest.config;
  const lun = lunForDeviceName(device);
  if (!config.volumes.some((v) => v.lun === lun)) throw new VolumeNotAttached({ uuid: guest.uuid, device });
  if (guest.isRunning()) await unplug(await guest.qmp(), lun, unplugTimeoutMs);
  await guest.updateRecord({ config: { ...config, volumes: config.volumes.filter((v) => v.lun !== lun) } });
}

async function hotplug(qmp: QmpClient, v: VolumeConfig): Promise<void> {
  const ids = diskIds(v.lun);
  const ro = v.readOnly ? { 'read-only': true } : {};
  await qmp.execute('blockdev-add', { 'node-name': ids.fileNode, driver: 'file', filename: v.path, ...ro });
  try {
    await qmp.execute('blockdev-add', { 'node-name': ids.formatNode, driver: v.format, file: ids.fileNode, ...ro });
    try {
      const serial = v.serial ? { serial: v.serial } : {};
      await qmp.execute('device_add', { driver: 'scsi-hd', id: ids.device, bus: SCSI_BUS, channel: 0, 'scsi-id': 0, lun: v.lun, drive: ids.formatNode, ...serial });
    } catch (err) {
      await qmp.execute('blockdev-del', { 'node-name': ids.formatNode }).catch(() => {});
      throw err;
    }
  } catch (err) {
    await qmp.execute('blockdev-del', { 'node-name': ids.fileNode }).catch(() => {});
    throw err;
  }
}

/** True for QEMU's "no such thing" answers: an earlier, timed-out detach may have finished. */
function alreadyGone(err: unknown): boolean {
  if (!isVirtQemuError(err, 'QmpCommandFailed')) return false;
  const { errorClass, desc } = err.kwargs as { errorClass: string; desc: string };
  return errorClass === 'DeviceNotFound' || /not found|Failed to find/i.test(desc);
}

/**
 * The format node the LUN's device reads: `disk<lun>` as plugged, `sw<n>-disk<lun>` after swaps
 * (every format node's protocol node is the same name plus `-file`).
 */
async function attachedNode(qmp: QmpClient, lun: number): Promise<string> {
  const ids = diskIds(lun);
  const block = await qmp.execute('query-block');
  return block.find((b) => b.qdev === ids.device)?.inserted?.['node-name'] ?? ids.formatNode;
}

async function deleteNodes(qmp: QmpClient, formatNode: string): Promise<void> {
  for (const node of [formatNode, `${formatNode}-file`]) {
    await qmp.execute('blockdev-del', { 'node-name': node }).catch((err: unknown) => {
      if (!alreadyGone(err)) throw err;
    });
  }
}

async function unplug(qmp: QmpClient, lun: number, timeoutMs: number): Promise<void> {
  const ids = diskIds(lun);
  const node = await attachedNode(qmp, lun);
  const deleted = qmp.waitForEvent('DEVICE_DELETED', { match: (e) => e.data?.device === ids.device, timeoutMs });
  try {
    await qmp.execute('device_del', { id: ids.device });
    await deleted;
  } catch (err) {
    if (!alreadyGone(err)) throw err;
  }
  await deleteNodes(qmp, node);
}

/**
 * Replace the volume at `device` of a running guest with another, copying its data live (Nova's
 * swap_volume, libvirt's block copy and pivot): the new file is opened as new nodes, mirrored
 * from the old ones until in sync, and `block-job-complete` switches the device over; the old
 * nodes are then deleted and the record names the new file. `resizeBytes` grows it afterwards.
 */
export async function swapVolume(guest: Guest, device: string, volume: FileVolume, images: ImageTool, options: { timeoutMs: number; resizeBytes?: number }): Promise<void> {
  const config = guest.config;
  const lun = lunForDeviceName(device);
  const entry = config.volumes.find((v) => v.lun === lun);
  if (!entry) throw new VolumeNotAttached({ uuid: guest.uuid, device });
  if (!guest.isRunning()) throw new GuestStateConflict({ uuid: guest.uuid, operation: 'swap a volume of', state: 'not running' });
  const format = volume.format ?? ((await images.info(volume.path)).format === 'qcow2' ? 'qcow2' : 'raw');
  const qmp = await guest.qmp();
  const current = await attachedNode(qmp, lun);
  const generation = Number(/^sw(\d+)-/.exec(current)?.[1] ?? 0) + 1;
  const next = `sw${generation}-disk${lun}`;
  const job = `swap-disk${lun}`;
  const ro = entry.readOnly ? { 'read-only': true } : {};
  await qmp.execute('blockdev-add', { 'node-name': `${next}-file`, driver: 'file', filename: volume.path, ...ro });
  try {
    await qmp.execute('blockdev-add', { 'node-name': next, driver: format, file: `${next}-file`, ...ro });
    const ended = (e: { data?: Record<string, unknown> }) => e.data?.device === job;
    const ready = qmp.waitForEvent('BLOCK_JOB_READY', { match: ended, timeoutMs: options.timeoutMs });
    // One BLOCK_JOB_COMPLETED ends the job: before READY it is a failed copy, after block-job-complete the switch.
    const completed = qmp.waitForEvent('BLOCK_JOB_COMPLETED', { match: ended, timeoutMs: options.timeoutMs });
    await qmp.execute('blockdev-mirror', { 'job-id': job, device: current, target: next, sync: 'full' });
    const first = await Promise.race([ready.then(() => 'ready' as const), completed]);
    if (first !== 'ready') throw new Error(`volume copy ended before it was in sync: ${String(first.data?.error ?? 'unknown error')}`);
    await qmp.execute('block-job-complete', { device: job });
    const done = await completed;
    if (done.data?.error) throw new Error(`volume copy failed at the switch: ${String(done.data.error)}`);
  } catch (err) {
    await qmp.execute('block-job-cancel', { device: job, force: true }).catch(() => {});
    // The job holds the new nodes until it has ended.
    for (let i = 0; i < 100; i++) {
      const jobs = await qmp.execute('query-block-jobs').catch(() => []);
      if (!jobs.some((j) => j.device === job)) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await deleteNodes(qmp, next).catch(() => {});
    throw err;
  }
  await deleteNodes(qmp, current);
  if (options.resizeBytes !== undefined) await qmp.execute('block_resize', { 'node-name': next, size: options.resizeBytes });
  const swapped: VolumeConfig = { ...entry, path: volume.path, format, serial: volume.serial ?? entry.serial };
  await guest.updateRecord({ config: { ...config, volumes: config.volumes.map((v) => (v.lun === lun ? swapped : v)) } });
}
