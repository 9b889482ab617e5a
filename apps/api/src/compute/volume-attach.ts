// os-volume_attachments as Nova Juno's compute API runs them: reserve the volume, have the
// server's compute pick the device and record the mapping (a call), put the volume's
// connection info on the mapping, record the action, cast the attach. A failure before the
// cast undoes the mapping and the reservation.
import { BlockDeviceMapping, InstanceAction, VolumeBDMNotFound, type RequestContext } from '@novakit/objects';
import type { ApiBackend } from '../backend.js';
import { VolumeNotAttached } from '../errors.js';
import type { VolumeService } from '../volumes/service.js';
import { findServer, serverForAction } from './lookup.js';
import { volumeMappingsOf } from './servers.js';

export interface Attachment {
  readonly id: string;
  readonly serverId: string;
  readonly volumeId: string;
  readonly device: string | null;
}

const view = (b: BlockDeviceMapping): Attachment => ({ id: b.volume_id!, serverId: b.instance_uuid, volumeId: b.volume_id!, device: b.device_name });

export async function attachVolume(backend: ApiBackend, volumes: VolumeService, ctx: RequestContext, serverId: string, volumeId: string, device: string | null): Promise<Attachment> {
  const instance = await serverForAction(ctx, serverId, 'attachVolume', 'attach_volume');
  const volume = await volumes.reserve(ctx, volumeId, instance.uuid);
  let bdm: BlockDeviceMapping | null = null;
  try {
    bdm = await backend.compute.reserveBlockDeviceName(ctx, instance, { volume_id: volumeId, device });
    bdm.obj_set_context(ctx);
    bdm.connection_info = JSON.stringify(volumes.connectionInfo(volume));
    await bdm.save();
    await InstanceAction.actionStart(ctx, instance.uuid, 'attach_volume', { wantResult: false });
    await backend.compute.attachVolume(ctx, instance, bdm);
    return view(bdm);
  } catch (e) {
    if (bdm) await bdm.destroy().catch(() => undefined);
    throw e;
  } finally {
    await volumes.unreserve(volumeId);
  }
}

async function mappingOf(ctx: RequestContext, serverId: string, volumeId: string): Promise<BlockDeviceMapping> {
  try {
    return await BlockDeviceMapping.getByVolumeId(ctx, volumeId, { instanceUuid: serverId });
  } catch (e) {
    if (e instanceof VolumeBDMNotFound) throw new VolumeNotAttached({ volume_id: volumeId, server_id: serverId });
    throw e;
  }
}

export async function detachVolume(backend: ApiBackend, ctx: RequestContext, serverId: string, volumeId: string): Promise<void> {
  const instance = await serverForAction(ctx, serverId, 'detachVolume', 'detach_volume');
  await mappingOf(ctx, instance.uuid, volumeId);
  await InstanceAction.actionStart(ctx, instance.uuid, 'detach_volume', { wantResult: false });
  await backend.compute.detachVolume(ctx, instance, volumeId);
}

export async function listAttachments(ctx: RequestContext, serverId: string): Promise<Attachment[]> {
  const instance = await findServer(ctx, serverId, []);
  return (await volumeMappingsOf(ctx, instance.uuid)).map(view);
}

export async function showAttachment(ctx: RequestContext, serverId: string, volumeId: string): Promise<Attachment> {
  const instance = await findServer(ctx, serverId, []);
  return view(await mappingOf(ctx, instance.uuid, volumeId));
}
