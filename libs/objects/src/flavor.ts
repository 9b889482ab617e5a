// Flavor(+List): a size of instance (vCPUs, memory, disks) with free-form extra specs and,
// for private flavors, the projects allowed to use it.
import { f, objectBase, objectListBase, ObjectActionError } from '@novakit/versioned-objects';
import type { RequestContext } from './context.js';
import type { DbFlavorRow, ObjectsDbApi } from './db-api.js';
import { localDb } from './local.js';
import { changedColumns, makeList, persistentFields, setFromRow } from './persistent.js';
import { objectRegistry } from './registry.js';

/** Fields a saved flavor may still change: flavors are otherwise immutable (Nova's rule). */
const MUTABLE = new Set(['extra_specs', 'projects']);

export class Flavor extends objectBase({
  registry: objectRegistry,
  name: 'Flavor',
  version: '1.0',
  history: { '1.0': 'release 1: sizes, flavorid, rxtx_factor, vcpu_weight, disabled, is_public, extra_specs, lazy projects' },
  fields: {
    id: f.integer(),
    name: f.string().nullable(),
    memory_mb: f.integer(),
    vcpus: f.integer(),
    root_gb: f.integer(),
    ephemeral_gb: f.integer(),
    flavorid: f.string(),
    swap: f.integer(),
    rxtx_factor: f.float().nullable().default(1.0),
    vcpu_weight: f.integer().nullable(),
    disabled: f.boolean(),
    is_public: f.boolean(),
    extra_specs: f.dict(f.string()),
    projects: f.list(f.string()).lazy(),
    ...persistentFields,
  },
}) {
  static remotable = ['create', 'save', 'destroy', 'loadProjects'];
  static remotableClass = ['getById', 'getByName', 'getByFlavorId'];

  static async getById(ctx: RequestContext, id: number): Promise<Flavor> {
    const { db, dctx } = localDb(ctx, 'Flavor.getById');
    return flavorFromRow(ctx, await db.flavor_get(dctx, id));
  }

  static async getByName(ctx: RequestContext, name: string): Promise<Flavor> {
    const { db, dctx } = localDb(ctx, 'Flavor.getByName');
    return flavorFromRow(ctx, await db.flavor_get_by_name(dctx, name));
  }

  /** By the API-visible id; with read_deleted 'yes' it finds the flavor a deleted one was. */
  static async getByFlavorId(ctx: RequestContext, flavorid: string): Promise<Flavor> {
    const { db, dctx } = localDb(ctx, 'Flavor.getByFlavorId');
    return flavorFromRow(ctx, await db.flavor_get_by_flavor_id(dctx, flavorid));
  }

  async create(): Promise<void> {
    if (this.obj_attr_is_set('id')) throw new ObjectActionError({ action: 'create', reason: 'already created' });
    const values = changedColumns(this, ['projects']) as Parameters<ObjectsDbApi['flavor_create']>[1];
    const projects = this.obj_attr_is_set('projects') ? [...this.projects] : [];
    const { db, dctx } = localDb(this.obj_context, 'Flavor.create');
    setFromRow(this, await db.flavor_create(dctx, values, projects));
    this.projects = projects;
    this.obj_reset_changes();
  }

  /**
   * Writes the extra specs and project access the caller changed, each replaced as a whole
   * (keys or projects gone from the object are removed). Other fields are read-only once
   * the flavor exists.
   */
  async save(): Promise<void> {
    const changed = this.obj_what_changed();
    const readOnly = [...changed].filter((n) => !MUTABLE.has(n));
    if (readOnly.length) throw new ObjectActionError({ action: 'save', reason: `read-only fields were changed: ${readOnly.sort().join(', ')}` });
    const { db, dctx } = localDb(this.obj_context, 'Flavor.save');
    if (changed.has('extra_specs')) {
      const stored = await db.flavor_extra_specs_get(dctx, this.flavorid);
      for (const key of Object.keys(stored)) if (!(key in this.extra_specs)) await db.flavor_extra_specs_delete(dctx, this.flavorid, key);
      if (Object.keys(this.extra_specs).length) await db.flavor_extra_specs_update_or_create(dctx, this.flavorid, { ...this.extra_specs });
    }
    if (changed.has('projects')) {
      const stored = new Set(await db.flavor_access_get_by_flavor_id(dctx, this.flavorid));
      const wanted = new Set(this.projects);
      for (const p of stored) if (!wanted.has(p)) await db.flavor_access_remove(dctx, this.flavorid, p);
      for (const p of wanted) if (!stored.has(p)) await db.flavor_access_add(dctx, this.flavorid, p);
    }
    this.obj_reset_changes();
  }

  /** Soft-deletes the flavor with its specs and access list (instances keep their copy). */
  async destroy(): Promise<void> {
    const { db, dctx } = localDb(this.obj_context, 'Flavor.destroy');
    await db.flavor_destroy(dctx, this.name ?? '');
  }

  /** Loads `projects` (the one lazy field) in one call. */
  async loadProjects(): Promise<void> {
    const { db, dctx } = localDb(this.obj_context, 'Flavor.loadProjects');
    this.projects = await db.flavor_access_get_by_flavor_id(dctx, this.flavorid);
  }

  protected override async obj_lazy_load(name: string): Promise<void> {
    if (name === 'projects') return this.loadProjects();
    return super.obj_lazy_load(name);
  }
}

function flavorFromRow(ctx: RequestContext | null, row: DbFlavorRow): Flavor {
  const flavor = new Flavor(null, ctx);
  setFromRow(flavor, row);
  flavor.obj_reset_changes();
  return flavor;
}

export interface FlavorQuery {
  filters?: { min_memory_mb?: number; min_root_gb?: number; disabled?: boolean; is_public?: boolean | null; project_id?: string };
  sortKey?: string;
  sortDir?: 'asc' | 'desc';
  limit?: number;
  /** flavorid of the last flavor of the previous page. */
  marker?: string;
}

export class FlavorList extends objectListBase({
  registry: objectRegistry,
  name: 'FlavorList',
  version: '1.0',
  history: { '1.0': 'release 1: Flavor 1.0; getAll with filters, sort, limit, marker' },
  child: Flavor,
  childVersions: { '1.0': '1.0' },
}) {
  static remotableClass = ['getAll'];

  static async getAll(ctx: RequestContext, query: FlavorQuery = {}): Promise<FlavorList> {
    const { db, dctx } = localDb(ctx, 'FlavorList.getAll');
    const { filters, ...opts } = query;
    const rows = await db.flavor_get_all(dctx, filters ?? {}, opts);
    return makeList(FlavorList, ctx, rows.map((r) => flavorFromRow(ctx, r)));
  }
}
