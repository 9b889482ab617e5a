// The destination's side of a live migration: prepare (pre_live_migration, then the
// firewall rules), take over after success (post_live_migration_at_destination), undo after
// a failure (rollback_live_migration_at_destination).
import type { Instance, RequestContext } from '@novakit/objects';
import { NotSupportedError, type MigrateData } from '@novakit/virt-driver';
import { driverPowerState } from '../../legacy/lifecycle.js';
import { driverPreLiveMigration, driverRollbackAtDestination, legacyMarkMigratedHere } from '../../legacy/live-migration.js';
import { driverEnsureFiltering } from '../../legacy/networking.js';
import type { ManagerEnv } from '../env.js';
import { blockDeviceInfoOf, networkInfoOf } from '../instance-data.js';
import { instanceOperation } from '../operation.js';

export async function preLiveMigration(env: ManagerEnv, ctx: RequestContext, instance: Instance, args: { disk: string | null; migrateData: MigrateData }): Promise<MigrateData> {
  return instanceOperation(env, ctx, instance, { event: 'compute_pre_live_migration', action: 'live-migration' }, async (scope) => {
    const networkInfo = await networkInfoOf(instance);
    const result = await driverPreLiveMigration(env, ctx, instance, { networkInfo, diskInfo: args.disk, migrateData: args.migrateData });
    try {
      await driverEnsureFiltering(env, ctx, instance, networkInfo);
    } catch (e) {
      if (!(e instanceof NotSupportedError)) throw e;
      scope.log.info('driver has no firewall to prepare');
    }
    return result ?? {};
  });
}

export async function postLiveMigrationAtDestination(env: ManagerEnv, ctx: RequestContext, instance: Instance, blockMigration: boolean): Promise<void> {
  await instanceOperation(env, ctx, instance, { event: 'compute_post_live_migration_at_destination', action: 'live-migration' }, async () => {
    const [networkInfo, blockDeviceInfo] = [await networkInfoOf(instance), await blockDeviceInfoOf(ctx, instance)];
    await env.driver.postLiveMigrationAtDestination(ctx, instance, { networkInfo, blockMigration, blockDeviceInfo });
    await legacyMarkMigratedHere(env, ctx, instance, await driverPowerState(env, ctx, instance));
    env.usageChanged();
  });
}

export async function rollbackLiveMigrationAtDestination(env: ManagerEnv, ctx: RequestContext, instance: Instance, destroyDisks: boolean, migrateData: MigrateData | null): Promise<void> {
  await instanceOperation(env, ctx, instance, { event: 'compute_rollback_live_migration_at_destination', action: 'live-migration' }, async () => {
    await driverRollbackAtDestination(env, ctx, instance, { networkInfo: await networkInfoOf(instance), destroyDisks, migrateData });
  });
}
