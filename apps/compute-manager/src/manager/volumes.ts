// The volume family: reserve_block_device_name, attach_volume, detach_volume and
// remove_volume_connection (the destination's half of a live-migration rollback). Nova Juno
// changes no task_state for these; the action event records them, and init_host finishes an
// attach or detach a crash interrupted (startup/recover-events.ts).
import { BlockDeviceMapping, BlockDeviceMappingList, VolumeBDMNotFound, type Instance, type RequestContext } from '@novakit/objects';
import type { ConnectionInfo } from '@novakit/virt-driver';
import { driverAttachVolume, driverDetachVolume, driverVolumeConnector } from '../legacy/volumes.js';
import type { ManagerEnv } from './env.js';
import { connectionInfoOf } from './instance-data.js';
import { instanceOperation } from './operation.js';

/** Serialises device-name choices per instance (Nova's @synchronized(instance.uuid)). */
const reserving = new Map<string, Promise<unknown>>();

function nextDeviceName(used: ReadonlySet<string>, prefix: string): string {
  for (let c = 'b'.charCodeAt(0); c <= 'z'.charCodeAt(0); c++) {
    const name = `${prefix}${String.fromCharCode(c)}`;
    if (!used.has(name)) return name;
  }
  throw new Error('no free device name');
}

export async function reserveBlockDeviceName(
  _env: ManagerEnv,
  ctx: RequestContext,
  instance: Instance,
  args: { device?: string | null | undefined; volume_id: string; disk_bus?: string | null | undefined; device_type?: string | null | undefined },
): Promise<BlockDeviceMapping> {
  const previous = reserving.get(instance.uuid) ?? Promise.resolve();
  const work = previous.catch(() => undefined).then(async () => {
    const bdms = await BlockDeviceMappingList.getByInstanceUuid(ctx, instance.uuid);
    const used = new Set(bdms.objects.map((b) => b.device_name).filter((n): n is string => !!n));
    const root = instance.root_device_name ?? '/dev/vda';
    used.add(root);
    const device = args.device && !used.has(args.device) ? args.device : nextDeviceName(used, root.replace(/[a-z]$/, ''));
    const bdm = new BlockDeviceMapping(
      {
        instance_uuid: instance.uuid,
        source_type: 'volume',
        destination_type: 'volume',
        volume_id: args.volume_id,
        device_name: device,
        disk_bus: args.disk_bus ?? null,
        device_type: args.device_type ?? 'disk',
        boot_index: null,
        delete_on_termination: false,
      },
      ctx,
    );
    await bdm.create();
    return bdm;
  });
  reserving.set(instance.uuid, work);
  try {
    return await work;
  } finally {
    if (reserving.get(instance.uuid) === work) reserving.delete(instance.uuid);
  }
}

/**
 * The connection info for the volume: the one the volume service recorded on the BDM (the
 * API's stand-in writes a `file` volume there), else an `unmanaged` one naming only the
 * volume, for deployments with no volume service at all.
 */
export function volumeConnectionInfo(bdm: BlockDeviceMapping): ConnectionInfo {
  const given = connectionInfoOf(bdm);
  const volumeId = bdm.volume_id ?? '';
  return given ? { ...given, serial: given.serial ?? volumeId } : { driver_volume_type: 'unmanaged', data: { volume_id: volumeId }, serial: volumeId };
}

export async function attachVolume(env: ManagerEnv, ctx: RequestContext, instance: Instance, given: BlockDeviceMapping): Promise<void> {
  await instanceOperation(env, ctx, instance, { event: 'compute_attach_volume', action: 'attach_volume' }, async (scope) => {
    const bdm = given.obj_set_context(ctx);
    try {
      const connector = await driverVolumeConnector(env, ctx, instance);
      const connectionInfo = volumeConnectionInfo(bdm);
      scope.log.info({ volume_id: bdm.volume_id, mountpoint: bdm.device_name, connector_host: connector.host }, 'attaching volume');
      await driverAttachVolume(env, ctx, instance, { connectionInfo, mountpoint: bdm.device_name!, diskBus: bdm.disk_bus, deviceType: bdm.device_type });
      bdm.connection_info = JSON.stringify(connectionInfo);
      await bdm.save();
    } catch (err) {
      // Nova: a failed attach forgets the reservation so the volume can be attached again.
      await bdm.destroy().catch((e: unknown) => scope.log.warn({ err: e }, 'could not forget the block device mapping'));
      throw err;
    }
  });
}

/** Unplugs the volume on the hypervisor if the instance is there (Nova's _detach_volume). */
async function detachOnHypervisor(env: ManagerEnv, ctx: RequestContext, instance: Instance, bdm: BlockDeviceMapping): Promise<void> {
  const connectionInfo = connectionInfoOf(bdm);
  if (connectionInfo && bdm.device_name && (await env.driver.instanceExists(instance))) {
    await driverDetachVolume(env, ctx, instance, { connectionInfo: { ...connectionInfo, serial: bdm.volume_id ?? undefined }, mountpoint: bdm.device_name });
  }
  const connector = await driverVolumeConnector(env, ctx, instance);
  env.log.debug({ volume_id: bdm.volume_id, connector_host: connector.host }, 'volume connection terminated');
}

export async function detachVolume(env: ManagerEnv, ctx: RequestContext, instance: Instance, volumeId: string): Promise<void> {
  await instanceOperation(env, ctx, instance, { event: 'compute_detach_volume', action: 'detach_volume' }, async () => {
    const bdm = await BlockDeviceMapping.getByVolumeId(ctx, volumeId, { instanceUuid: instance.uuid });
    await detachOnHypervisor(env, ctx, instance, bdm);
    await bdm.destroy();
  });
}

/** The destination's half of a rollback: unplug the volume here, keep the mapping (it belongs to the source). */
export async function removeVolumeConnection(env: ManagerEnv, ctx: RequestContext, instance: Instance, volumeId: string): Promise<void> {
  try {
    const bdm = await BlockDeviceMapping.getByVolumeId(ctx, volumeId, { instanceUuid: instance.uuid });
    await detachOnHypervisor(env, ctx, instance, bdm);
  } catch (e) {
    if (!(e instanceof VolumeBDMNotFound)) throw e;
  }
}
