// What every DB API function runs on: a knex (or transaction) plus dialect and clock,
// and the few statement helpers whose SQL differs per backend.
import type { Knex } from 'knex';
import type { Database } from '../connection/open.js';
import type { Dialect } from '../connection/url.js';
import { classifyDriverError } from '../connection/drivers.js';
import type { DbContext } from '../context.js';
import { DBDeadlock, DBDuplicateEntry } from '../errors.js';
import { formatTime, type TableModel } from './columns.js';

export interface Conn {
  readonly q: Knex | Knex.Transaction;
  readonly dialect: Dialect;
  readonly clock: () => Date;
  readonly inTx: boolean;
}

export function connOf(db: Database): Conn {
  return { q: db.knex, dialect: db.dialect, clock: db.clock, inTx: false };
}

export type Row = Record<string, unknown>;

/** The current time as stored: naive UTC text, second precision. */
export function nowText(c: Conn): string {
  return formatTime(c.clock());
}

/** The time `seconds` ago as stored, for window queries. */
export function secondsAgo(c: Conn, seconds: number): string {
  return formatTime(new Date(c.clock().getTime() - seconds * 1000));
}

const MAX_ATTEMPTS = 5;

/**
 * Runs `fn` in one transaction (or in the caller's). Deadlocks, serialization failures
 * and SQLite busy errors roll back and retry the whole unit, as Nova's
 * `_retry_on_deadlock` does; after MAX_ATTEMPTS it raises DBDeadlock.
 */
export async function inTransaction<T>(c: Conn, fn: (t: Conn) => Promise<T>): Promise<T> {
  if (c.inTx) return fn(c);
  for (let attempt = 1; ; attempt++) {
    try {
      return await (c.q as Knex).transaction((trx) => fn({ ...c, q: trx, inTx: true }));
    } catch (err) {
      const kind = classifyDriverError(err);
      if (kind !== 'deadlock' && kind !== 'busy') throw err;
      if (attempt >= MAX_ATTEMPTS) throw new DBDeadlock({ attempts: attempt });
      await new Promise((r) => setTimeout(r, 5 * attempt + Math.random() * 20 * attempt));
    }
  }
}

/** Restricts a query on `table` to the rows the context may see. */
export function whereVisible(qb: Knex.QueryBuilder, ctx: DbContext, table?: string, mode: 'id' | 'flag' = 'id'): Knex.QueryBuilder {
  const col = table ? `${table}.deleted` : 'deleted';
  const rd = ctx.readDeleted ?? 'no';
  if (rd === 'no') return qb.where(col, 0);
  if (rd === 'only') return mode === 'id' ? qb.whereNot(col, 0) : qb.where(col, 1);
  return qb;
}

/** Column values that soft-delete a row the Nova way: `deleted` = its own id. */
export function softDeleteValues(c: Conn, model: TableModel<unknown>): Row {
  return { deleted: model.softDelete === 'flag' ? 1 : c.q.ref('id'), deleted_at: nowText(c) };
}

/** Whether the backend can return rows from INSERT/UPDATE (MariaDB cannot for UPDATE). */
export function canReturn(c: Conn): boolean {
  return c.dialect !== 'mysql';
}

/** Inserts one row and returns it as stored (defaults included). */
export async function insertRow(c: Conn, table: string, values: Row, idColumn = 'id'): Promise<Row> {
  if (canReturn(c)) {
    const rows = (await c.q(table).insert(values).returning('*')) as Row[];
    return rows[0];
  }
  const [id] = (await c.q(table).insert(values)) as number[];
  const key = idColumn === 'id' && values.id === undefined ? id : values[idColumn];
  return (await c.q(table).where(idColumn, key as any).first()) as Row;
}

/** Inserts several rows; no rows back. */
export async function insertRows(c: Conn, table: string, rows: Row[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 200) await c.q(table).insert(rows.slice(i, i + 200));
}

/**
 * Runs an insert and turns a unique-constraint violation into the caller's error
 * (InstanceExists, KeyPairExists …) or a generic DBDuplicateEntry.
 */
export async function mapDuplicate<T>(table: string, columns: string[], run: () => Promise<T>, specific?: () => Error): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (classifyDriverError(err) === 'duplicate') throw specific ? specific() : new DBDuplicateEntry({ table, columns });
    throw err;
  }
}

/** Splits a list for IN (...) clauses well below every backend's parameter limit. */
export function chunks<T>(items: readonly T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** `query` once per chunk of `keys` (duplicates dropped), every row; `byId` sorts them by id. */
export async function inChunks<K>(keys: readonly K[], query: (batch: K[]) => Promise<Row[]>, opts: { byId?: boolean } = {}): Promise<Row[]> {
  const out: Row[] = [];
  for (const batch of chunks([...new Set(keys)])) out.push(...(await query(batch)));
  return opts.byId ? out.sort((a, b) => (a.id as number) - (b.id as number)) : out;
}

/** `col IN (list)` that also matches NULL when the list holds null (SQL's IN never does). */
export function whereInNullable(qb: Knex.QueryBuilder, col: string, values: readonly (string | number | null)[]): Knex.QueryBuilder {
  const nonNull = values.filter((v): v is string | number => v !== null);
  const wantNull = nonNull.length !== values.length;
  return qb.where((w) => {
    if (nonNull.length) w.whereIn(col, nonNull);
    else if (!wantNull) w.whereRaw('1 = 0');
    if (wantNull) w.orWhereNull(col);
  });
}

/**
 * Serializes writers of one instance's children (BDMs …) on PostgreSQL and MariaDB by
 * locking the instance row; SQLite write transactions are already exclusive.
 */
export async function lockInstanceRow(t: Conn, uuid: string): Promise<void> {
  if (t.dialect === 'sqlite' || !t.inTx) return;
  await t.q('instances').select('id').where('uuid', uuid).forUpdate();
}
