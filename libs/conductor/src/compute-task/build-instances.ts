// build_instances as a task: create the records (building / scheduling), pick a host for
// every instance (all or none, as Nova's select_destinations), then cast build_and_run_instance
// to each. Rollback: every instance not yet handed to a compute goes to ERROR with a fault.
import type { ComputeTaskMethodArgs } from '@novakit/conductor-api';
import { InstanceFault, PowerState, TaskState, VmState, type BlockDeviceMapping, type Instance, type RequestContext } from '@novakit/objects';
import { ObjectActionError } from '@novakit/versioned-objects';
import type { Logger } from 'pino';
import { loadHostStates, type ResourceRequest } from '../scheduler/host-state.js';
import type { Scheduler, Selection } from '../scheduler/scheduler.js';
import type { ComputeRpc } from './compute-rpc.js';
import { TaskBase } from './task.js';

type Args = ComputeTaskMethodArgs['build_instances'];

export class BuildInstancesTask extends TaskBase<Instance[]> {
  private readonly instances: Instance[];
  private readonly bdms: BlockDeviceMapping[];
  private readonly created: Instance[] = [];
  /** Instances already handed to a compute, or already put in ERROR: rollback leaves them. */
  private readonly settled = new Set<string>();

  constructor(
    log: Logger,
    private readonly ctx: RequestContext,
    private readonly args: Args,
    private readonly scheduler: Scheduler,
    private readonly compute: ComputeRpc,
    /** This conductor's host, recorded on faults. */
    private readonly host: string,
  ) {
    super(log);
    this.instances = args.instances as Instance[];
    this.bdms = args.block_device_mapping as BlockDeviceMapping[];
  }

  protected async run(): Promise<Instance[]> {
    const uuids = new Set(this.instances.map((i) => i.uuid));
    const stray = this.bdms.find((b) => !uuids.has(b.instance_uuid));
    if (stray) throw new ObjectActionError({ action: 'build_instances', reason: `a block device mapping names instance ${stray.instance_uuid}, which is not in the request` });
    for (const inst of this.instances) {
      inst.obj_set_context(this.ctx);
      inst.vm_state = VmState.BUILDING;
      inst.task_state = TaskState.SCHEDULING;
      if (!inst.obj_attr_is_set('power_state')) inst.power_state = PowerState.NOSTATE;
      await inst.create();
      this.created.push(inst);
    }
    for (const bdm of this.bdms) if (!bdm.obj_attr_is_set('id')) await bdm.obj_set_context(this.ctx).create();
    const selections = await this.schedule();
    for (let i = 0; i < this.created.length; i++) await this.dispatch(this.created[i]!, selections[i]!);
    return this.created;
  }

  /** One host per instance from one read of the hosts, so each placement sees the previous ones. */
  private async schedule(): Promise<Selection[]> {
    const hosts = await loadHostStates(this.ctx);
    const fp = this.args.filter_properties;
    return this.created.map(
      (inst) => this.scheduler.select(hosts, { resources: resourcesOf(inst), ignoreHosts: fp.ignore_hosts ?? [], forceHosts: fp.force_hosts ?? [] })[0]!,
    );
  }

  /** A failed cast fails that instance only: the others may still build. */
  private async dispatch(inst: Instance, sel: Selection): Promise<void> {
    const a = this.args;
    try {
      await this.compute.build_and_run_instance(this.ctx, sel.host, {
        instance: inst,
        image: a.image,
        filter_properties: { ...a.filter_properties, retry: { num_attempts: 1, hosts: [[sel.host, sel.nodename]] } },
        admin_password: a.admin_password ?? null,
        injected_files: a.injected_files,
        requested_networks: a.requested_networks ?? null,
        security_groups: a.security_groups,
        block_device_mapping: this.bdms.filter((b) => b.instance_uuid === inst.uuid),
        node: sel.nodename,
        limits: sel.limits,
      });
      this.settled.add(inst.uuid);
      this.log.info({ instance_uuid: inst.uuid, host: sel.host, node: sel.nodename }, 'build_and_run_instance cast');
    } catch (err) {
      this.log.warn({ instance_uuid: inst.uuid, host: sel.host, err }, 'could not hand the instance to its compute');
      await this.fail(inst, err);
    }
  }

  protected async rollback(err: unknown): Promise<void> {
    for (const inst of this.created) if (!this.settled.has(inst.uuid)) await this.fail(inst, err);
  }

  /** Nova's _set_vm_state_and_notify: ERROR, no task, and the error as the instance's fault. */
  private async fail(inst: Instance, err: unknown): Promise<void> {
    this.settled.add(inst.uuid);
    inst.vm_state = VmState.ERROR;
    inst.task_state = null;
    await inst.save();
    const e = err instanceof Error ? err : new Error(String(err));
    await new InstanceFault({ instance_uuid: inst.uuid, code: 500, message: e.message, details: e.stack ?? null, host: this.host }, this.ctx).create();
  }
}

/** The instance's flavor resources: its own columns, else its flavor's. */
export function resourcesOf(inst: Instance): ResourceRequest {
  const flavor = inst.obj_attr_is_set('flavor') ? inst.flavor : null;
  const pick = (field: 'memory_mb' | 'vcpus' | 'root_gb' | 'ephemeral_gb'): number => {
    const own = inst.obj_attr_is_set(field) ? inst[field] : null;
    return own ?? (flavor ? flavor[field] : 0) ?? 0;
  };
  return { memory_mb: pick('memory_mb'), vcpus: pick('vcpus'), root_gb: pick('root_gb'), ephemeral_gb: pick('ephemeral_gb') };
}
