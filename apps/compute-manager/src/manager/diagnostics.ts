// The read-only family: get_diagnostics (a work item), get_instance_diagnostics and
// get_console_output. Nova Juno refuses diagnostics unless the instance runs.
import { InstanceInvalidState, PowerState, type Instance, type RequestContext } from '@novakit/objects';
import type { Diagnostics } from '@novakit/virt-driver';
import { driverDiagnostics } from '../legacy/diagnostics.js';
import { driverPowerState } from '../legacy/lifecycle.js';
import type { ManagerEnv } from './env.js';

async function requireRunning(env: ManagerEnv, ctx: RequestContext, instance: Instance, method: string): Promise<void> {
  const state = await driverPowerState(env, ctx, instance);
  if (state !== PowerState.RUNNING) throw new InstanceInvalidState({ instance_uuid: instance.uuid, attr: 'power_state', state: String(state), method });
}

export async function getDiagnostics(env: ManagerEnv, ctx: RequestContext, instance: Instance): Promise<Record<string, number | string>> {
  await requireRunning(env, ctx, instance, 'get_diagnostics');
  return env.inflight.run(() => driverDiagnostics(env, ctx, instance));
}

export async function getInstanceDiagnostics(env: ManagerEnv, ctx: RequestContext, instance: Instance): Promise<Diagnostics> {
  await requireRunning(env, ctx, instance, 'get_instance_diagnostics');
  return env.inflight.run(() => env.driver.getInstanceDiagnostics(ctx, instance));
}

export async function getConsoleOutput(env: ManagerEnv, ctx: RequestContext, instance: Instance, tailLength: number | null): Promise<string> {
  const output = await env.inflight.run(() => env.driver.getConsoleOutput(ctx, instance));
  if (!tailLength) return output;
  return output.split('\n').slice(-tailLength).join('\n');
}
