// Instance faults: the error records a compute writes when an operation fails.
import type { DbContext } from '../context.js';
import { fromDb, toDb } from '../model/columns.js';
import { insertRow, nowText, type Conn } from '../model/conn.js';
import { INSTANCE_FAULT, type InstanceFaultRow } from './fault-model.js';
import { faultsByInstance } from './instance-joins.js';

export type InstanceFaultValues = Pick<InstanceFaultRow, 'instance_uuid' | 'code'> & Partial<Pick<InstanceFaultRow, 'message' | 'details' | 'host'>>;

/** Nova truncates the message to the column's 255 characters; the details keep everything. */
const MESSAGE_MAX = 255;

export async function instanceFaultCreate(c: Conn, values: InstanceFaultValues): Promise<InstanceFaultRow> {
  const message = values.message == null ? values.message : values.message.slice(0, MESSAGE_MAX);
  return fromDb(INSTANCE_FAULT, await insertRow(c, 'instance_faults', { ...toDb(INSTANCE_FAULT, { ...values, message }), created_at: nowText(c), deleted: 0 }));
}

/** Faults of each instance, newest first; every uuid asked for has an entry (maybe empty). */
export async function instanceFaultGetByInstanceUuids(c: Conn, _ctx: DbContext, uuids: string[], opts: { latest?: boolean } = {}): Promise<Record<string, InstanceFaultRow[]>> {
  return Object.fromEntries(await faultsByInstance(c, uuids, opts.latest ?? false));
}

/** The newest fault of an instance, or null (InstanceFault.get_latest_for_instance). */
export async function instanceFaultGetLatestForInstance(c: Conn, _ctx: DbContext, uuid: string): Promise<InstanceFaultRow | null> {
  return (await faultsByInstance(c, [uuid], true)).get(uuid)?.[0] ?? null;
}
