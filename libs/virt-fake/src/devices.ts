import type { BlockDeviceMapping } from '@novakit/objects';
import type { ImageMeta } from '@novakit/virt-driver';

const BUS_PREFIX: Readonly<Record<string, string>> = { virtio: '/dev/vd', scsi: '/dev/sd', sata: '/dev/sd', usb: '/dev/sd', ide: '/dev/hd', xen: '/dev/xvd' };

/** a..z, aa..az, ba.. as Linux names disks. */
function suffix(index: number): string {
  let out = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) out = String.fromCharCode(97 + ((n - 1) % 26)) + out;
  return out;
}

/** `/dev/xvdb` → `/dev/xvd`: Nova's match_device split of a name into bus prefix and index. */
export function prefixOf(device: string): string {
  return /^(\/dev\/x?[a-z]?d?)[a-z]+$/.exec(device)?.[1] ?? device.replace(/[a-z]+$/, '');
}

export function rootDeviceFor(imageMeta: ImageMeta, rootBdm: BlockDeviceMapping | null): string {
  const bdmBus = rootBdm?.obj_attr_is_set('disk_bus') ? rootBdm.disk_bus : null;
  const bus = bdmBus ?? imageMeta.properties.hw_disk_bus ?? 'virtio';
  return `${BUS_PREFIX[bus] ?? BUS_PREFIX.virtio}a`;
}

/** The first name on `prefix`'s bus not in `used`; records it as used. */
export function takeNextDevice(prefix: string, used: Set<string>): string {
  for (let i = 0; ; i++) {
    const name = `${prefix}${suffix(i)}`;
    if (!used.has(name)) {
      used.add(name);
      return name;
    }
  }
}
