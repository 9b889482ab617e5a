// How init_host records what it did to an instance: an instance action of its own request
// ('compute_recover'), one event per recovery, and a fault when an operation was cut short.
import { InstanceAction, InstanceActionEvent, RequestContext, type Instance } from '@novakit/objects';
import type { ManagerEnv } from '../manager/env.js';
import { recordFault } from '../manager/operation.js';
import { InterruptedByRestart } from '../errors.js';

export const RECOVERY_ACTION = 'compute_recover';

/** A context of its own for one instance's recovery, so its action and events group together. */
export function recoveryContext(base: RequestContext): RequestContext {
  return RequestContext.create({ ...base, request_id: undefined, timestamp: new Date() });
}

export async function recordRecovery(env: ManagerEnv, ctx: RequestContext, instance: Instance, event: string, interrupted: { operation: string; outcome: string } | null): Promise<void> {
  await InstanceAction.actionStart(ctx, instance.uuid, RECOVERY_ACTION, { wantResult: false });
  await InstanceActionEvent.eventStart(ctx, instance.uuid, event, { host: env.host, wantResult: false });
  if (interrupted) {
    const err = new InterruptedByRestart({ host: env.host, operation: interrupted.operation, outcome: interrupted.outcome });
    await recordFault(env, ctx, instance.uuid, err, env.log);
    await InstanceActionEvent.eventFinishWithFailure(ctx, instance.uuid, event, { excVal: err.message, excTb: err.message, wantResult: false });
  } else {
    await InstanceActionEvent.eventFinish(ctx, instance.uuid, event, { wantResult: false });
  }
  await InstanceAction.actionFinish(ctx, instance.uuid, { wantResult: false });
}
