// Operations that change no task_state (volume attach and detach, the destination's steps of
// a live migration) leave only their action event behind when a compute dies. init_host finds
// this host's unfinished events, undoes what is safe to undo, and closes them as failed.
import {
  BlockDeviceMappingList,
  InstanceActionEvent,
  InstanceActionEventList,
  InstanceActionList,
  RequestContext,
  type Instance,
} from '@novakit/objects';
import { driverDetachVolume } from '../legacy/volumes.js';
import type { ManagerEnv } from '../manager/env.js';
import { recordFault } from '../manager/operation.js';
import { volumeConnectionInfo } from '../manager/volumes.js';
import { InterruptedByRestart } from '../errors.js';

/** How far back in an instance's action history init_host looks. */
const RECENT_ACTIONS = 10;

/** Nova's rule for a failed attach: forget reservations that never got a connection. */
async function undoAttach(env: ManagerEnv, ctx: RequestContext, instance: Instance): Promise<string> {
  const bdms = await BlockDeviceMappingList.getByInstanceUuid(ctx, instance.uuid);
  const pending = bdms.volumeBdms().filter((b) => !b.connection_info);
  const guestHere = await env.driver.instanceExists(instance);
  for (const bdm of pending) {
    if (guestHere && bdm.device_name && bdm.volume_id) {
      // The driver may have plugged it before the crash; detaching what is not attached succeeds.
      await driverDetachVolume(env, ctx, instance, { connectionInfo: volumeConnectionInfo(bdm), mountpoint: bdm.device_name });
    }
    await bdm.destroy();
  }
  return pending.length ? `attach reverted for volume(s) ${pending.map((b) => b.volume_id).join(', ')}` : 'the attach had completed';
}

export async function recoverUnfinishedEvents(env: ManagerEnv, base: RequestContext, instance: Instance): Promise<number> {
  const actions = await InstanceActionList.getByInstanceUuid(base, instance.uuid);
  let closed = 0;
  for (const action of actions.objects.slice(0, RECENT_ACTIONS)) {
    const events = await InstanceActionEventList.getByAction(base, action.id);
    for (const event of events.objects) {
      if (event.finish_time !== null || event.host !== env.host || !event.event || !action.request_id) continue;
      // Finish the event within its own request's action.
      const ctx = RequestContext.create({ ...base, request_id: action.request_id });
      const outcome = event.event === 'compute_attach_volume' ? await undoAttach(env, ctx, instance) : 'closed as failed; retry the operation';
      const err = new InterruptedByRestart({ host: env.host, operation: event.event, outcome });
      await recordFault(env, ctx, instance.uuid, err, env.log);
      await InstanceActionEvent.eventFinishWithFailure(ctx, instance.uuid, event.event, { excVal: err.message, excTb: err.message, wantResult: false });
      env.log.warn({ instance_uuid: instance.uuid, event: event.event, outcome }, 'interrupted operation recovered');
      closed++;
    }
  }
  return closed;
}
