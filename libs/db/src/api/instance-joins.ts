// Loading the joined attributes of instances in batches (one query per attribute for a
// whole list, never one per instance) and writing the child tables an instance save
// touches: metadata dicts (updated in place, as Nova does) and instance_extra.
import type { DbContext } from '../context.js';
import { fromDb, toDbValue } from '../model/columns.js';
import { chunks, inChunks, insertRows, nowText, type Conn, type Row } from '../model/conn.js';
import { INSTANCE_FAULT, type InstanceFaultRow } from './fault-model.js';
import { INFO_CACHE } from './info-cache-model.js';
import { INSTANCE, type InstanceJoin, type InstanceRow } from './instance-model.js';
import { SECURITY_GROUP, type SecurityGroupRow } from './security-group-model.js';

export type MetadataTable = 'instance_metadata' | 'instance_system_metadata';

/** Maps raw instance rows to InstanceRows and attaches the requested joins. */
export async function withJoins(c: Conn, _ctx: DbContext, raws: Row[], joins: readonly InstanceJoin[]): Promise<InstanceRow[]> {
  const rows = raws.map((r) => fromDb(INSTANCE, r) as InstanceRow);
  if (rows.length === 0 || joins.length === 0) return rows;
  rows.forEach(await loadJoins(c, rows.map((r) => r.uuid), joins));
  return rows;
}

/**
 * Loads the joined attributes of the given instances (one query per attribute) and
 * returns the function that attaches them to a row. Split from withJoins so the save
 * path can load joins while its UPDATE runs.
 */
export async function loadJoins(c: Conn, uuids: string[], joins: readonly InstanceJoin[]): Promise<(row: InstanceRow) => void> {
  const want = new Set(joins);
  const setters: ((r: InstanceRow) => void)[] = [];
  for (const table of ['instance_metadata', 'instance_system_metadata'] as const) {
    const key = table === 'instance_metadata' ? 'metadata' : 'system_metadata';
    if (!want.has(key)) continue;
    const dicts = new Map<string, Record<string, string | null>>(uuids.map((u) => [u, {}]));
    const found = await inChunks(uuids, (b) => c.q(table).select('instance_uuid', 'key', 'value').whereIn('instance_uuid', b).where('deleted', 0));
    for (const m of found) dicts.get(m.instance_uuid as string)![m.key as string] = (m.value as string | null) ?? null;
    setters.push((r) => ((r as unknown as Record<string, unknown>)[key] = dicts.get(r.uuid) ?? {}));
  }
  if (want.has('info_cache')) {
    // The cache row is kept (soft-deleted) with a deleted instance, so no deleted filter.
    const found = await inChunks(uuids, (b) => c.q('instance_info_caches').whereIn('instance_uuid', b));
    const map = new Map(found.map((f) => [f.instance_uuid as string, fromDb(INFO_CACHE, f)]));
    setters.push((r) => (r.info_cache = map.get(r.uuid) ?? null));
  }
  if (want.has('security_groups')) {
    const found = await inChunks(uuids, (b) =>
      c.q('security_group_instance_association as a')
        .join('security_groups as g', 'g.id', 'a.security_group_id')
        .select('a.instance_uuid as _instance_uuid', 'g.*')
        .whereIn('a.instance_uuid', b)
        .where('a.deleted', 0)
        .where('g.deleted', 0)
        .orderBy('g.id'),
    );
    const map = new Map(uuids.map((u) => [u, [] as SecurityGroupRow[]]));
    for (const g of found) map.get(g._instance_uuid as string)!.push(fromDb(SECURITY_GROUP, g));
    setters.push((r) => (r.security_groups = map.get(r.uuid) ?? []));
  }
  if (want.has('fault')) {
    const latest = await latestFaults(c, uuids);
    setters.push((r) => (r.fault = latest.get(r.uuid) ?? null));
  }
  if (want.has('flavor') || want.has('numa_topology')) {
    const found = await inChunks(uuids, (b) => c.q('instance_extra').select('instance_uuid', 'flavor', 'numa_topology').whereIn('instance_uuid', b));
    const map = new Map(found.map((e) => [e.instance_uuid as string, e]));
    const json = (v: unknown) => (v == null ? null : JSON.parse(v as string));
    setters.push((r) => {
      const e = map.get(r.uuid);
      if (want.has('flavor')) r.flavor = json(e?.flavor);
      if (want.has('numa_topology')) r.numa_topology = json(e?.numa_topology);
    });
  }
  return (row) => setters.forEach((set) => set(row));
}

/** Live faults of each instance, newest first (Nova's instance_fault_get_by_instance_uuids). */
export async function faultsByInstance(c: Conn, uuids: string[], latestOnly = false): Promise<Map<string, InstanceFaultRow[]>> {
  const out = new Map<string, InstanceFaultRow[]>(uuids.map((u) => [u, []]));
  const found = await inChunks(uuids, (b) =>
    c.q('instance_faults').whereIn('instance_uuid', b).where('deleted', 0).orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]),
  );
  for (const f of found) {
    const list = out.get(f.instance_uuid as string)!;
    if (!latestOnly || list.length === 0) list.push(fromDb(INSTANCE_FAULT, f));
  }
  return out;
}

async function latestFaults(c: Conn, uuids: string[]): Promise<Map<string, InstanceFaultRow>> {
  const all = await faultsByInstance(c, uuids, true);
  return new Map([...all].filter(([, l]) => l.length > 0).map(([u, l]) => [u, l[0]]));
}

/**
 * Makes the stored dict equal `dict`: removed keys are soft-deleted, changed values
 * updated, new keys inserted (Nova's `_instance_metadata_update_in_place`). Callers
 * hold the instance row lock (they updated it first), so saves of one instance's
 * metadata are serialized.
 */
export async function replaceMetadata(c: Conn, table: MetadataTable, uuid: string, dict: Record<string, string | null>): Promise<void> {
  const existing = (await c.q(table).select('id', 'key', 'value').where({ instance_uuid: uuid, deleted: 0 })) as Row[];
  const now = nowText(c);
  const seen = new Set<string>();
  const removed: number[] = [];
  for (const row of existing) {
    const key = row.key as string;
    seen.add(key);
    if (!(key in dict)) removed.push(row.id as number);
    else if ((row.value ?? null) !== (dict[key] ?? null)) {
      await c.q(table).where('id', row.id as number).update({ value: dict[key] ?? null, updated_at: now });
    }
  }
  for (const ids of chunks(removed)) await c.q(table).whereIn('id', ids).update({ deleted: c.q.ref('id'), deleted_at: now });
  const added = Object.entries(dict).filter(([k]) => !seen.has(k));
  await insertRows(c, table, added.map(([key, value]) => ({ instance_uuid: uuid, key, value: value ?? null, created_at: now, deleted: 0 })));
}

export async function insertMetadata(c: Conn, table: MetadataTable, uuid: string, dict: Record<string, string | null> | undefined): Promise<void> {
  if (!dict) return;
  const now = nowText(c);
  await insertRows(c, table, Object.entries(dict).map(([key, value]) => ({ instance_uuid: uuid, key, value: value ?? null, created_at: now, deleted: 0 })));
}

/** Writes the JSON attributes kept in instance_extra, creating its row if an old instance lacks one. */
export async function writeExtra(c: Conn, uuid: string, values: { flavor?: unknown; numa_topology?: unknown }): Promise<void> {
  const cols: Row = {};
  if (values.flavor !== undefined) cols.flavor = toDbValue('json', values.flavor);
  if (values.numa_topology !== undefined) cols.numa_topology = toDbValue('json', values.numa_topology);
  if (Object.keys(cols).length === 0) return;
  const now = nowText(c);
  const n = await c.q('instance_extra').where('instance_uuid', uuid).update({ ...cols, updated_at: now });
  if (n === 0) await c.q('instance_extra').insert({ instance_uuid: uuid, ...cols, created_at: now, deleted: 0 });
}
