// Migration(+List): the record of a resize or a cold/live migration, from source to
// destination host and node, with its status; computes query the ones in progress.
import { f, objectBase, objectListBase, ObjectActionError } from '@novakit/versioned-objects';
import type { RequestContext } from './context.js';
import type { DbMigrationRow } from './db-api.js';
import { localDb } from './local.js';
import { changedColumns, fromRow, makeList, persistentFields, setFromRow } from './persistent.js';
import { objectRegistry } from './registry.js';

export interface MigrationFilters {
  /** One status or any of several. */
  readonly status?: string | string[];
  /** Source or destination compute. */
  readonly host?: string;
  readonly source_compute?: string;
  readonly instance_uuid?: string;
}

export class Migration extends objectBase({
  registry: objectRegistry,
  name: 'Migration',
  version: '1.0',
  history: { '1.0': 'release 1: source/dest compute and node, dest_host, instance_uuid, status, flavor ids; create, save' },
  fields: {
    id: f.integer(),
    source_compute: f.string().nullable(),
    dest_compute: f.string().nullable(),
    source_node: f.string().nullable(),
    dest_node: f.string().nullable(),
    dest_host: f.string().nullable(),
    old_instance_type_id: f.integer().nullable(),
    new_instance_type_id: f.integer().nullable(),
    instance_uuid: f.string().nullable(),
    status: f.string().nullable(),
    ...persistentFields,
  },
}) {
  static remotable = ['create', 'save'];
  static remotableClass = ['getById', 'getByInstanceAndStatus'];

  static async getById(ctx: RequestContext, id: number): Promise<Migration> {
    const { db, dctx } = localDb(ctx, 'Migration.getById');
    return fromRow(Migration, ctx, await db.migration_get(dctx, id));
  }

  static async getByInstanceAndStatus(ctx: RequestContext, instanceUuid: string, status: string): Promise<Migration> {
    const { db, dctx } = localDb(ctx, 'Migration.getByInstanceAndStatus');
    return fromRow(Migration, ctx, await db.migration_get_by_instance_and_status(dctx, instanceUuid, status));
  }

  async create(): Promise<void> {
    if (this.obj_attr_is_set('id')) throw new ObjectActionError({ action: 'create', reason: 'already created' });
    const { db, dctx } = localDb(this.obj_context, 'Migration.create');
    setFromRow(this, await db.migration_create(dctx, changedColumns(this)));
    this.obj_reset_changes();
  }

  async save(): Promise<void> {
    const values = changedColumns(this);
    if (Object.keys(values).length) {
      const { db, dctx } = localDb(this.obj_context, 'Migration.save');
      setFromRow(this, await db.migration_update(dctx, this.id, values));
    }
    this.obj_reset_changes();
  }
}

export class MigrationList extends objectListBase({
  registry: objectRegistry,
  name: 'MigrationList',
  version: '1.0',
  history: { '1.0': 'release 1: Migration 1.0; getUnconfirmedByDestCompute, getInProgressByHostAndNode, getByFilters' },
  child: Migration,
  childVersions: { '1.0': '1.0' },
}) {
  static remotableClass = ['getUnconfirmedByDestCompute', 'getInProgressByHostAndNode', 'getByFilters'];

  /** Finished resizes waiting longer than `confirmWindowSeconds` for the user to confirm. */
  static async getUnconfirmedByDestCompute(ctx: RequestContext, confirmWindowSeconds: number, destCompute: string): Promise<MigrationList> {
    const { db, dctx } = localDb(ctx, 'MigrationList.getUnconfirmedByDestCompute');
    return migrationList(ctx, await db.migration_get_unconfirmed_by_dest_compute(dctx, confirmWindowSeconds, destCompute));
  }

  /** Migrations still holding resources on this node, as source or destination. */
  static async getInProgressByHostAndNode(ctx: RequestContext, host: string, node: string): Promise<MigrationList> {
    const { db, dctx } = localDb(ctx, 'MigrationList.getInProgressByHostAndNode');
    return migrationList(ctx, await db.migration_get_in_progress_by_host_and_node(dctx, host, node));
  }

  static async getByFilters(ctx: RequestContext, filters: MigrationFilters = {}): Promise<MigrationList> {
    const { db, dctx } = localDb(ctx, 'MigrationList.getByFilters');
    return migrationList(ctx, await db.migration_get_all_by_filters(dctx, { ...filters }));
  }
}

function migrationList(ctx: RequestContext, rows: DbMigrationRow[]): MigrationList {
  return makeList(MigrationList, ctx, rows.map((r) => fromRow(Migration, ctx, r)));
}
