// Power-state sync (Nova's _sync_power_states / _sync_instance_power_state): compare the
// hypervisor's power state of every instance of this host with the database, record the
// driver's view, and settle the instances whose vm_state contradicts it, with Nova's decisions.
import { Instance, InstanceList, InstanceNotFound, PowerState, VmState, type RequestContext } from '@novakit/objects';
import type { LifecycleEvent } from '@novakit/virt-driver';
import { driverPowerState } from '../legacy/lifecycle.js';
import type { ManagerEnv } from '../manager/env.js';
import { stopInstance } from '../manager/power.js';

export type SyncDecision = 'none' | 'stop' | 'warn';

/** Nova's table: what to do for a stable vm_state given the hypervisor's power state. */
export function syncDecision(vmState: string | null, power: PowerState): SyncDecision {
  const off = power === PowerState.SHUTDOWN || power === PowerState.CRASHED;
  switch (vmState) {
    case VmState.ACTIVE:
      if (off) return 'stop';
      return power === PowerState.RUNNING ? 'none' : 'warn';
    case VmState.STOPPED:
      return off || power === PowerState.NOSTATE ? 'none' : 'stop';
    case VmState.PAUSED:
      return off ? 'stop' : 'none';
    case VmState.SOFT_DELETED:
    case VmState.DELETED:
      return power === PowerState.NOSTATE || power === PowerState.SHUTDOWN ? 'none' : 'warn';
    default:
      return 'none';
  }
}

export async function syncInstancePowerState(env: ManagerEnv, ctx: RequestContext, instance: Instance): Promise<void> {
  // An operation in progress owns the instance; the next run looks again.
  if (instance.task_state !== null || instance.host !== env.host) return;
  const power = await driverPowerState(env, ctx, instance);
  if (instance.power_state !== power) {
    instance.power_state = power;
    await instance.save({ expectedTaskState: null });
  }
  const decision = syncDecision(instance.vm_state, power);
  const log = env.log.child({ instance_uuid: instance.uuid, vm_state: instance.vm_state, power_state: power });
  if (decision === 'warn') log.warn('power state does not match vm_state; left alone (Nova ignores this case)');
  if (decision === 'stop') {
    log.warn('instance is not running as the database says: stopping it');
    await stopInstance(env, ctx, instance, false);
  }
}

export async function syncPowerStates(env: ManagerEnv, ctx: RequestContext): Promise<void> {
  const instances = await InstanceList.getByHost(ctx, env.host);
  for (const instance of instances.objects) {
    try {
      await syncInstancePowerState(env, ctx, instance);
    } catch (err) {
      env.log.warn({ err, instance_uuid: instance.uuid }, 'power state sync of one instance failed');
    }
  }
}

/**
 * Nova's handle_lifecycle_event: a driver that reports power changes gets the one instance
 * synced at once instead of at the next periodic run. Events arrive outside any request, so
 * each sync gets its own context; failures are logged, never thrown at the driver.
 */
export function lifecycleEventListener(env: ManagerEnv, newContext: () => RequestContext): (event: LifecycleEvent) => void {
  return (event) => {
    const ctx = newContext();
    void Instance.getByUuid(ctx, event.instanceUuid, { expectedAttrs: [] })
      .then((instance) => syncInstancePowerState(env, ctx, instance))
      .catch((err: unknown) => {
        if (!(err instanceof InstanceNotFound)) env.log.warn({ err, instance_uuid: event.instanceUuid, transition: event.transition }, 'lifecycle event sync failed');
      });
  };
}
