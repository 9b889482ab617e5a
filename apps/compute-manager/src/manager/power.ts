// The power family: reboot, stop, start, pause/unpause, suspend/resume. Each claims its task
// state, calls the driver (these methods already take Instance objects), reads the power state
// back and settles vm_state with the task cleared, guarded by the task it held.
import { TaskState, VmState, type Instance, type PowerState, type RequestContext } from '@novakit/objects';
import type { RebootType } from '@novakit/virt-driver';
import { driverPowerState } from '../legacy/lifecycle.js';
import type { ManagerEnv } from './env.js';
import { blockDeviceInfoOf, networkInfoOf } from './instance-data.js';
import { instanceOperation, type OperationScope } from './operation.js';

async function settle(env: ManagerEnv, ctx: RequestContext, instance: Instance, scope: OperationScope, vmState: VmState): Promise<void> {
  const powerState: PowerState = await driverPowerState(env, ctx, instance);
  await scope.step(null, (i) => {
    i.power_state = powerState;
    i.vm_state = vmState;
  });
}

export async function rebootInstance(env: ManagerEnv, ctx: RequestContext, instance: Instance, rebootType: RebootType): Promise<void> {
  const hard = rebootType === 'HARD';
  const requested = hard ? TaskState.REBOOTING_HARD : TaskState.REBOOTING;
  // The API sets REBOOTING(_HARD); the compute's own claim is the PENDING state (Nova's flow).
  await instanceOperation(
    env,
    ctx,
    instance,
    { event: 'compute_reboot_instance', action: 'reboot', taskState: hard ? TaskState.REBOOT_PENDING_HARD : TaskState.REBOOT_PENDING, claimFrom: [null, requested], vmStateOnError: VmState.ERROR },
    async (scope) => {
      await scope.step(hard ? TaskState.REBOOT_STARTED_HARD : TaskState.REBOOT_STARTED);
      const [networkInfo, blockDeviceInfo] = [await networkInfoOf(instance), await blockDeviceInfoOf(ctx, instance)];
      await env.driver.reboot(ctx, instance, { rebootType, networkInfo, blockDeviceInfo });
      await settle(env, ctx, instance, scope, VmState.ACTIVE);
    },
  );
}

export async function stopInstance(env: ManagerEnv, ctx: RequestContext, instance: Instance, cleanShutdown: boolean): Promise<void> {
  await instanceOperation(env, ctx, instance, { event: 'compute_stop_instance', action: 'stop', taskState: TaskState.POWERING_OFF }, async (scope) => {
    await env.driver.powerOff(instance, cleanShutdown ? { timeoutSeconds: 60, retryIntervalSeconds: 10 } : { timeoutSeconds: 0 });
    await settle(env, ctx, instance, scope, VmState.STOPPED);
  });
}

export async function startInstance(env: ManagerEnv, ctx: RequestContext, instance: Instance): Promise<void> {
  await instanceOperation(env, ctx, instance, { event: 'compute_start_instance', action: 'start', taskState: TaskState.POWERING_ON }, async (scope) => {
    await env.driver.powerOn(ctx, instance, { networkInfo: await networkInfoOf(instance), blockDeviceInfo: await blockDeviceInfoOf(ctx, instance) });
    await settle(env, ctx, instance, scope, VmState.ACTIVE);
  });
}

export async function pauseInstance(env: ManagerEnv, ctx: RequestContext, instance: Instance): Promise<void> {
  await instanceOperation(env, ctx, instance, { event: 'compute_pause_instance', action: 'pause', taskState: TaskState.PAUSING }, async (scope) => {
    await env.driver.pause(instance);
    await settle(env, ctx, instance, scope, VmState.PAUSED);
  });
}

export async function unpauseInstance(env: ManagerEnv, ctx: RequestContext, instance: Instance): Promise<void> {
  await instanceOperation(env, ctx, instance, { event: 'compute_unpause_instance', action: 'unpause', taskState: TaskState.UNPAUSING }, async (scope) => {
    await env.driver.unpause(instance);
    await settle(env, ctx, instance, scope, VmState.ACTIVE);
  });
}

export async function suspendInstance(env: ManagerEnv, ctx: RequestContext, instance: Instance): Promise<void> {
  await instanceOperation(env, ctx, instance, { event: 'compute_suspend_instance', action: 'suspend', taskState: TaskState.SUSPENDING }, async (scope) => {
    await env.driver.suspend(ctx, instance);
    await settle(env, ctx, instance, scope, VmState.SUSPENDED);
  });
}

export async function resumeInstance(env: ManagerEnv, ctx: RequestContext, instance: Instance): Promise<void> {
  await instanceOperation(env, ctx, instance, { event: 'compute_resume_instance', action: 'resume', taskState: TaskState.RESUMING }, async (scope) => {
    await env.driver.resume(ctx, instance, { networkInfo: await networkInfoOf(instance), blockDeviceInfo: await blockDeviceInfoOf(ctx, instance) });
    await settle(env, ctx, instance, scope, VmState.ACTIVE);
  });
}
