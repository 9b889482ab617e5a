// InstanceAction(+List) and InstanceActionEvent(+List): the per-instance log of what was
// asked (one action per request: 'reboot', 'attach_volume' …) and the steps computes ran
// for it (events like 'compute_reboot_instance'), each with start, finish and result.
import { f, objectBase, objectListBase } from '@novakit/versioned-objects';
import type { RequestContext } from './context.js';
import type { DbInstanceActionEventRow, DbInstanceActionRow } from './db-api.js';
import { localDb } from './local.js';
import { fromRow, makeList, persistentFields, setFromRow } from './persistent.js';
import { objectRegistry } from './registry.js';

export interface WantResult {
  /** false: do the write but return null (saves a round trip's payload). Default true. */
  readonly wantResult?: boolean;
}

export class InstanceAction extends objectBase({
  registry: objectRegistry,
  name: 'InstanceAction',
  version: '1.0',
  history: { '1.0': 'release 1: action, instance_uuid, request_id, user_id, project_id, start/finish time, message' },
  fields: {
    id: f.integer(),
    action: f.string().nullable(),
    instance_uuid: f.uuid().nullable(),
    request_id: f.string().nullable(),
    user_id: f.string().nullable(),
    project_id: f.string().nullable(),
    start_time: f.dateTime().nullable(),
    finish_time: f.dateTime().nullable(),
    message: f.string().nullable(),
    ...persistentFields,
  },
}) {
  static remotable = ['finish'];
  static remotableClass = ['actionStart', 'actionFinish', 'getByRequestId'];

  /** Records that the caller's request started `actionName` on the instance (at the request's timestamp). */
  static async actionStart(ctx: RequestContext, instanceUuid: string, actionName: string, opts: WantResult = {}): Promise<InstanceAction | null> {
    const { db, dctx } = localDb(ctx, 'InstanceAction.actionStart');
    const row = await db.action_start(dctx, {
      action: actionName,
      instance_uuid: instanceUuid,
      request_id: ctx.request_id,
      user_id: ctx.user_id,
      project_id: ctx.project_id,
      start_time: ctx.timestamp,
    });
    return opts.wantResult === false ? null : fromRow(InstanceAction, ctx, row);
  }

  /** Marks the caller's request's action on the instance finished (now). InstanceActionNotFound. */
  static async actionFinish(ctx: RequestContext, instanceUuid: string, opts: WantResult = {}): Promise<InstanceAction | null> {
    const { db, dctx } = localDb(ctx, 'InstanceAction.actionFinish');
    const row = await db.action_finish(dctx, { instance_uuid: instanceUuid, request_id: ctx.request_id });
    return opts.wantResult === false ? null : fromRow(InstanceAction, ctx, row);
  }

  static async getByRequestId(ctx: RequestContext, instanceUuid: string, requestId: string): Promise<InstanceAction | null> {
    const { db, dctx } = localDb(ctx, 'InstanceAction.getByRequestId');
    const row = await db.action_get_by_request_id(dctx, instanceUuid, requestId);
    return row ? fromRow(InstanceAction, ctx, row) : null;
  }

  /** Finishes this action (the one of its own request id). */
  async finish(): Promise<void> {
    const { db, dctx } = localDb(this.obj_context, 'InstanceAction.finish');
    setFromRow(this, await db.action_finish(dctx, { instance_uuid: this.instance_uuid!, request_id: this.request_id! }));
    this.obj_reset_changes();
  }
}

export class InstanceActionList extends objectListBase({
  registry: objectRegistry,
  name: 'InstanceActionList',
  version: '1.0',
  history: { '1.0': 'release 1: InstanceAction 1.0; getByInstanceUuid' },
  child: InstanceAction,
  childVersions: { '1.0': '1.0' },
}) {
  static remotableClass = ['getByInstanceUuid'];

  /** The instance's actions, newest first. */
  static async getByInstanceUuid(ctx: RequestContext, instanceUuid: string): Promise<InstanceActionList> {
    const { db, dctx } = localDb(ctx, 'InstanceActionList.getByInstanceUuid');
    const rows: DbInstanceActionRow[] = await db.actions_get(dctx, instanceUuid);
    return makeList(InstanceActionList, ctx, rows.map((r) => fromRow(InstanceAction, ctx, r)));
  }
}

export interface EventFailure extends WantResult {
  /** The error's message (Nova's exc_val); any value marks the event failed. */
  readonly excVal?: string | null;
  /** The error's stack (Nova's exc_tb). */
  readonly excTb?: string | null;
}

export class InstanceActionEvent extends objectBase({
  registry: objectRegistry,
  name: 'InstanceActionEvent',
  version: '1.0',
  history: { '1.0': "release 1: event, action_id, start/finish time, result ('Success'/'Error'), traceback, host" },
  fields: {
    id: f.integer(),
    event: f.string().nullable(),
    action_id: f.integer().nullable(),
    start_time: f.dateTime().nullable(),
    finish_time: f.dateTime().nullable(),
    result: f.string().nullable(),
    traceback: f.string().nullable(),
    host: f.string().nullable(),
    ...persistentFields,
  },
}) {
  static remotableClass = ['eventStart', 'eventFinish', 'eventFinishWithFailure', 'getById'];

  /** Starts event `eventName` within the action of the caller's request. InstanceActionNotFound. */
  static async eventStart(ctx: RequestContext, instanceUuid: string, eventName: string, opts: WantResult & { host?: string | null } = {}): Promise<InstanceActionEvent | null> {
    const { db, dctx } = localDb(ctx, 'InstanceActionEvent.eventStart');
    const row = await db.action_event_start(dctx, { event: eventName, instance_uuid: instanceUuid, request_id: ctx.request_id, host: opts.host ?? null });
    return opts.wantResult === false ? null : fromRow(InstanceActionEvent, ctx, row);
  }

  static eventFinish(ctx: RequestContext, instanceUuid: string, eventName: string, opts: WantResult = {}): Promise<InstanceActionEvent | null> {
    return InstanceActionEvent.eventFinishWithFailure(ctx, instanceUuid, eventName, opts);
  }

  /**
   * Finishes the event: result 'Error' with the traceback when an error is given (which also
   * marks the action's message 'Error'), else 'Success'.
   */
  static async eventFinishWithFailure(ctx: RequestContext, instanceUuid: string, eventName: string, opts: EventFailure = {}): Promise<InstanceActionEvent | null> {
    const failed = (opts.excVal ?? null) !== null || (opts.excTb ?? null) !== null;
    const { db, dctx } = localDb(ctx, 'InstanceActionEvent.eventFinishWithFailure');
    const row = await db.action_event_finish(dctx, {
      event: eventName,
      instance_uuid: instanceUuid,
      request_id: ctx.request_id,
      result: failed ? 'Error' : 'Success',
      traceback: opts.excTb ?? null,
    });
    return opts.wantResult === false ? null : fromRow(InstanceActionEvent, ctx, row);
  }

  static async getById(ctx: RequestContext, actionId: number, eventId: number): Promise<InstanceActionEvent> {
    const { db, dctx } = localDb(ctx, 'InstanceActionEvent.getById');
    return fromRow(InstanceActionEvent, ctx, await db.action_event_get_by_id(dctx, actionId, eventId));
  }
}

export class InstanceActionEventList extends objectListBase({
  registry: objectRegistry,
  name: 'InstanceActionEventList',
  version: '1.0',
  history: { '1.0': 'release 1: InstanceActionEvent 1.0; getByAction' },
  child: InstanceActionEvent,
  childVersions: { '1.0': '1.0' },
}) {
  static remotableClass = ['getByAction'];

  /** The action's events, newest first. */
  static async getByAction(ctx: RequestContext, actionId: number): Promise<InstanceActionEventList> {
    const { db, dctx } = localDb(ctx, 'InstanceActionEventList.getByAction');
    const rows: DbInstanceActionEventRow[] = await db.action_events_get(dctx, actionId);
    return makeList(InstanceActionEventList, ctx, rows.map((r) => fromRow(InstanceActionEvent, ctx, r)));
  }
}
