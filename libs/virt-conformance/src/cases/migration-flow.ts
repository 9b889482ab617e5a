// The compute manager's live-migration flow at Juno (nova-juno.md §1.3), played by the suite
// with two hosts: checks, pre on the destination, the transfer on the source, then either the
// manager's _post_live_migration or its _rollback_live_migration as the callbacks.
import type { ComputeDriver, DriverVolume, LiveMigrationCallback, MigrateData, MigrationProgress } from '@novakit/virt-driver';
import type { CaseEnv } from '../harness.js';
import { blockDeviceInfo, driverVolume, type TestInstance } from '../test-data.js';

export interface Migration {
  readonly src: ComputeDriver;
  readonly dst: ComputeDriver;
  readonly ti: TestInstance;
  readonly volumes: readonly DriverVolume[];
  readonly shared: boolean;
  readonly block: boolean;
  /** The source check's result: what pre_live_migration gets. */
  readonly migrateData: MigrateData;
}

/**
 * Spawn on host a (with a volume when the driver attaches volumes) and run the three checks.
 * Ends the case when the hosts do not share storage and the driver cannot block-migrate.
 */
export async function prepareMigration(env: CaseEnv, opts: { withVolume?: boolean } = {}): Promise<Migration> {
  const shared = env.expectations.hostsShareStorage;
  // Hosts that do not share storage migrate an instance with local disks only by copying them.
  if (!shared) await env.requires('supportsBlockMigration');
  const block = !shared;
  const src = await env.host('a');
  const dst = await env.host('b');
  const ti = env.instance();
  const volumes = opts.withVolume && src.capabilities.supportsVolumeAttach ? [driverVolume(await env.volume(), env.mountpoint(1))] : [];
  await env.spawn(src, ti, volumes);
  env.track(ti);
  const destCheckData = await dst.checkCanLiveMigrateDestination(env.ctx, ti.legacy, {
    srcComputeInfo: await env.computeInfo(src),
    dstComputeInfo: await env.computeInfo(dst),
    blockMigration: block,
    diskOverCommit: false,
  });
  try {
    const migrateData = await src.checkCanLiveMigrateSource(env.ctx, ti.legacy, { destCheckData: { ...destCheckData, is_volume_backed: false } });
    return { src, dst, ti, volumes, shared, block, migrateData };
  } finally {
    await dst.checkCanLiveMigrateDestinationCleanup(env.ctx, destCheckData);
  }
}

/** pre_live_migration on the destination, merged as the manager passes it to live_migration. */
export async function preOnDestination(env: CaseEnv, m: Migration): Promise<MigrateData> {
  if (m.dst.capabilities.supportsFirewall) await m.dst.ensureFilteringRulesForInstance(env.ctx, m.ti.legacy, { networkInfo: m.ti.networkInfo });
  const pre = await m.dst.preLiveMigration(env.ctx, m.ti.legacy, { blockDeviceInfo: blockDeviceInfo(m.volumes), networkInfo: m.ti.networkInfo, diskInfo: null, migrateData: m.migrateData });
  return { ...m.migrateData, ...pre, pre_live_migration_result: pre };
}

export interface CallbackLog {
  readonly post: unknown[][];
  readonly recover: unknown[][];
  readonly progress: MigrationProgress[];
  /** The power state the destination reported when postMethod was called. */
  destinationStateAtPost: number | null;
}

/** The manager's two callbacks, doing what _post_live_migration and _rollback_live_migration ask of drivers. */
export function managerCallbacks(env: CaseEnv, m: Migration): { log: CallbackLog; post: LiveMigrationCallback; recover: LiveMigrationCallback } {
  const log: CallbackLog = { post: [], recover: [], progress: [], destinationStateAtPost: null };
  const bdi = blockDeviceInfo(m.volumes);
  const net = { networkInfo: m.ti.networkInfo };
  const post: LiveMigrationCallback = async (ctx, instance, dest, blockMigration, migrateData) => {
    log.post.push([ctx, instance, dest, blockMigration, migrateData]);
    // Success means the guest already runs on the destination when the manager is told.
    log.destinationStateAtPost = (await m.dst.getInfo(ctx, instance)).state;
    await m.src.postLiveMigration(ctx, instance, { blockDeviceInfo: bdi, migrateData });
    if (m.src.capabilities.supportsFirewall) await m.src.unfilterInstance(ctx, instance, net);
    const atSource = m.src.capabilities.supportsPostLiveMigrationAtSource;
    if (atSource) await m.src.postLiveMigrationAtSource(ctx, m.ti.instance, net);
    await m.dst.postLiveMigrationAtDestination(ctx, m.ti.instance, { ...net, blockMigration, blockDeviceInfo: bdi });
    const sharedPath = migrateData.is_shared_instance_path === true;
    if (blockMigration || !sharedPath) {
      await m.src.cleanup(ctx, instance, { ...net, blockDeviceInfo: bdi, destroyDisks: migrateData.is_shared_block_storage !== true, destroyVifs: !atSource, migrateData });
    }
  };
  const recover: LiveMigrationCallback = async (ctx, instance, dest, blockMigration, migrateData) => {
    log.recover.push([ctx, instance, dest, blockMigration, migrateData]);
    await m.dst.rollbackLiveMigrationAtDestination(ctx, instance, { ...net, blockDeviceInfo: bdi, destroyDisks: migrateData.is_shared_block_storage !== true, migrateData });
  };
  return { log, post, recover };
}
