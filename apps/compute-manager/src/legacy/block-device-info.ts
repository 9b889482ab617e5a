// Release 1: the block device info the work-item driver calls get is built from the
// conductor's raw BDM rows (Icehouse's block_device_mapping_get_all_by_instance). A
// converted work item uses manager/instance-data.ts (BlockDeviceMapping objects) instead.
import type { RequestContext } from '@novakit/objects';
import type { BlockDeviceInfo, ConnectionInfo, DriverVolume } from '@novakit/virt-driver';
import type { ManagerEnv } from '../manager/env.js';
import type { RawRow } from '../ports.js';

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

function connectionInfo(row: RawRow): ConnectionInfo | null {
  const raw = row.connection_info;
  if (typeof raw === 'object' && raw !== null) return raw as ConnectionInfo;
  if (typeof raw !== 'string' || raw === '') return null;
  try {
    return JSON.parse(raw) as ConnectionInfo;
  } catch {
    return null;
  }
}

/** The raw volume BDM rows of an instance (legacy). */
export async function legacyVolumeBdmRows(env: ManagerEnv, ctx: RequestContext, instanceUuid: string): Promise<RawRow[]> {
  const rows = await env.conductor.block_device_mapping_get_all_by_instance(ctx, instanceUuid);
  return rows.filter((r) => r.destination_type === 'volume' && !r.deleted);
}

/** Nova Icehouse's _get_instance_volume_block_device_info, from raw rows. */
export async function legacyBlockDeviceInfo(env: ManagerEnv, ctx: RequestContext, instanceUuid: string, rootDeviceName: string | null): Promise<BlockDeviceInfo> {
  const rows = (await env.conductor.block_device_mapping_get_all_by_instance(ctx, instanceUuid)).filter((r) => !r.deleted);
  const local = rows.filter((r) => r.destination_type === 'local' && r.source_type === 'blank' && str(r.device_name));
  const swap = local.find((r) => r.guest_format === 'swap');
  const volumes: DriverVolume[] = [];
  for (const r of rows) {
    const info = r.destination_type === 'volume' ? connectionInfo(r) : null;
    const device = str(r.device_name);
    if (!info || !device) continue;
    volumes.push({
      connectionInfo: info,
      mountDevice: device,
      diskBus: str(r.disk_bus),
      deviceType: str(r.device_type),
      bootIndex: typeof r.boot_index === 'number' ? r.boot_index : null,
      deleteOnTermination: r.delete_on_termination === true,
    });
  }
  return {
    rootDeviceName,
    swap: swap ? { deviceName: str(swap.device_name)!, swapSizeMb: num(swap.volume_size) } : null,
    ephemerals: local.filter((r) => r !== swap).map((r) => ({ deviceName: str(r.device_name)!, sizeGb: num(r.volume_size), guestFormat: str(r.guest_format) })),
    volumes,
  };
}
