// Release 1 calls of the live-migration work items (check_can_live_migrate_destination/source,
// pre_live_migration, live_migration, post_live_migration, rollback_live_migration_at_destination,
// cleanup, check_instance_shared_storage_local) and the raw conductor calls Icehouse made
// around them: compute node info from service_get_by_compute_host, block device info from raw
// BDM rows, and the host/state change of the post and rollback paths through instance_update.
import { TaskState, VmState, type Instance, type NetworkInfo, type PowerState, type RequestContext } from '@novakit/objects';
import {
  legacyInstanceDict,
  type ComputeInfo,
  type LiveMigrationCallback,
  type MigrateData,
  type MigrationProgress,
  type SharedStorageProbe,
} from '@novakit/virt-driver';
import type { ManagerEnv } from '../manager/env.js';
import { legacyBlockDeviceInfo } from './block-device-info.js';

/** The compute node columns of a host, as Icehouse passed them to the checks (a dict). */
export async function legacyComputeInfo(env: ManagerEnv, ctx: RequestContext, host: string): Promise<ComputeInfo> {
  const service = await env.conductor.service_get_by_compute_host(ctx, host);
  const nodes = service.compute_node;
  const node = Array.isArray(nodes) ? nodes[0] : nodes;
  return (node && typeof node === 'object' ? node : {}) as ComputeInfo;
}

/** Work item check_can_live_migrate_destination, with its cleanup (runs on the destination). */
export async function driverCheckDestination(env: ManagerEnv, ctx: RequestContext, instance: Instance, blockMigration: boolean, diskOverCommit: boolean): Promise<MigrateData> {
  const srcComputeInfo = await legacyComputeInfo(env, ctx, instance.host!);
  const dstComputeInfo = await legacyComputeInfo(env, ctx, env.host);
  return env.driver.checkCanLiveMigrateDestination(ctx, legacyInstanceDict(instance), { srcComputeInfo, dstComputeInfo, blockMigration, diskOverCommit });
}

/** Work item check_can_live_migrate_source (runs on the source). */
export async function driverCheckSource(env: ManagerEnv, ctx: RequestContext, instance: Instance, destCheckData: MigrateData): Promise<MigrateData> {
  return env.driver.checkCanLiveMigrateSource(ctx, legacyInstanceDict(instance), { destCheckData });
}

/** Work item pre_live_migration (runs on the destination). */
export async function driverPreLiveMigration(
  env: ManagerEnv,
  ctx: RequestContext,
  instance: Instance,
  args: { networkInfo: NetworkInfo; diskInfo: string | null; migrateData: MigrateData },
): Promise<MigrateData> {
  const blockDeviceInfo = await legacyBlockDeviceInfo(env, ctx, instance.uuid, instance.root_device_name);
  return env.driver.preLiveMigration(ctx, legacyInstanceDict(instance), { ...args, blockDeviceInfo });
}

/** Work item live_migration (runs on the source); the callbacks get the dict the driver was given. */
export async function driverLiveMigration(
  env: ManagerEnv,
  ctx: RequestContext,
  instance: Instance,
  args: { dest: string; blockMigration: boolean; migrateData: MigrateData; postMethod: LiveMigrationCallback; recoverMethod: LiveMigrationCallback; onProgress?: (p: MigrationProgress) => void },
): Promise<void> {
  await env.driver.liveMigration(ctx, legacyInstanceDict(instance), args);
}

/** Work item post_live_migration (source, after success). */
export async function driverPostLiveMigration(env: ManagerEnv, ctx: RequestContext, instance: Instance, migrateData: MigrateData): Promise<void> {
  const blockDeviceInfo = await legacyBlockDeviceInfo(env, ctx, instance.uuid, instance.root_device_name);
  await env.driver.postLiveMigration(ctx, legacyInstanceDict(instance), { blockDeviceInfo, migrateData });
}

/** Work item cleanup (source, after success, when disks or the instance path are not shared). */
export async function driverCleanup(env: ManagerEnv, ctx: RequestContext, instance: Instance, args: { networkInfo: NetworkInfo; destroyDisks: boolean; migrateData: MigrateData }): Promise<void> {
  const blockDeviceInfo = await legacyBlockDeviceInfo(env, ctx, instance.uuid, instance.root_device_name);
  await env.driver.cleanup(ctx, legacyInstanceDict(instance), { ...args, blockDeviceInfo, destroyVifs: true });
}

/** Work item rollback_live_migration_at_destination. */
export async function driverRollbackAtDestination(
  env: ManagerEnv,
  ctx: RequestContext,
  instance: Instance,
  args: { networkInfo: NetworkInfo; destroyDisks: boolean; migrateData: MigrateData | null },
): Promise<void> {
  const blockDeviceInfo = await legacyBlockDeviceInfo(env, ctx, instance.uuid, instance.root_device_name);
  await env.driver.rollbackLiveMigrationAtDestination(ctx, legacyInstanceDict(instance), { ...args, blockDeviceInfo });
}

/** Work item check_instance_shared_storage_local; null when the driver cannot tell. */
export async function driverSharedStorageProbe(env: ManagerEnv, ctx: RequestContext, instance: Instance): Promise<SharedStorageProbe | null> {
  if (!env.driver.capabilities.supportsSharedStorageCheck) return null;
  return env.driver.checkInstanceSharedStorageLocal(ctx, legacyInstanceDict(instance));
}

/**
 * Icehouse's _post_live_migration_at_destination write: the instance is here now, running,
 * no task; guarded by MIGRATING so a migration that was rolled back meanwhile is not resurrected.
 */
export async function legacyMarkMigratedHere(env: ManagerEnv, ctx: RequestContext, instance: Instance, powerState: PowerState): Promise<void> {
  await env.conductor.instance_update(ctx, instance.uuid, {
    host: env.host,
    node: env.nodename,
    launched_on: env.host,
    power_state: powerState,
    vm_state: VmState.ACTIVE,
    task_state: null,
    expected_task_state: TaskState.MIGRATING,
  });
  await instance.refresh();
}

/** Icehouse's _rollback_live_migration write: back on the source, active, no task. */
export async function legacyMarkMigrationRolledBack(env: ManagerEnv, ctx: RequestContext, instance: Instance): Promise<void> {
  await env.conductor.instance_update(ctx, instance.uuid, { host: env.host, vm_state: VmState.ACTIVE, task_state: null, expected_task_state: TaskState.MIGRATING });
  await instance.refresh();
}
