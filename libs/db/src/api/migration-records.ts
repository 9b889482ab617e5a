// Migration records (resize / cold and live migration bookkeeping).
import type { Knex } from 'knex';
import type { DbContext } from '../context.js';
import { MigrationNotFound, MigrationNotFoundByStatus } from '../errors.js';
import { PERSISTENT_COLUMNS, fromDb, tableModel, toDb, type PersistentFields } from '../model/columns.js';
import { insertRow, nowText, secondsAgo, whereVisible, type Conn, type Row } from '../model/conn.js';

export interface MigrationRow extends PersistentFields {
  id: number;
  source_compute: string | null;
  dest_compute: string | null;
  dest_host: string | null;
  source_node: string | null;
  dest_node: string | null;
  status: string | null;
  instance_uuid: string | null;
  old_instance_type_id: number | null;
  new_instance_type_id: number | null;
}

export type MigrationValues = Partial<Omit<MigrationRow, 'id' | 'created_at' | 'updated_at' | 'deleted_at' | 'deleted'>>;

/** `status` (one or a list), `host` (source or destination compute), `source_compute`, `instance_uuid`. */
export interface MigrationFilters {
  status?: string | string[];
  host?: string;
  source_compute?: string;
  instance_uuid?: string;
}

export const MIGRATION = tableModel<MigrationRow>('migrations', 'id', {
  id: 'int', source_compute: 'str', dest_compute: 'str', dest_host: 'str', source_node: 'str', dest_node: 'str',
  status: 'str', instance_uuid: 'str', old_instance_type_id: 'int', new_instance_type_id: 'int', ...PERSISTENT_COLUMNS,
});

/** Statuses after which a migration no longer holds resources (Juno's list). */
export const MIGRATION_DONE_STATUSES = ['confirmed', 'reverted', 'error'];

const toMigration = (r: Row): MigrationRow => fromDb(MIGRATION, r);

async function many(c: Conn, ctx: DbContext, build: (qb: Knex.QueryBuilder) => void): Promise<MigrationRow[]> {
  const qb = whereVisible(c.q('migrations'), ctx);
  build(qb);
  return ((await qb.orderBy('id')) as Row[]).map(toMigration);
}

export async function migrationCreate(c: Conn, values: MigrationValues): Promise<MigrationRow> {
  return toMigration(await insertRow(c, 'migrations', { ...toDb(MIGRATION, values), created_at: nowText(c), deleted: 0 }));
}

export async function migrationGet(c: Conn, ctx: DbContext, id: number): Promise<MigrationRow> {
  const [m] = await many(c, ctx, (qb) => qb.where('id', id));
  if (!m) throw new MigrationNotFound({ migration_id: id });
  return m;
}

export async function migrationUpdate(c: Conn, ctx: DbContext, id: number, values: MigrationValues): Promise<MigrationRow> {
  const n = await c.q('migrations').where({ id, deleted: 0 }).update({ ...toDb(MIGRATION, values), updated_at: nowText(c) });
  if (n === 0) throw new MigrationNotFound({ migration_id: id });
  return migrationGet(c, ctx, id);
}

export async function migrationGetByInstanceAndStatus(c: Conn, ctx: DbContext, uuid: string, status: string): Promise<MigrationRow> {
  const [m] = await many(c, ctx, (qb) => qb.where({ instance_uuid: uuid, status }));
  if (!m) throw new MigrationNotFoundByStatus({ instance_id: uuid, status });
  return m;
}

/** Finished migrations to this compute, untouched for at least `confirmWindowSeconds` (auto-confirm task). */
export function migrationGetUnconfirmedByDestCompute(c: Conn, ctx: DbContext, confirmWindowSeconds: number, destCompute: string): Promise<MigrationRow[]> {
  return many(c, ctx, (qb) => qb.where({ dest_compute: destCompute, status: 'finished' }).where('updated_at', '<=', secondsAgo(c, confirmWindowSeconds)));
}

/** Migrations into or out of this host/node that are not done yet (the resource tracker counts them). */
export function migrationGetInProgressByHostAndNode(c: Conn, ctx: DbContext, host: string, node: string): Promise<MigrationRow[]> {
  return many(c, ctx, (qb) =>
    qb.whereNotIn('status', MIGRATION_DONE_STATUSES).where((w) =>
      w.where((x) => x.where({ source_compute: host, source_node: node })).orWhere((x) => x.where({ dest_compute: host, dest_node: node })),
    ),
  );
}

export function migrationGetAllByFilters(c: Conn, ctx: DbContext, filters: MigrationFilters = {}): Promise<MigrationRow[]> {
  return many(c, ctx, (qb) => {
    if (filters.status !== undefined) qb.whereIn('status', Array.isArray(filters.status) ? filters.status : [filters.status]);
    if (filters.host !== undefined) qb.where((w) => w.where('source_compute', filters.host!).orWhere('dest_compute', filters.host!));
    if (filters.source_compute !== undefined) qb.where('source_compute', filters.source_compute);
    if (filters.instance_uuid !== undefined) qb.where('instance_uuid', filters.instance_uuid);
  });
}
