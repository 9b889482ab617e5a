// The non-legacy inputs drivers get besides the instance: network info from the info cache
// and block device info from BlockDeviceMapping objects (the work items build theirs from
// raw rows in legacy/block-device-info.ts until they are converted).
import { BlockDeviceMappingList, type BlockDeviceMapping, type Instance, type NetworkInfo, type RequestContext } from '@novakit/objects';
import type { BlockDeviceInfo, ConnectionInfo, DriverVolume } from '@novakit/virt-driver';

export async function networkInfoOf(instance: Instance): Promise<NetworkInfo> {
  if (!instance.obj_attr_is_set('info_cache')) await instance.obj_load_attr('info_cache');
  const cache = instance.info_cache;
  return cache && cache.obj_attr_is_set('network_info') && cache.network_info ? cache.network_info : [];
}

/** A BDM's connection info, parsed; null when it has none or it is not JSON. */
export function connectionInfoOf(bdm: { connection_info: string | null }): ConnectionInfo | null {
  if (!bdm.connection_info) return null;
  try {
    return JSON.parse(bdm.connection_info) as ConnectionInfo;
  } catch {
    return null;
  }
}

export function driverVolumeOf(bdm: BlockDeviceMapping): DriverVolume | null {
  const connectionInfo = connectionInfoOf(bdm);
  if (!bdm.isVolume || !connectionInfo || !bdm.device_name) return null;
  return { connectionInfo, mountDevice: bdm.device_name, diskBus: bdm.disk_bus, deviceType: bdm.device_type, bootIndex: bdm.boot_index, deleteOnTermination: bdm.delete_on_termination };
}

/** Nova's _get_instance_block_device_info, from objects. */
export function blockDeviceInfoFrom(instance: Instance, bdms: readonly BlockDeviceMapping[]): BlockDeviceInfo {
  const swap = bdms.find((b) => b.destination_type === 'local' && b.source_type === 'blank' && b.guest_format === 'swap' && b.device_name);
  const ephemerals = bdms.filter((b) => b.destination_type === 'local' && b.source_type === 'blank' && b.guest_format !== 'swap' && b.device_name);
  return {
    rootDeviceName: instance.obj_attr_is_set('root_device_name') ? instance.root_device_name : null,
    swap: swap ? { deviceName: swap.device_name!, swapSizeMb: swap.volume_size ?? 0 } : null,
    ephemerals: ephemerals.map((b) => ({ deviceName: b.device_name!, sizeGb: b.volume_size ?? 0, guestFormat: b.guest_format })),
    volumes: bdms.map(driverVolumeOf).filter((v): v is DriverVolume => v !== null),
  };
}

export async function blockDeviceInfoOf(ctx: RequestContext, instance: Instance): Promise<BlockDeviceInfo> {
  const bdms = await BlockDeviceMappingList.getByInstanceUuid(ctx, instance.uuid);
  return blockDeviceInfoFrom(instance, bdms.objects);
}
