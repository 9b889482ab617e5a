// live_migrate_instance as a task (Nova's conductor/tasks/live_migrate.py): the instance must
// be running and its host up; the destination is checked (or chosen by the scheduler, trying
// the next host when one fails its checks); the destination then the source compute are asked;
// the migration is cast to the source. Rollback: the task state goes back to none, unless the
// source already has the migration.
import { ComputeServiceUnavailable, InstanceNotRunning, InvalidHypervisorType, MigrationPreCheckError, UnableToMigrateToSelf } from '@novakit/conductor-api';
import { ComputeHostNotFound, PowerState, TaskState, type Instance, type RequestContext } from '@novakit/objects';
import { errorClassName, MessagingTimeout } from '@novakit/rpc';
import type { Logger } from 'pino';
import { ComputeFilter } from '../scheduler/filters.js';
import { loadHostStates, type HostState } from '../scheduler/host-state.js';
import type { Scheduler } from '../scheduler/scheduler.js';
import { resourcesOf } from './build-instances.js';
import type { ComputeRpc, MigrateData } from './compute-rpc.js';
import { TaskBase } from './task.js';

export interface LiveMigrateInput {
  readonly instance: Instance;
  readonly destination: string | null;
  readonly blockMigration: boolean;
  readonly diskOverCommit: boolean;
}

export class LiveMigrationTask extends TaskBase<string> {
  private readonly inst: Instance;
  private source = '';
  private migrating = false;
  private handedOver = false;

  constructor(
    log: Logger,
    private readonly ctx: RequestContext,
    private readonly input: LiveMigrateInput,
    private readonly scheduler: Scheduler,
    private readonly compute: ComputeRpc,
  ) {
    super(log);
    this.inst = input.instance;
  }

  protected async run(): Promise<string> {
    const inst = this.inst.obj_set_context(this.ctx);
    if (inst.power_state !== PowerState.RUNNING) throw new InstanceNotRunning({ instance_id: inst.uuid });
    if (!inst.host) throw new MigrationPreCheckError({ reason: `instance ${inst.uuid} has no host` });
    this.source = inst.host;
    const hosts = await loadHostStates(this.ctx);
    const source = this.up(hosts, this.source);
    inst.task_state = TaskState.MIGRATING;
    await inst.save({ expectedTaskState: null });
    this.migrating = true;
    const [dest, migrateData] = this.input.destination
      ? await this.checkRequested(hosts, source, this.input.destination)
      : await this.findDestination(hosts, source);
    await this.compute.live_migration(this.ctx, this.source, { instance: inst, dest, block_migration: this.input.blockMigration, migrate_data: migrateData });
    this.handedOver = true;
    this.log.info({ instance_uuid: inst.uuid, source: this.source, dest }, 'live_migration cast');
    return dest;
  }

  protected async rollback(): Promise<void> {
    if (!this.migrating || this.handedOver) return;
    this.inst.task_state = null;
    await this.inst.save({ expectedTaskState: TaskState.MIGRATING });
  }

  /** The host's state; ComputeServiceUnavailable unless its service is up and enabled. */
  private up(hosts: readonly HostState[], host: string): HostState {
    const state = hosts.find((h) => h.host === host);
    if (!state) throw new ComputeHostNotFound({ host });
    const why = ComputeFilter.reject(state, { resources: resourcesOf(this.inst), ignoreHosts: [], forceHosts: [], options: this.scheduler.options, now: new Date() });
    if (why) {
      this.log.info({ host, why }, 'compute unavailable for live migration');
      throw new ComputeServiceUnavailable({ host });
    }
    return state;
  }

  private async checkRequested(hosts: readonly HostState[], source: HostState, dest: string): Promise<[string, MigrateData]> {
    if (dest === this.source) throw new UnableToMigrateToSelf({ instance_id: this.inst.uuid, host: dest });
    const target = this.up(hosts, dest);
    const memory = resourcesOf(this.inst).memory_mb;
    if (target.freeRamMb <= memory) {
      throw new MigrationPreCheckError({ reason: `Unable to migrate ${this.inst.uuid} to ${dest}: Lack of memory(host:${target.freeRamMb} <= instance:${memory})` });
    }
    return [dest, await this.checkOn(source, target)];
  }

  /** The scheduler's best host that passes the computes' checks, within maxMigrationAttempts. */
  private async findDestination(hosts: HostState[], source: HostState): Promise<[string, MigrateData]> {
    const ignore = [this.source];
    const attempts = this.scheduler.options.maxMigrationAttempts;
    let last: unknown;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const [sel] = this.scheduler.select(hosts, { resources: resourcesOf(this.inst), ignoreHosts: ignore });
      const target = hosts.find((h) => h.host === sel!.host)!;
      try {
        return [target.host, await this.checkOn(source, target)];
      } catch (err) {
        this.log.info({ instance_uuid: this.inst.uuid, host: target.host, err: (err as Error).message }, 'destination refused, trying another');
        ignore.push(target.host);
        last = err;
      }
    }
    const why = last instanceof Error ? `${last.name}: ${last.message}` : String(last);
    // A refusal this conductor made of a compute's failure (a timeout) names that failure, not itself.
    const cause = last instanceof MigrationPreCheckError && last.kwargs.cause ? last.kwargs.cause : errorClassName(last);
    throw new MigrationPreCheckError({ reason: `no destination passed the checks in ${attempts} attempts for instance ${this.inst.uuid}; last: ${why}`, ...(cause ? { cause } : {}) });
  }

  /** Same hypervisor type, then the destination's and the source's own checks. */
  private async checkOn(source: HostState, target: HostState): Promise<MigrateData> {
    if (source.hypervisorType !== target.hypervisorType) throw new InvalidHypervisorType({ source: source.hypervisorType, destination: target.hypervisorType });
    if (target.hypervisorVersion < source.hypervisorVersion) {
      throw new MigrationPreCheckError({ reason: `destination ${target.host} runs an older hypervisor (${target.hypervisorVersion} < ${source.hypervisorVersion})` });
    }
    const destCheck = await this.precheck(target.host, target.host, 'check_can_live_migrate_destination', () =>
      this.compute.check_can_live_migrate_destination(this.ctx, target.host, {
        instance: this.inst,
        block_migration: this.input.blockMigration,
        disk_over_commit: this.input.diskOverCommit,
      }),
    );
    return this.precheck(this.source, target.host, 'check_can_live_migrate_source', () =>
      this.compute.check_can_live_migrate_source(this.ctx, this.source, { instance: this.inst, dest_check_data: destCheck }),
    );
  }

  /**
   * A compute that does not answer a pre-check refuses the migration (as Nova's conductor does):
   * relayed bare, the timeout reached the API's conductor client as if the conductor had not
   * answered (ConductorTimeout, 503), although nothing had started.
   */
  private async precheck<T>(host: string, dest: string, method: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      if (!(err instanceof MessagingTimeout)) throw err;
      throw new MigrationPreCheckError({
        reason: `Timeout while checking if we can live migrate instance ${this.inst.uuid} to host: ${dest} (${method} on ${host} got no reply within ${err.kwargs.timeoutMs} ms)`,
        cause: err.name,
      });
    }
  }
}
