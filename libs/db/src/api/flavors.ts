// Flavors with their extra specs (always loaded, as Flavor's `extra_specs` is a plain
// field) and project access (Flavor's lazy `projects`). Extra specs and access are
// addressed by `flavorid`, the API-visible id, as in Nova.
import type { Knex } from 'knex';
import type { DbContext } from '../context.js';
import { FlavorAccessExists, FlavorAccessNotFound, FlavorExists, FlavorExtraSpecsNotFound, FlavorIdExists, FlavorNotFound, FlavorNotFoundByName, InvalidSortKey, MarkerNotFound } from '../errors.js';
import { PERSISTENT_COLUMNS, fromDb, tableModel, toDb, type PersistentFields } from '../model/columns.js';
import { chunks, inTransaction, insertRow, mapDuplicate, nowText, whereVisible, type Conn, type Row } from '../model/conn.js';

export interface FlavorColumns extends PersistentFields {
  id: number;
  name: string;
  memory_mb: number;
  vcpus: number;
  root_gb: number;
  ephemeral_gb: number;
  flavorid: string;
  swap: number;
  rxtx_factor: number | null;
  vcpu_weight: number | null;
  disabled: boolean;
  is_public: boolean;
}

export interface FlavorRow extends FlavorColumns {
  extra_specs: Record<string, string | null>;
}

export type FlavorValues = Partial<Omit<FlavorColumns, 'id' | 'created_at' | 'updated_at' | 'deleted_at' | 'deleted'>> & {
  name: string; flavorid: string; memory_mb: number; vcpus: number; root_gb: number; ephemeral_gb: number;
  extra_specs?: Record<string, string>;
};

export interface FlavorFilters {
  min_memory_mb?: number;
  min_root_gb?: number;
  disabled?: boolean;
  /** true/false restricts; null or absent lists both. */
  is_public?: boolean | null;
  /** Public flavors plus the private ones this project was given access to. */
  project_id?: string;
}

export interface FlavorListOptions {
  sortKey?: string;
  sortDir?: 'asc' | 'desc';
  limit?: number;
  /** `flavorid` of the last flavor of the previous page. */
  marker?: string;
}

export const FLAVOR = tableModel<FlavorColumns>('flavors', 'id', {
  id: 'int', name: 'str', memory_mb: 'int', vcpus: 'int', root_gb: 'int', ephemeral_gb: 'int', flavorid: 'str', swap: 'int',
  rxtx_factor: 'float', vcpu_weight: 'int', disabled: 'bool', is_public: 'bool', ...PERSISTENT_COLUMNS,
});

async function withSpecs(c: Conn, raws: Row[]): Promise<FlavorRow[]> {
  const rows = raws.map((r) => ({ ...fromDb(FLAVOR, r), extra_specs: {} as Record<string, string | null> }));
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const ids of chunks([...byId.keys()])) {
    const specs = (await c.q('flavor_extra_specs').select('flavor_id', 'key', 'value').whereIn('flavor_id', ids).where('deleted', 0)) as Row[];
    for (const s of specs) byId.get(s.flavor_id as number)!.extra_specs[s.key as string] = (s.value as string | null) ?? null;
  }
  return rows;
}

async function one(c: Conn, ctx: DbContext, where: Record<string, unknown>, notFound: () => Error): Promise<FlavorRow> {
  const raw = (await whereVisible(c.q('flavors').where(where), ctx).first()) as Row | undefined;
  if (!raw) throw notFound();
  return (await withSpecs(c, [raw]))[0];
}

async function liveFlavorId(c: Conn, flavorid: string): Promise<number> {
  const raw = (await c.q('flavors').select('id').where({ flavorid, deleted: 0 }).first()) as Row | undefined;
  if (!raw) throw new FlavorNotFound({ flavor_id: flavorid });
  return raw.id as number;
}

export async function flavorCreate(c: Conn, values: FlavorValues, projects: string[] = []): Promise<FlavorRow> {
  const { extra_specs, ...cols } = values;
  return inTransaction(c, async (t) => {
    if (await t.q('flavors').where({ flavorid: values.flavorid, deleted: 0 }).first()) throw new FlavorIdExists({ flavor_id: values.flavorid });
    if (await t.q('flavors').where({ name: values.name, deleted: 0 }).first()) throw new FlavorExists({ name: values.name });
    const now = nowText(t);
    const raw = await mapDuplicate('flavors', ['name'], () => insertRow(t, 'flavors', { ...toDb(FLAVOR, cols), created_at: now, deleted: 0 }), () => new FlavorExists({ name: values.name }));
    const id = raw.id as number;
    const specs = Object.entries(extra_specs ?? {});
    if (specs.length) await t.q('flavor_extra_specs').insert(specs.map(([key, value]) => ({ flavor_id: id, key, value, created_at: now, deleted: 0 })));
    if (projects.length) await t.q('flavor_projects').insert([...new Set(projects)].map((project_id) => ({ flavor_id: id, project_id, created_at: now, deleted: 0 })));
    return (await withSpecs(t, [raw]))[0];
  });
}

export function flavorGet(c: Conn, ctx: DbContext, id: number): Promise<FlavorRow> {
  return one(c, ctx, { id }, () => new FlavorNotFound({ flavor_id: id }));
}

export function flavorGetByName(c: Conn, ctx: DbContext, name: string): Promise<FlavorRow> {
  return one(c, ctx, { name }, () => new FlavorNotFoundByName({ flavor_name: name }));
}

/** By API id; with `readDeleted: 'yes'` it finds the flavor a deleted-flavor instance was built from. */
export async function flavorGetByFlavorId(c: Conn, ctx: DbContext, flavorid: string): Promise<FlavorRow> {
  const raw = (await whereVisible(c.q('flavors').where('flavorid', flavorid), ctx).orderBy('deleted', 'asc').first()) as Row | undefined;
  if (!raw) throw new FlavorNotFound({ flavor_id: flavorid });
  return (await withSpecs(c, [raw]))[0];
}

const SORTABLE = new Set(['id', 'name', 'memory_mb', 'vcpus', 'root_gb', 'ephemeral_gb', 'flavorid', 'swap', 'rxtx_factor', 'created_at']);

export async function flavorGetAll(c: Conn, ctx: DbContext, filters: FlavorFilters = {}, opts: FlavorListOptions = {}): Promise<FlavorRow[]> {
  const sortKey = opts.sortKey ?? 'flavorid';
  const dir = opts.sortDir ?? 'asc';
  if (!SORTABLE.has(sortKey)) throw new InvalidSortKey({ sort_key: sortKey });
  const qb = whereVisible(c.q('flavors'), ctx);
  if (filters.min_memory_mb !== undefined) qb.where('memory_mb', '>=', filters.min_memory_mb);
  if (filters.min_root_gb !== undefined) qb.where('root_gb', '>=', filters.min_root_gb);
  if (filters.disabled !== undefined) qb.where('disabled', filters.disabled);
  if (filters.is_public !== undefined && filters.is_public !== null) qb.where('is_public', filters.is_public);
  if (filters.project_id !== undefined) {
    const access = c.q('flavor_projects').select('flavor_id').where({ project_id: filters.project_id, deleted: 0 });
    qb.where((w: Knex.QueryBuilder) => w.where('is_public', true).orWhereIn('id', access));
  }
  if (opts.marker !== undefined) {
    const m = (await c.q('flavors').where('flavorid', opts.marker).orderBy('deleted').first()) as Row | undefined;
    if (!m) throw new MarkerNotFound({ marker: opts.marker });
    const cmp = dir === 'asc' ? '>' : '<';
    qb.where((w: Knex.QueryBuilder) => w.where(sortKey, cmp, m[sortKey] as any).orWhere((x) => x.where(sortKey, m[sortKey] as any).where('id', cmp, m.id as number)));
  }
  qb.orderBy([{ column: sortKey, order: dir }, { column: 'id', order: dir }]);
  if (opts.limit !== undefined) qb.limit(opts.limit);
  return withSpecs(c, (await qb) as Row[]);
}

/** Soft-deletes a flavor (by name, as Nova's flavor_destroy) with its specs and access list. */
export async function flavorDestroy(c: Conn, name: string): Promise<void> {
  await inTransaction(c, async (t) => {
    const raw = (await t.q('flavors').where({ name, deleted: 0 }).first()) as Row | undefined;
    if (!raw) throw new FlavorNotFoundByName({ flavor_name: name });
    const del = { deleted: t.q.ref('id'), deleted_at: nowText(t) };
    await t.q('flavors').where('id', raw.id as number).update(del);
    await t.q('flavor_extra_specs').where({ flavor_id: raw.id as number, deleted: 0 }).update(del);
    await t.q('flavor_projects').where({ flavor_id: raw.id as number, deleted: 0 }).update(del);
  });
}

export async function flavorExtraSpecsGet(c: Conn, flavorid: string): Promise<Record<string, string | null>> {
  const id = await liveFlavorId(c, flavorid);
  const specs = (await c.q('flavor_extra_specs').select('key', 'value').where({ flavor_id: id, deleted: 0 })) as Row[];
  return Object.fromEntries(specs.map((s) => [s.key as string, (s.value as string | null) ?? null]));
}

export async function flavorExtraSpecsDelete(c: Conn, flavorid: string, key: string): Promise<void> {
  const id = await liveFlavorId(c, flavorid);
  const n = await c.q('flavor_extra_specs').where({ flavor_id: id, key, deleted: 0 }).update({ deleted: c.q.ref('id'), deleted_at: nowText(c) });
  if (n === 0) throw new FlavorExtraSpecsNotFound({ flavor_id: flavorid, extra_specs_key: key });
}

/** Sets the given keys (others stay). Returns the resulting specs. */
export async function flavorExtraSpecsUpdateOrCreate(c: Conn, flavorid: string, specs: Record<string, string>): Promise<Record<string, string | null>> {
  await inTransaction(c, async (t) => {
    const id = await liveFlavorId(t, flavorid);
    const now = nowText(t);
    for (const [key, value] of Object.entries(specs)) {
      const n = await t.q('flavor_extra_specs').where({ flavor_id: id, key, deleted: 0 }).update({ value, updated_at: now });
      if (n === 0) await t.q('flavor_extra_specs').insert({ flavor_id: id, key, value, created_at: now, deleted: 0 });
    }
  });
  return flavorExtraSpecsGet(c, flavorid);
}

/** Project ids with access to a (private) flavor. */
export async function flavorAccessGetByFlavorId(c: Conn, flavorid: string): Promise<string[]> {
  const id = await liveFlavorId(c, flavorid);
  const rows = (await c.q('flavor_projects').select('project_id').where({ flavor_id: id, deleted: 0 }).orderBy('id')) as Row[];
  return rows.map((r) => r.project_id as string);
}

export async function flavorAccessAdd(c: Conn, flavorid: string, projectId: string): Promise<void> {
  const id = await liveFlavorId(c, flavorid);
  await mapDuplicate('flavor_projects', ['flavor_id', 'project_id'], () =>
    c.q('flavor_projects').insert({ flavor_id: id, project_id: projectId, created_at: nowText(c), deleted: 0 }),
  () => new FlavorAccessExists({ flavor_id: flavorid, project_id: projectId }));
}

export async function flavorAccessRemove(c: Conn, flavorid: string, projectId: string): Promise<void> {
  const id = await liveFlavorId(c, flavorid);
  const n = await c.q('flavor_projects').where({ flavor_id: id, project_id: projectId, deleted: 0 }).update({ deleted: c.q.ref('id'), deleted_at: nowText(c) });
  if (n === 0) throw new FlavorAccessNotFound({ flavor_id: flavorid, project_id: projectId });
}
