// The source's side of a live migration as a task object (Nova's live_migration,
// _post_live_migration and _rollback_live_migration, Icehouse flavour): prepare the
// destination, let the driver move the guest, then either finish on both hosts or roll
// back to this host. The rollback is explicit and runs at most once.
import { BlockDeviceMappingList, Migration, MigrationNotFound, TaskState, type Instance, type RequestContext } from '@novakit/objects';
import { MigrationError, type MigrateData, type MigrationProgress } from '@novakit/virt-driver';
import type { Logger } from 'pino';
import {
  driverCleanup,
  driverLiveMigration,
  driverPostLiveMigration,
  legacyMarkMigrationRolledBack,
} from '../../legacy/live-migration.js';
import { driverUnfilter, driverUnplugVifs } from '../../legacy/networking.js';
import { driverVolumeConnector } from '../../legacy/volumes.js';
import type { ManagerEnv } from '../env.js';
import { networkInfoOf } from '../instance-data.js';
import { instanceOperation, type OperationScope } from '../operation.js';
import { WorkflowTask } from '../task.js';

export interface LiveMigrationArgs {
  readonly dest: string;
  readonly blockMigration: boolean;
  readonly migrateData: MigrateData;
  readonly migrationId: number | null;
}

const PROGRESS_INTERVAL_MS = 250;

class LiveMigrationTask extends WorkflowTask<void> {
  /** Set once the guest runs on the destination: from then on there is nothing to roll back. */
  private moved = false;
  private rolledBack = false;
  /** The migration record: the caller's, or one this task creates so a restart knows the destination. */
  private migrationId: number | null;
  private readonly sharedInstancePath: boolean;
  private readonly sharedBlockStorage: boolean;
  /** Progress saves run one after another, at most every PROGRESS_INTERVAL_MS. */
  private progressWrites: Promise<void> = Promise.resolve();
  private lastProgress = { at: 0, percent: -1 };

  constructor(
    private readonly env: ManagerEnv,
    private readonly ctx: RequestContext,
    private readonly instance: Instance,
    private readonly args: LiveMigrationArgs,
    private readonly scope: OperationScope,
    log: Logger,
  ) {
    super(log);
    // Juno's flags: without a word from the driver, storage is shared unless this is a block migration.
    this.sharedInstancePath = args.migrateData.is_shared_instance_path ?? !args.blockMigration;
    this.sharedBlockStorage = args.migrateData.is_shared_block_storage ?? !args.blockMigration;
    this.migrationId = args.migrationId;
  }

  protected async execute(): Promise<void> {
    const { env, ctx, instance, args } = this;
    if (this.migrationId === null) {
      const migration = new Migration({ source_compute: env.host, source_node: env.nodename, dest_compute: args.dest, dest_host: args.dest, instance_uuid: instance.uuid, status: 'preparing' }, ctx);
      await migration.create();
      this.migrationId = migration.id;
    }
    await this.setMigrationStatus('preparing');
    this.onRollback('roll back to the source', () => this.rollbackToSource());
    const pre = await env.compute.preLiveMigration(ctx, instance, args.dest, { block_migration: args.blockMigration, disk: null, migrate_data: { ...args.migrateData } });
    const migrateData: MigrateData = { ...args.migrateData, ...pre, pre_live_migration_result: { ...pre } };
    await this.setMigrationStatus('running');
    await driverLiveMigration(env, ctx, instance, {
      dest: args.dest,
      blockMigration: args.blockMigration,
      migrateData,
      postMethod: () => this.postLiveMigration(migrateData),
      recoverMethod: () => this.rollbackToSource(),
      onProgress: (p) => this.reportProgress(p),
    });
    if (this.rolledBack) throw new MigrationError({ reason: `the driver could not move the instance to ${args.dest}; it still runs on ${env.host}` });
  }

  /**
   * The transfer's progress as the instance's `progress` (0–99 %), as Nova's libvirt driver
   * does, so the API and `novakit server migrate` can show it. Saved from a copy holding only
   * that change, guarded by task_state MIGRATING: a late save after the migration ended fails
   * harmlessly instead of touching the finished instance.
   */
  private reportProgress(p: MigrationProgress): void {
    this.log.debug({ remaining_bytes: p.remainingBytes, total_bytes: p.totalBytes }, 'migration progress');
    if (p.totalBytes <= 0) return;
    const percent = Math.max(0, Math.min(99, Math.floor((100 * (p.totalBytes - p.remainingBytes)) / p.totalBytes)));
    const now = Date.now();
    if (percent === this.lastProgress.percent || now - this.lastProgress.at < PROGRESS_INTERVAL_MS) return;
    this.lastProgress = { at: now, percent };
    this.progressWrites = this.progressWrites
      .then(async () => {
        const copy = this.instance.obj_clone();
        copy.obj_reset_changes(null, true);
        copy.progress = percent;
        await copy.save({ expectedTaskState: TaskState.MIGRATING });
      })
      .catch((err: unknown) => this.log.debug({ err }, 'migration progress not recorded'));
  }

  /** Nova's _post_live_migration: the guest runs on the destination; clean up here and hand over. */
  private async postLiveMigration(migrateData: MigrateData): Promise<void> {
    const { env, ctx, instance, args } = this;
    this.moved = true;
    await this.progressWrites;
    const networkInfo = await networkInfoOf(instance);
    await driverPostLiveMigration(env, ctx, instance, migrateData);
    const bdms = await BlockDeviceMappingList.getByInstanceUuid(ctx, instance.uuid);
    if (bdms.volumeBdms().length > 0) {
      const connector = await driverVolumeConnector(env, ctx, instance);
      this.log.info({ connector_host: connector.host, volumes: bdms.volumeBdms().map((b) => b.volume_id) }, 'source volume connections terminated');
    }
    // A driver without a firewall (QEMU unless it manages nft) has no rules here to remove.
    if (env.driver.capabilities.supportsFirewall) await driverUnfilter(env, ctx, instance, networkInfo);
    await env.compute.postLiveMigrationAtDestination(ctx, instance, args.dest, args.blockMigration);
    if (args.blockMigration || !this.sharedInstancePath) {
      await driverCleanup(env, ctx, instance, { networkInfo, destroyDisks: !this.sharedBlockStorage, migrateData });
    } else {
      await driverUnplugVifs(env, ctx, instance, networkInfo);
    }
    await this.setMigrationStatus('completed');
    env.usageChanged();
  }

  /** Nova's _rollback_live_migration: the guest stays here; undo the destination's preparation. */
  private async rollbackToSource(): Promise<void> {
    if (this.moved || this.rolledBack) return;
    this.rolledBack = true;
    await this.progressWrites;
    const { env, ctx, instance, args } = this;
    await legacyMarkMigrationRolledBack(env, ctx, instance);
    this.scope.released();
    const bdms = await BlockDeviceMappingList.getByInstanceUuid(ctx, instance.uuid);
    for (const bdm of bdms.volumeBdms()) {
      await env.compute.removeVolumeConnection(ctx, instance, bdm.volume_id!, args.dest).catch((err: unknown) => this.log.warn({ err, volume_id: bdm.volume_id }, 'could not remove the volume connection on the destination'));
    }
    const doCleanup = args.blockMigration || !this.sharedInstancePath;
    await env.compute.rollbackLiveMigrationAtDestination(ctx, instance, args.dest, { destroy_disks: doCleanup && !this.sharedBlockStorage, migrate_data: { ...args.migrateData } });
    await this.setMigrationStatus('error');
  }

  private async setMigrationStatus(status: string): Promise<void> {
    if (this.migrationId === null) return;
    try {
      const migration = await Migration.getById(this.ctx, this.migrationId);
      migration.status = status;
      await migration.save();
    } catch (e) {
      if (!(e instanceof MigrationNotFound)) throw e;
    }
  }
}

export async function liveMigration(env: ManagerEnv, ctx: RequestContext, instance: Instance, args: LiveMigrationArgs): Promise<void> {
  await instanceOperation(
    env,
    ctx,
    instance,
    { event: 'compute_live_migration', action: 'live-migration', taskState: TaskState.MIGRATING },
    (scope) => new LiveMigrationTask(env, ctx, instance, args, scope, scope.log).run(),
  );
}
