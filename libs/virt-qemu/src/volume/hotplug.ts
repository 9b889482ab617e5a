/**
 * Volume attach/detach on the guest's virtio-scsi bus. On a running guest: blockdev-add (file,
 * then format node) + device_add scsi-hd; the reverse is device_del, wait for DEVICE_DELETED,
 * then blockdev-del of both nodes (QEMU refuses to delete a node a device still uses). The
 * record's config is updated either way, so a stopped guest gets the disk at its next start
 * and a migration destination gets the same LUNs.
 */
import { diskIds, lunForDeviceName, deviceNameForLun, nextFreeDeviceName, ROOT_LUN, SCSI_BUS } from '../config/device-names.js';
import type { VolumeConfig } from '../config/guest-config.js';
import { DeviceBusy, isVirtQemuError, VolumeNotAttached } from '../errors.js';
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

async function unplug(qmp: QmpClient, lun: number, timeoutMs: number): Promise<void> {
  const ids = diskIds(lun);
  const deleted = qmp.waitForEvent('DEVICE_DELETED', { match: (e) => e.data?.device === ids.device, timeoutMs });
  try {
    await qmp.execute('device_del', { id: ids.device });
    await deleted;
  } catch (err) {
    if (!alreadyGone(err)) throw err;
  }
  for (const node of [ids.formatNode, ids.fileNode]) {
    await qmp.execute('blockdev-del', { 'node-name': node }).catch((err: unknown) => {
      if (!alreadyGone(err)) throw err;
    });
  }
}
