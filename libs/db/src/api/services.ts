// Services: registration, the heartbeat (report_count) and the minimum service version
// among live services, which RPC clients use for 'auto' version caps.
import type { DbContext } from '../context.js';
import { ComputeHostNotFound, HostBinaryNotFound, ServiceBinaryExists, ServiceNotFound, ServiceTopicExists } from '../errors.js';
import { PERSISTENT_COLUMNS, fromDb, tableModel, toDb, type PersistentFields } from '../model/columns.js';
import { inTransaction, insertRow, mapDuplicate, nowText, secondsAgo, whereVisible, type Conn, type Row } from '../model/conn.js';
import { computeNodesGetByServiceId, type ComputeNodeRow } from './compute-nodes.js';

/** The topic compute services register under (Nova's CONF.compute_topic). */
export const COMPUTE_TOPIC = 'compute';

export interface ServiceColumns extends PersistentFields {
  id: number;
  host: string;
  binary: string;
  topic: string | null;
  report_count: number;
  disabled: boolean;
  disabled_reason: string | null;
  /** Service version of the running code (integer), reported at start and with each heartbeat. */
  version: number;
  /** Time of the last heartbeat. */
  last_seen_up: Date | null;
  forced_down: boolean;
}

/** A service row; `compute_node` (its nodes) is present when joined, as in Nova's primitive. */
export interface ServiceRow extends ServiceColumns {
  compute_node?: ComputeNodeRow[];
}

export type ServiceValues = Partial<Omit<ServiceColumns, 'id' | 'created_at' | 'updated_at' | 'deleted_at' | 'deleted'>>;

export interface ServiceGetOptions {
  columnsToJoin?: readonly 'compute_node'[];
}

export const SERVICE = tableModel<ServiceColumns>('services', 'id', {
  id: 'int', host: 'str', binary: 'str', topic: 'str', report_count: 'int', disabled: 'bool', disabled_reason: 'str',
  version: 'int', last_seen_up: 'time', forced_down: 'bool', ...PERSISTENT_COLUMNS,
});

async function rows(c: Conn, ctx: DbContext, raws: Row[], opts?: ServiceGetOptions): Promise<ServiceRow[]> {
  const out: ServiceRow[] = raws.map((r) => fromDb(SERVICE, r));
  if (opts?.columnsToJoin?.includes('compute_node')) {
    for (const s of out) s.compute_node = await computeNodesGetByServiceId(c, ctx, s.id);
  }
  return out;
}

async function many(c: Conn, ctx: DbContext, where: Record<string, unknown>, opts?: ServiceGetOptions): Promise<ServiceRow[]> {
  return rows(c, ctx, (await whereVisible(c.q('services').where(where), ctx).orderBy('id')) as Row[], opts);
}

/** Registers a service; registering counts as being seen (last_seen_up = now unless given). */
export async function serviceCreate(c: Conn, values: ServiceValues & { host: string; binary: string }): Promise<ServiceRow> {
  return inTransaction(c, async (t) => {
    if (await t.q('services').where({ host: values.host, binary: values.binary, deleted: 0 }).first()) {
      throw new ServiceBinaryExists({ host: values.host, binary: values.binary });
    }
    if (values.topic && (await t.q('services').where({ host: values.host, topic: values.topic, deleted: 0 }).first())) {
      throw new ServiceTopicExists({ host: values.host, topic: values.topic });
    }
    const raw = await mapDuplicate('services', ['host', 'binary'], () => insertRow(t, 'services', { last_seen_up: nowText(t), ...toDb(SERVICE, values), created_at: nowText(t), deleted: 0 }),
      () => new ServiceBinaryExists({ host: values.host, binary: values.binary }));
    return fromDb(SERVICE, raw);
  });
}

export async function serviceGet(c: Conn, ctx: DbContext, id: number, opts?: ServiceGetOptions): Promise<ServiceRow> {
  const [s] = await many(c, ctx, { id }, opts);
  if (!s) throw new ServiceNotFound({ service_id: id });
  return s;
}

export async function serviceGetByArgs(c: Conn, ctx: DbContext, host: string, binary: string): Promise<ServiceRow> {
  const [s] = await many(c, ctx, { host, binary });
  if (!s) throw new HostBinaryNotFound({ host, binary });
  return s;
}

/** The compute service of a host with its compute nodes joined (legacy raw call). */
export async function serviceGetByComputeHost(c: Conn, ctx: DbContext, host: string): Promise<ServiceRow> {
  const [s] = await many(c, ctx, { host, topic: COMPUTE_TOPIC }, { columnsToJoin: ['compute_node'] });
  if (!s) throw new ComputeHostNotFound({ host });
  return s;
}

export async function serviceGetByHostAndTopic(c: Conn, ctx: DbContext, host: string, topic: string): Promise<ServiceRow | null> {
  const [s] = await many(c, ctx, { host, topic });
  return s ?? null;
}

export function serviceGetAll(c: Conn, ctx: DbContext, filters: { disabled?: boolean } = {}, opts?: ServiceGetOptions): Promise<ServiceRow[]> {
  return many(c, ctx, filters.disabled === undefined ? {} : { disabled: filters.disabled }, opts);
}

/** Enabled services of a topic (Nova's service_get_all_by_topic skips disabled ones). */
export function serviceGetAllByTopic(c: Conn, ctx: DbContext, topic: string): Promise<ServiceRow[]> {
  return many(c, ctx, { topic, disabled: false });
}

/** Enabled services of a binary. */
export function serviceGetAllByBinary(c: Conn, ctx: DbContext, binary: string): Promise<ServiceRow[]> {
  return many(c, ctx, { binary, disabled: false });
}

export function serviceGetAllByHost(c: Conn, ctx: DbContext, host: string): Promise<ServiceRow[]> {
  return many(c, ctx, { host });
}

export async function serviceUpdate(c: Conn, ctx: DbContext, id: number, values: ServiceValues): Promise<ServiceRow> {
  const n = await c.q('services').where({ id, deleted: 0 }).update({ ...toDb(SERVICE, values), updated_at: nowText(c) });
  if (n === 0) throw new ServiceNotFound({ service_id: id });
  return serviceGet(c, ctx, id);
}

/** Soft-deletes the service and its compute nodes. */
export async function serviceDestroy(c: Conn, id: number): Promise<void> {
  await inTransaction(c, async (t) => {
    const del = { deleted: t.q.ref('id'), deleted_at: nowText(t) };
    if ((await t.q('services').where({ id, deleted: 0 }).update(del)) === 0) throw new ServiceNotFound({ service_id: id });
    await t.q('compute_nodes').where({ service_id: id, deleted: 0 }).update(del);
  });
}

/**
 * One heartbeat: report_count + 1 computed by the database (concurrent reports never
 * lose a count), updated_at and last_seen_up set to now, and the running code's
 * service version recorded when given.
 */
export async function serviceReport(c: Conn, ctx: DbContext, id: number, report: { version?: number } = {}): Promise<ServiceRow> {
  const now = nowText(c);
  const cols: Row = { report_count: c.q.raw('?? + 1', ['report_count']), updated_at: now, last_seen_up: now };
  if (report.version !== undefined) cols.version = report.version;
  const n = await c.q('services').where({ id, deleted: 0 }).update(cols);
  if (n === 0) throw new ServiceNotFound({ service_id: id });
  return serviceGet(c, ctx, id);
}

/**
 * The lowest `version` among non-deleted services of a binary, or null when none.
 * With `upWithinSeconds`, only services that sent a heartbeat that recently count
 * (a dead old compute must not pin the cap forever); forced-down services never count.
 */
export async function serviceGetMinimumVersion(c: Conn, binary: string, opts: { upWithinSeconds?: number } = {}): Promise<number | null> {
  const qb = c.q('services').where({ binary, deleted: 0, forced_down: false }).min({ v: 'version' });
  if (opts.upWithinSeconds !== undefined) qb.where('last_seen_up', '>=', secondsAgo(c, opts.upWithinSeconds));
  const row = ((await qb) as Row[])[0];
  return row?.v === null || row?.v === undefined ? null : Number(row.v);
}
