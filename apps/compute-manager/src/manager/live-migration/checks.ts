// The pre-checks of a live migration (Nova's flow step 1): the destination checks itself,
// asks the source to check, and removes its probe; and the peer's half of the shared-storage test.
import { BlockDeviceMappingList, type Instance, type RequestContext } from '@novakit/objects';
import type { MigrateData, SharedStorageProbe } from '@novakit/virt-driver';
import { driverCheckDestination, driverCheckSource } from '../../legacy/live-migration.js';
import type { ManagerEnv } from '../env.js';

/** Runs on the destination; returns the migrate data the source's live_migration will use. */
export async function checkCanLiveMigrateDestination(env: ManagerEnv, ctx: RequestContext, instance: Instance, blockMigration: boolean, diskOverCommit: boolean): Promise<MigrateData> {
  return env.inflight.run(async () => {
    const destCheckData = await driverCheckDestination(env, ctx, instance, blockMigration, diskOverCommit);
    try {
      const migrateData = await env.compute.checkCanLiveMigrateSource(ctx, instance, destCheckData);
      return { ...destCheckData, ...migrateData };
    } finally {
      await env.driver.checkCanLiveMigrateDestinationCleanup(ctx, destCheckData);
    }
  });
}

/** Runs on the source, with the destination's data. */
export async function checkCanLiveMigrateSource(env: ManagerEnv, ctx: RequestContext, instance: Instance, destCheckData: MigrateData): Promise<MigrateData> {
  return env.inflight.run(async () => {
    const bdms = await BlockDeviceMappingList.getByInstanceUuid(ctx, instance.uuid);
    const isVolumeBacked = bdms.rootBdm()?.isVolume ?? false;
    return driverCheckSource(env, ctx, instance, { ...destCheckData, is_volume_backed: isVolumeBacked });
  });
}

/** The peer's half of check_instance_shared_storage: does this host see the probe? */
export async function checkInstanceSharedStorage(env: ManagerEnv, ctx: RequestContext, _instance: Instance, probe: SharedStorageProbe): Promise<boolean> {
  if (!env.driver.capabilities.supportsSharedStorageCheck) return false;
  return env.driver.checkInstanceSharedStorageRemote(ctx, probe);
}
