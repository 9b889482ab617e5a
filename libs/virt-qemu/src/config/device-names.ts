/**
 * Device names follow the bus: every disk is a scsi-hd LUN on the one virtio-scsi controller,
 * so the root disk is LUN 0 (/dev/sda) and volumes take LUN 1.. (/dev/sdb..). The QEMU ids
 * derive from the LUN, not from volume ids, because block node names are capped at 31
 * characters and must be identical on both ends of a live migration.
 */
import { DeviceNameInvalid } from '../errors.js';

export const ROOT_DEVICE_NAME = '/dev/sda';
export const ROOT_LUN = 0;
/** sda..sdz; one controller takes far more LUNs, but Nova-style names stop at one letter here. */
export const MAX_LUN = 25;

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

export function deviceNameForLun(lun: number): string {
  if (!Number.isInteger(lun) || lun < 0 || lun > MAX_LUN) throw new DeviceNameInvalid({ device: `lun ${lun}` });
  return `/dev/sd${LETTERS[lun]}`;
}

/** Accepts "/dev/sdc" or "sdc"; any other name is DeviceNameInvalid. */
export function lunForDeviceName(device: string): number {
  const match = /^(?:\/dev\/)?sd([a-z])$/.exec(device);
  if (!match) throw new DeviceNameInvalid({ device });
  return LETTERS.indexOf(match[1]!);
}

/** The first free volume name after the root disk, or undefined when the bus is full. */
export function nextFreeDeviceName(used: Iterable<string>): string | undefined {
  const taken = new Set([ROOT_LUN, ...[...used].map(lunForDeviceName)]);
  for (let lun = 1; lun <= MAX_LUN; lun++) if (!taken.has(lun)) return deviceNameForLun(lun);
  return undefined;
}

/** QEMU ids of the disk at `lun`: protocol node, format node, scsi-hd device. */
export function diskIds(lun: number): { fileNode: string; formatNode: string; device: string } {
  return { fileNode: `disk${lun}-file`, formatNode: `disk${lun}`, device: `scsi-disk${lun}` };
}

/** The controller every disk hangs off; `.0` is its (only) SCSI bus. */
export const SCSI_CONTROLLER_ID = 'scsi0';
export const SCSI_BUS = `${SCSI_CONTROLLER_ID}.0`;
