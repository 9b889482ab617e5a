// The instance action log: one action per (instance, request id), events within it.
import type { DbContext } from '../context.js';
import { InstanceActionEventNotFound, InstanceActionNotFound } from '../errors.js';
import { PERSISTENT_COLUMNS, fromDb, tableModel, toDb, type PersistentFields } from '../model/columns.js';
import { inTransaction, insertRow, nowText, whereVisible, type Conn, type Row } from '../model/conn.js';

export interface InstanceActionRow extends PersistentFields {
  id: number;
  action: string | null;
  instance_uuid: string | null;
  request_id: string | null;
  user_id: string | null;
  project_id: string | null;
  start_time: Date | null;
  finish_time: Date | null;
  message: string | null;
}

export interface InstanceActionEventRow extends PersistentFields {
  id: number;
  event: string | null;
  action_id: number;
  start_time: Date | null;
  finish_time: Date | null;
  result: string | null;
  traceback: string | null;
  host: string | null;
}

export interface ActionStartValues {
  action: string;
  instance_uuid: string;
  request_id: string;
  user_id?: string | null;
  project_id?: string | null;
  /** Defaults to now. */
  start_time?: Date | string;
  message?: string | null;
}

export interface ActionFinishValues {
  instance_uuid: string;
  request_id: string;
  finish_time?: Date | string;
  message?: string | null;
}

export interface EventStartValues {
  event: string;
  instance_uuid: string;
  request_id: string;
  start_time?: Date | string;
  host?: string | null;
}

export interface EventFinishValues {
  event: string;
  instance_uuid: string;
  request_id: string;
  finish_time?: Date | string;
  /** 'Success' or 'Error' (Nova's values); an error also marks the action's message 'Error'. */
  result: string;
  traceback?: string | null;
}

export const INSTANCE_ACTION = tableModel<InstanceActionRow>('instance_actions', 'id', {
  id: 'int', action: 'str', instance_uuid: 'str', request_id: 'str', user_id: 'str', project_id: 'str',
  start_time: 'time', finish_time: 'time', message: 'str', ...PERSISTENT_COLUMNS,
});

export const INSTANCE_ACTION_EVENT = tableModel<InstanceActionEventRow>('instance_actions_events', 'id', {
  id: 'int', event: 'str', action_id: 'int', start_time: 'time', finish_time: 'time', result: 'str', traceback: 'str',
  host: 'str', ...PERSISTENT_COLUMNS,
});

const toAction = (r: Row): InstanceActionRow => fromDb(INSTANCE_ACTION, r);
const toEvent = (r: Row): InstanceActionEventRow => fromDb(INSTANCE_ACTION_EVENT, r);

async function actionRaw(c: Conn, uuid: string, requestId: string): Promise<Row | undefined> {
  return (await c.q('instance_actions').where({ instance_uuid: uuid, request_id: requestId, deleted: 0 }).orderBy('id', 'desc').first()) as Row | undefined;
}

export async function actionStart(c: Conn, values: ActionStartValues): Promise<InstanceActionRow> {
  const cols = toDb(INSTANCE_ACTION, { ...values, start_time: values.start_time ?? c.clock() });
  return toAction(await insertRow(c, 'instance_actions', { ...cols, created_at: nowText(c), deleted: 0 }));
}

export async function actionFinish(c: Conn, values: ActionFinishValues): Promise<InstanceActionRow> {
  return inTransaction(c, async (t) => {
    const raw = await actionRaw(t, values.instance_uuid, values.request_id);
    if (!raw) throw new InstanceActionNotFound({ request_id: values.request_id, instance_uuid: values.instance_uuid });
    const cols = toDb(INSTANCE_ACTION, { finish_time: values.finish_time ?? t.clock(), ...(values.message !== undefined ? { message: values.message } : {}) });
    await t.q('instance_actions').where('id', raw.id as number).update({ ...cols, updated_at: nowText(t) });
    return toAction((await t.q('instance_actions').where('id', raw.id as number).first()) as Row);
  });
}

/** Actions of an instance, newest first. */
export async function actionsGet(c: Conn, ctx: DbContext, uuid: string): Promise<InstanceActionRow[]> {
  const raws = (await whereVisible(c.q('instance_actions').where('instance_uuid', uuid), ctx).orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }])) as Row[];
  return raws.map(toAction);
}

export async function actionGetByRequestId(c: Conn, _ctx: DbContext, uuid: string, requestId: string): Promise<InstanceActionRow | null> {
  const raw = await actionRaw(c, uuid, requestId);
  return raw ? toAction(raw) : null;
}

export async function actionEventStart(c: Conn, values: EventStartValues): Promise<InstanceActionEventRow> {
  return inTransaction(c, async (t) => {
    const action = await actionRaw(t, values.instance_uuid, values.request_id);
    if (!action) throw new InstanceActionNotFound({ request_id: values.request_id, instance_uuid: values.instance_uuid });
    const cols = toDb(INSTANCE_ACTION_EVENT, { event: values.event, host: values.host ?? null, start_time: values.start_time ?? t.clock() });
    return toEvent(await insertRow(t, 'instance_actions_events', { ...cols, action_id: action.id, created_at: nowText(t), deleted: 0 }));
  });
}

export async function actionEventFinish(c: Conn, values: EventFinishValues): Promise<InstanceActionEventRow> {
  return inTransaction(c, async (t) => {
    const action = await actionRaw(t, values.instance_uuid, values.request_id);
    if (!action) throw new InstanceActionNotFound({ request_id: values.request_id, instance_uuid: values.instance_uuid });
    const actionId = action.id as number;
    const event = (await t.q('instance_actions_events').where({ action_id: actionId, event: values.event, deleted: 0 }).orderBy('id', 'desc').first()) as Row | undefined;
    if (!event) throw new InstanceActionEventNotFound({ action_id: actionId, event: values.event });
    const now = nowText(t);
    const cols = toDb(INSTANCE_ACTION_EVENT, { finish_time: values.finish_time ?? t.clock(), result: values.result, traceback: values.traceback ?? null });
    await t.q('instance_actions_events').where('id', event.id as number).update({ ...cols, updated_at: now });
    if (values.result.toLowerCase() === 'error') await t.q('instance_actions').where('id', actionId).update({ message: 'Error', updated_at: now });
    return toEvent((await t.q('instance_actions_events').where('id', event.id as number).first()) as Row);
  });
}

/** Events of an action, newest first. */
export async function actionEventsGet(c: Conn, ctx: DbContext, actionId: number): Promise<InstanceActionEventRow[]> {
  const raws = (await whereVisible(c.q('instance_actions_events').where('action_id', actionId), ctx).orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }])) as Row[];
  return raws.map(toEvent);
}

export async function actionEventGetById(c: Conn, ctx: DbContext, actionId: number, eventId: number): Promise<InstanceActionEventRow> {
  const raw = (await whereVisible(c.q('instance_actions_events').where({ action_id: actionId, id: eventId }), ctx).first()) as Row | undefined;
  if (!raw) throw new InstanceActionEventNotFound({ action_id: actionId, event: String(eventId) });
  return toEvent(raw);
}
