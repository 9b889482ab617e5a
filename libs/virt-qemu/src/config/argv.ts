/**
 * The QEMU command line of a guest (libvirt's config.py role): pure, so it is unit-tested
 * without QEMU and a migration destination gets exactly the source's devices.
 *
 * Choices, per the toolchain measurements:
 * - every disk is a scsi-hd on one cold-plugged virtio-scsi-pci: SCSI hot-unplug completes
 *   without guest cooperation, ACPI PCI unplug never does without a guest OS;
 * - `-no-shutdown`: a guest that powers off leaves QEMU alive in state "shutdown", so a soft
 *   reboot can reset it and the driver, not QEMU, decides when the process ends;
 * - `-nodefaults -no-user-config`: no implicit devices that a destination could lack.
 */
import { diskIds, ROOT_LUN, SCSI_BUS, SCSI_CONTROLLER_ID } from './device-names.js';
import type { GuestConfig, VolumeConfig } from './guest-config.js';

export interface RuntimePaths {
  qmpSocket: string;
  pidFile: string;
  serialLog: string;
}

export interface ArgvOptions {
  /** Start as a migration destination waiting for `migrate-incoming`. */
  incoming?: 'defer';
  /**
   * Let another user write the root disk node too (`share-rw=on`): a block-migration
   * destination exports it over NBD while the scsi-hd device already holds it, and without
   * this QEMU reports a permission conflict when it activates the disk at switchover.
   */
  shareRootDisk?: boolean;
}

/** QEMU option values separate on ',': a literal comma is written ',,'. */
export function optValue(value: string): string {
  return value.replaceAll(',', ',,');
}

interface DiskExtras {
  serial?: string;
  readOnly?: boolean;
  boot?: boolean;
  shareRw?: boolean;
}

function diskArgs(lun: number, path: string, format: string, extra: DiskExtras): string[] {
  const ids = diskIds(lun);
  const ro = extra.readOnly ? { 'read-only': true } : {};
  const file = { driver: 'file', filename: path, 'node-name': ids.fileNode, ...ro };
  const fmt = { driver: format, file: ids.fileNode, 'node-name': ids.formatNode, ...ro };
  const device = [`scsi-hd`, `bus=${SCSI_BUS}`, `channel=0`, `scsi-id=0`, `lun=${lun}`, `drive=${ids.formatNode}`, `id=${ids.device}`];
  if (extra.serial) device.push(`serial=${optValue(extra.serial)}`);
  if (extra.boot) device.push('bootindex=1');
  if (extra.shareRw) device.push('share-rw=on');
  return ['-blockdev', JSON.stringify(file), '-blockdev', JSON.stringify(fmt), '-device', device.join(',')];
}

export function volumeArgs(v: VolumeConfig): string[] {
  return diskArgs(v.lun, v.path, v.format, { serial: v.serial, readOnly: v.readOnly });
}

export function buildQemuArgv(config: GuestConfig, paths: RuntimePaths, options: ArgvOptions = {}): string[] {
  const argv = [
    '-name', `guest=${optValue(config.name)},debug-threads=on`,
    '-uuid', config.uuid,
    '-machine', `${config.machine},accel=${config.accel}`,
    '-m', String(config.memoryMb),
    '-smp', String(config.vcpus),
    '-nodefaults', '-no-user-config', '-display', 'none', '-no-shutdown',
    '-chardev', `socket,id=qmp,path=${optValue(paths.qmpSocket)},server=on,wait=off`,
    '-mon', 'chardev=qmp,mode=control',
    '-pidfile', paths.pidFile,
    '-chardev', `file,id=charserial0,path=${optValue(paths.serialLog)},append=on`,
    '-device', 'isa-serial,chardev=charserial0,id=serial0',
    '-device', `virtio-scsi-pci,id=${SCSI_CONTROLLER_ID}`,
    ...diskArgs(ROOT_LUN, config.rootDisk.path, config.rootDisk.format, { boot: true, shareRw: options.shareRootDisk }),
  ];
  for (const v of config.volumes) argv.push(...volumeArgs(v));
  config.nics.forEach((nic, i) => {
    argv.push('-netdev', `user,id=net${i}`, '-device', `virtio-net-pci,netdev=net${i},mac=${nic.mac},id=nic${i}`);
  });
  if (options.incoming) argv.push('-incoming', options.incoming);
  return argv;
}
