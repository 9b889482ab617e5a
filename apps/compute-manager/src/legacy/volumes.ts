// Release 1 calls of the volume work items (get_volume_connector, attach_volume,
// detach_volume): the driver gets a LegacyInstanceDict. BDMs themselves are objects already.
import type { Instance, RequestContext } from '@novakit/objects';
import { legacyInstanceDict, type ConnectionInfo, type VolumeConnector } from '@novakit/virt-driver';
import type { ManagerEnv } from '../manager/env.js';

/** Work item get_volume_connector. */
export async function driverVolumeConnector(env: ManagerEnv, ctx: RequestContext, instance: Instance): Promise<VolumeConnector> {
  return env.driver.getVolumeConnector(ctx, legacyInstanceDict(instance));
}

/** Work item attach_volume. */
export async function driverAttachVolume(
  env: ManagerEnv,
  ctx: RequestContext,
  instance: Instance,
  args: { connectionInfo: ConnectionInfo; mountpoint: string; diskBus?: string | null; deviceType?: string | null },
): Promise<void> {
  await env.driver.attachVolume(ctx, legacyInstanceDict(instance), args);
}

/** Work item detach_volume. */
export async function driverDetachVolume(env: ManagerEnv, ctx: RequestContext, instance: Instance, args: { connectionInfo: ConnectionInfo; mountpoint: string }): Promise<void> {
  await env.driver.detachVolume(ctx, legacyInstanceDict(instance), args);
}
