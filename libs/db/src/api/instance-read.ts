// Instance queries: by uuid/id, by host (and node), by filters with sort, limit and
// marker pagination, and the periodic-task windows.
import type { Knex } from 'knex';
import type { DbContext } from '../context.js';
import { InstanceNotFound, InvalidColumn, InvalidSortKey, MarkerNotFound } from '../errors.js';
import { toDbValue, type ColumnKind } from '../model/columns.js';
import { secondsAgo, whereVisible, type Conn, type Row } from '../model/conn.js';
import { withJoins } from './instance-joins.js';
import { DEFAULT_INSTANCE_JOINS, INSTANCE, type InstanceJoin, type InstanceRow } from './instance-model.js';

export interface InstanceGetOptions {
  /** Joined attributes to load; default DEFAULT_INSTANCE_JOINS (metadata, system_metadata, info_cache, security_groups). */
  columnsToJoin?: readonly InstanceJoin[];
}

/**
 * Filters for `instance_get_all_by_filters`. Any scalar column is an exact match (a
 * list means IN, `null` in it matches NULL); plus:
 * - `deleted`: true → only deleted, false → only live (overrides ctx.readDeleted);
 * - `changes-since`: rows updated (or deleted) at or after that moment;
 * - `display_name` / `hostname` given as `{ like: 'text' }`: substring match;
 * - `metadata` / `system_metadata`: dict (or list of dicts) of key/value pairs the instance must have.
 */
export type InstanceFilters = Record<string, unknown>;

export interface InstanceListOptions extends InstanceGetOptions {
  sortKey?: string;
  sortDir?: 'asc' | 'desc';
  limit?: number;
  /** uuid of the last instance of the previous page. */
  marker?: string;
}

const COLUMNS = INSTANCE.columns as Record<string, ColumnKind>;
/** Long text columns make poor sort keys and filters; everything else is allowed. */
const NOT_QUERYABLE = new Set(['user_data', 'key_data', 'display_description', 'launched_on']);

function joinsOf(opts?: InstanceGetOptions): readonly InstanceJoin[] {
  return opts?.columnsToJoin ?? DEFAULT_INSTANCE_JOINS;
}

export async function getInstanceRaw(c: Conn, ctx: DbContext, where: { uuid: string } | { id: number }): Promise<Row> {
  const row = (await whereVisible(c.q('instances').where(where), ctx).first()) as Row | undefined;
  if (!row) throw new InstanceNotFound({ instance_id: 'uuid' in where ? where.uuid : where.id });
  return row;
}

export async function instanceGetByUuid(c: Conn, ctx: DbContext, uuid: string, opts?: InstanceGetOptions): Promise<InstanceRow> {
  const [row] = await withJoins(c, ctx, [await getInstanceRaw(c, ctx, { uuid })], joinsOf(opts));
  return row;
}

export async function instanceGet(c: Conn, ctx: DbContext, id: number, opts?: InstanceGetOptions): Promise<InstanceRow> {
  const [row] = await withJoins(c, ctx, [await getInstanceRaw(c, ctx, { id })], joinsOf(opts));
  return row;
}

async function list(c: Conn, ctx: DbContext, qb: Knex.QueryBuilder, opts?: InstanceGetOptions): Promise<InstanceRow[]> {
  const raws = (await whereVisible(qb, ctx, 'instances').select('instances.*').orderBy('instances.id')) as Row[];
  return withJoins(c, ctx, raws, joinsOf(opts));
}

export function instanceGetAllByHost(c: Conn, ctx: DbContext, host: string, opts?: InstanceGetOptions): Promise<InstanceRow[]> {
  return list(c, ctx, c.q('instances').where('host', host), opts);
}

export function instanceGetAllByHostAndNode(c: Conn, ctx: DbContext, host: string, node: string, opts?: InstanceGetOptions): Promise<InstanceRow[]> {
  return list(c, ctx, c.q('instances').where({ host, node }), opts);
}

export function instanceGetAllByHostAndNotType(c: Conn, ctx: DbContext, host: string, typeId: number | null, opts?: InstanceGetOptions): Promise<InstanceRow[]> {
  return list(c, ctx, c.q('instances').where('host', host).where((w) => w.whereNot('instance_type_id', typeId ?? -1).orWhereNull('instance_type_id')), {
    columnsToJoin: opts?.columnsToJoin ?? [],
  });
}

/** Instances stuck in `rebooting` longer than `timeoutSeconds` (Nova's reboot_timeout task). */
export function instanceGetAllHungInRebooting(c: Conn, ctx: DbContext, timeoutSeconds: number, opts?: InstanceGetOptions): Promise<InstanceRow[]> {
  return list(c, ctx, c.q('instances').where('task_state', 'rebooting').where('updated_at', '<=', secondsAgo(c, timeoutSeconds)), {
    columnsToJoin: opts?.columnsToJoin ?? [],
  });
}

/** Instances active at some time in [begin, end): not terminated before begin, launched before end. */
export function instanceGetActiveByWindowJoined(
  c: Conn, ctx: DbContext, begin: Date | string, end?: Date | string | null, projectId?: string | null, host?: string | null, opts?: InstanceGetOptions,
): Promise<InstanceRow[]> {
  const qb = c.q('instances').where((w) => w.whereNull('terminated_at').orWhere('terminated_at', '>', toDbValue('time', begin) as string));
  if (end) qb.where('launched_at', '<', toDbValue('time', end) as string);
  if (projectId) qb.where('project_id', projectId);
  if (host) qb.where('host', host);
  return list(c, { ...ctx, readDeleted: 'yes' }, qb, opts);
}

export function instanceGetAllBySecurityGroupId(c: Conn, ctx: DbContext, groupId: number, opts?: InstanceGetOptions): Promise<InstanceRow[]> {
  const members = c.q('security_group_instance_association').select('instance_uuid').where({ security_group_id: groupId, deleted: 0 });
  return list(c, ctx, c.q('instances').whereIn('uuid', members), opts);
}

function applyMetadataFilter(c: Conn, qb: Knex.QueryBuilder, table: string, value: unknown): void {
  const dicts = (Array.isArray(value) ? value : [value]) as Record<string, unknown>[];
  for (const dict of dicts) {
    for (const [key, v] of Object.entries(dict)) {
      qb.whereExists(
        c.q(table).select(c.q.raw('1')).whereRaw('?? = ??', [`${table}.instance_uuid`, 'instances.uuid']).where({ [`${table}.key`]: key, [`${table}.value`]: String(v), [`${table}.deleted`]: 0 }),
      );
    }
  }
}

function applyFilters(c: Conn, ctx: DbContext, qb: Knex.QueryBuilder, filters: InstanceFilters): DbContext {
  let eff = ctx;
  for (const [key, value] of Object.entries(filters)) {
    if (value === undefined) continue;
    if (key === 'deleted') {
      eff = { ...ctx, readDeleted: value ? 'only' : 'no' };
    } else if (key === 'changes-since') {
      const since = toDbValue('time', value) as string;
      qb.where((w) => w.where('instances.updated_at', '>=', since).orWhere('instances.deleted_at', '>=', since).orWhere((x) => x.whereNull('instances.updated_at').where('instances.created_at', '>=', since)));
    } else if (key === 'metadata' || key === 'system_metadata') {
      applyMetadataFilter(c, qb, key === 'metadata' ? 'instance_metadata' : 'instance_system_metadata', value);
    } else if ((key === 'display_name' || key === 'hostname') && typeof value === 'object' && value !== null && 'like' in value) {
      qb.where(`instances.${key}`, 'like', `%${String((value as { like: unknown }).like).replace(/[%_\\]/g, (m) => `\\${m}`)}%`);
    } else {
      const kind = COLUMNS[key];
      if (!kind || NOT_QUERYABLE.has(key) || key === 'deleted_at') throw new InvalidColumn({ table: 'instances', column: key });
      const values = (Array.isArray(value) ? value : [value]).map((v) => toDbValue(kind, v));
      const nonNull = values.filter((v) => v !== null) as (string | number | boolean)[];
      qb.where((w) => {
        if (nonNull.length) w.whereIn(`instances.${key}`, nonNull as any[]);
        else if (values.length === 0) w.whereRaw('1 = 0');
        if (nonNull.length !== values.length) w.orWhereNull(`instances.${key}`);
      });
    }
  }
  return eff;
}

/**
 * Orders by the sort key then id, NULLs first when ascending on every backend (they
 * disagree by default), and continues after the marker row in that same order.
 */
function applySortAndMarker(c: Conn, qb: Knex.QueryBuilder, key: string, dir: 'asc' | 'desc', marker?: Row): void {
  const col = `instances.${key}`;
  const nullsFirst = dir === 'asc';
  if (key !== 'id') {
    qb.orderByRaw(`CASE WHEN ?? IS NULL THEN 0 ELSE 1 END ${dir}`, [col]).orderBy(col, dir);
  }
  qb.orderBy('instances.id', dir);
  if (!marker) return;
  const mid = marker.id as number;
  const cmp = dir === 'asc' ? '>' : '<';
  if (key === 'id') {
    qb.where('instances.id', cmp, mid);
    return;
  }
  const mv = marker[key];
  qb.where((w) => {
    if (mv === null || mv === undefined) {
      // Marker sorts among the NULLs: later NULLs by id, then (ascending) every non-NULL.
      w.where((x) => x.whereNull(col).where('instances.id', cmp, mid));
      if (nullsFirst) w.orWhereNotNull(col);
    } else {
      w.where(col, cmp, mv as any).orWhere((x) => x.where(col, mv as any).where('instances.id', cmp, mid));
      if (!nullsFirst) w.orWhereNull(col);
    }
  });
}

export async function instanceGetAllByFilters(c: Conn, ctx: DbContext, filters: InstanceFilters = {}, opts: InstanceListOptions = {}): Promise<InstanceRow[]> {
  const sortKey = opts.sortKey ?? 'created_at';
  const sortDir = opts.sortDir ?? 'desc';
  if (!COLUMNS[sortKey] || NOT_QUERYABLE.has(sortKey)) throw new InvalidSortKey({ sort_key: sortKey });
  if (sortDir !== 'asc' && sortDir !== 'desc') throw new InvalidSortKey({ sort_key: `${sortKey} ${String(sortDir)}` });
  const qb = c.q('instances').select('instances.*');
  const eff = applyFilters(c, ctx, qb, filters);
  whereVisible(qb, eff, 'instances');
  let marker: Row | undefined;
  if (opts.marker !== undefined) {
    marker = (await c.q('instances').where('uuid', opts.marker).first()) as Row | undefined;
    if (!marker) throw new MarkerNotFound({ marker: opts.marker });
  }
  applySortAndMarker(c, qb, sortKey, sortDir, marker);
  if (opts.limit !== undefined) qb.limit(opts.limit);
  return withJoins(c, ctx, (await qb) as Row[], joinsOf(opts));
}
