// A small manager for the fake's own tests: spawn, and the Juno live-migration flow.
import { blockDeviceInfo, createTestInstance, FakeVirtAPI, type TestInstance } from '@novakit/virt-conformance';
import type { LiveMigrationCallback, MigrateData, MigrationProgress } from '@novakit/virt-driver';
import type { FakeDriver } from '../src/index.js';

export const virtapi = FakeVirtAPI.create();
export const ctx = virtapi.context();
export const none = blockDeviceInfo();

export function newInstance(opts: Parameters<typeof createTestInstance>[0] = {}): TestInstance {
  const ti = createTestInstance({ ctx, ...opts });
  virtapi.addInstance(ti.instance);
  return ti;
}

export async function spawn(driver: FakeDriver, opts: Parameters<typeof createTestInstance>[0] = {}): Promise<TestInstance> {
  const ti = newInstance(opts);
  await driver.spawn(ctx, ti.instance, { imageMeta: { id: 'image', properties: {} }, networkInfo: ti.networkInfo, blockDeviceInfo: none });
  return ti;
}

export async function checks(src: FakeDriver, dst: FakeDriver, ti: TestInstance, blockMigration: boolean): Promise<MigrateData> {
  const info = async (d: FakeDriver) => ({ ...(await d.getAvailableResource(d.host)) });
  const destCheck = await dst.checkCanLiveMigrateDestination(ctx, ti.legacy, { srcComputeInfo: await info(src), dstComputeInfo: await info(dst), blockMigration, diskOverCommit: false });
  try {
    return await src.checkCanLiveMigrateSource(ctx, ti.legacy, { destCheckData: destCheck });
  } finally {
    await dst.checkCanLiveMigrateDestinationCleanup(ctx, destCheck);
  }
}

export interface Outcome {
  post: number;
  recover: number;
  progress: MigrationProgress[];
}

/** checks → pre (destination) → transfer (source) → the manager's post or rollback. */
export async function migrate(src: FakeDriver, dst: FakeDriver, ti: TestInstance, opts: { blockMigration?: boolean; skipPre?: boolean } = {}): Promise<Outcome> {
  const block = opts.blockMigration ?? true;
  const data = await checks(src, dst, ti, block);
  const pre = opts.skipPre ? {} : await dst.preLiveMigration(ctx, ti.legacy, { blockDeviceInfo: none, networkInfo: ti.networkInfo, diskInfo: null, migrateData: data });
  const migrateData = { ...data, ...pre, pre_live_migration_result: pre };
  const outcome: Outcome = { post: 0, recover: 0, progress: [] };
  const post: LiveMigrationCallback = async (c, instance, _dest, blockMigration, md) => {
    outcome.post++;
    await src.postLiveMigration(c, instance, { blockDeviceInfo: none, migrateData: md });
    await src.postLiveMigrationAtSource(c, ti.instance, { networkInfo: ti.networkInfo });
    await dst.postLiveMigrationAtDestination(c, ti.instance, { networkInfo: ti.networkInfo, blockMigration, blockDeviceInfo: none });
    if (blockMigration || md.is_shared_instance_path !== true) {
      await src.cleanup(c, instance, { networkInfo: ti.networkInfo, blockDeviceInfo: none, destroyDisks: md.is_shared_block_storage !== true, destroyVifs: false, migrateData: md });
    }
  };
  const recover: LiveMigrationCallback = async (c, instance, _dest, _block, md) => {
    outcome.recover++;
    await dst.rollbackLiveMigrationAtDestination(c, instance, { networkInfo: ti.networkInfo, blockDeviceInfo: none, destroyDisks: md.is_shared_block_storage !== true, migrateData: md });
  };
  await src.liveMigration(ctx, ti.legacy, { dest: dst.host, postMethod: post, recoverMethod: recover, blockMigration: block, migrateData, onProgress: (p) => outcome.progress.push(p) });
  return outcome;
}
