/**
 * What surrounds every instance operation, as Nova's decorators did (wrap_instance_event,
 * reverts_task_state, wrap_instance_fault), written once:
 *
 * 1. claim: the task_state transition saved with expectedTaskState. A concurrent operation
 *    that got there first makes this fail with UnexpectedTaskStateError, before anything was
 *    written: the loser changes nothing.
 * 2. an instance action event (started, then Success or Error with the traceback).
 * 3. on failure: an InstanceFault, then task_state (and vm_state) put back, guarded by the
 *    task_state we hold so a newer operation is never overwritten.
 */
import {
  Instance,
  InstanceAction,
  InstanceActionEvent,
  InstanceActionNotFound,
  InstanceFault,
  InstanceNotFound,
  UnexpectedTaskStateError,
  type RequestContext,
  type TaskState,
  type VmState,
} from '@novakit/objects';
import type { Logger } from 'pino';
import type { ManagerEnv } from './env.js';

export interface OperationSpec {
  /** The action event name (Nova's `compute_<method>`). */
  readonly event: string;
  /** The instance action the event belongs to when the API did not start one (direct RPC). */
  readonly action: string;
  /**
   * The task_state this operation runs under. The API may have set it already; otherwise the
   * manager claims it from `claimFrom` (default: no task). Absent: no claim (read-only calls).
   */
  readonly taskState?: TaskState;
  readonly claimFrom?: readonly (TaskState | null)[];
  /** vm_state to set when the operation fails (Nova sets ERROR for some); default: the one before. */
  readonly vmStateOnError?: VmState;
}

export interface OperationScope {
  readonly log: Logger;
  /** Move to the next task_state of the operation, guarded by the current one. */
  step(next: TaskState | null, extra?: (instance: Instance) => void): Promise<void>;
  /** The body released the instance itself (a rollback wrote the final state): nothing is left to revert. */
  released(): void;
}

/** Sets the operation's task_state unless the API already did; UnexpectedTaskStateError if another operation holds the instance. */
export async function claimTaskState(instance: Instance, taskState: TaskState, claimFrom: readonly (TaskState | null)[] = [null]): Promise<void> {
  if (instance.task_state === taskState) return;
  instance.task_state = taskState;
  await instance.save({ expectedTaskState: claimFrom });
}

function isExpectedFailure(e: unknown): boolean {
  return e instanceof UnexpectedTaskStateError || e instanceof InstanceNotFound;
}

async function startEvent(env: ManagerEnv, ctx: RequestContext, uuid: string, spec: OperationSpec): Promise<boolean> {
  try {
    await InstanceActionEvent.eventStart(ctx, uuid, spec.event, { host: env.host, wantResult: false });
    return false;
  } catch (e) {
    if (!(e instanceof InstanceActionNotFound)) throw e;
  }
  // No API in front of this request: the compute records the action itself.
  await InstanceAction.actionStart(ctx, uuid, spec.action, { wantResult: false });
  await InstanceActionEvent.eventStart(ctx, uuid, spec.event, { host: env.host, wantResult: false });
  return true;
}

/** Records the error on the instance (Nova's add_instance_fault_from_exc). Never throws. */
export async function recordFault(env: ManagerEnv, ctx: RequestContext, instanceUuid: string, err: unknown, log: Logger): Promise<void> {
  try {
    const e = err instanceof Error ? err : new Error(String(err));
    const code = (e as { category?: string }).category === 'NotFound' ? 404 : (e as { category?: string }).category === 'Invalid' ? 400 : 500;
    const fault = new InstanceFault({ instance_uuid: instanceUuid, code, message: `${e.name}: ${e.message}`.slice(0, 255), details: e.stack ?? null, host: env.host }, ctx);
    await fault.create();
  } catch (faultErr) {
    log.warn({ err: faultErr }, 'could not record the instance fault');
  }
}

/** Puts task_state (and vm_state) back after a failure, unless another operation took the instance meanwhile. */
async function revert(ctx: RequestContext, uuid: string, held: TaskState, vmState: VmState | null | undefined, log: Logger): Promise<void> {
  try {
    const fresh = await Instance.getByUuid(ctx, uuid, { expectedAttrs: [] });
    if (fresh.task_state !== held) return;
    fresh.task_state = null;
    if (vmState !== undefined && vmState !== null && fresh.vm_state !== vmState) fresh.vm_state = vmState;
    await fresh.save({ expectedTaskState: held });
  } catch (e) {
    if (!(e instanceof UnexpectedTaskStateError) && !(e instanceof InstanceNotFound)) log.warn({ err: e }, 'could not revert the task state');
  }
}

/**
 * Runs one instance operation inside claim, event, fault and revert. `body` moves through the
 * operation's task states with `scope.step`; its last save must clear task_state.
 */
export async function instanceOperation<T>(
  env: ManagerEnv,
  ctx: RequestContext,
  instance: Instance,
  spec: OperationSpec,
  body: (scope: OperationScope) => Promise<T>,
): Promise<T> {
  const log = env.log.child({ request_id: ctx.request_id, instance_uuid: instance.uuid, op: spec.event });
  return env.inflight.run(async () => {
    const vmStateBefore = instance.obj_attr_is_set('vm_state') ? instance.vm_state : null;
    if (spec.taskState) await claimTaskState(instance, spec.taskState, spec.claimFrom);
    let held: TaskState | null = instance.task_state;
    const ownAction = await startEvent(env, ctx, instance.uuid, spec);
    const scope: OperationScope = {
      log,
      async step(next, extra) {
        const expected = held;
        instance.task_state = next;
        extra?.(instance);
        await instance.save({ expectedTaskState: expected });
        held = next;
      },
      released() {
        held = null;
      },
    };
    try {
      const result = await body(scope);
      await InstanceActionEvent.eventFinish(ctx, instance.uuid, spec.event, { wantResult: false });
      if (ownAction) await InstanceAction.actionFinish(ctx, instance.uuid, { wantResult: false });
      log.info('done');
      return result;
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      // The state first, the records after: whoever sees the fault sees the instance settled.
      // Preempted (the task state moved under it) or released by the body: nothing is ours to revert.
      if (!(err instanceof UnexpectedTaskStateError)) {
        if (spec.taskState && held !== null) await revert(ctx, instance.uuid, held, spec.vmStateOnError ?? vmStateBefore, log);
        if (!isExpectedFailure(err)) await recordFault(env, ctx, instance.uuid, err, log);
      }
      await InstanceActionEvent.eventFinishWithFailure(ctx, instance.uuid, spec.event, { excVal: `${e.name}: ${e.message}`, excTb: e.stack ?? e.message, wantResult: false }).catch(
        (evErr: unknown) => log.warn({ err: evErr }, 'could not finish the action event'),
      );
      if (ownAction) await InstanceAction.actionFinish(ctx, instance.uuid, { wantResult: false }).catch(() => undefined);
      throw err;
    }
  });
}
