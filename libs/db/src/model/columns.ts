// Row mapping between the database and the plain rows the DB API returns. Each
// table declares its columns once (kind per column); the mappers turn driver values
// (0/1 booleans, timestamp text, JSON text, `deleted` = id) into object-shaped values.
import { InvalidColumn } from '../errors.js';

export type ColumnKind = 'int' | 'str' | 'bool' | 'time' | 'json' | 'float';

/** How a table marks deleted rows: Nova's `deleted` = row id, a 0/1 flag (string ids), or not at all. */
export type SoftDelete = 'id' | 'flag' | 'none';

export interface TableModel<R> {
  readonly table: string;
  readonly columns: { readonly [K in keyof R]-?: ColumnKind };
  readonly softDelete: SoftDelete;
}

/** Defines a table model; the column map must name exactly the row's keys. */
export function tableModel<R>(table: string, softDelete: SoftDelete, columns: { readonly [K in keyof R]-?: ColumnKind }): TableModel<R> {
  return { table, softDelete, columns };
}

/** Columns a caller may never write through a values dict (identity and deletion state). */
const PROTECTED = new Set(['id', 'created_at', 'deleted', 'deleted_at']);

/** The timestamp and soft-delete fields every persistent row carries (NovaPersistentObject). */
export interface PersistentFields {
  created_at: Date | null;
  updated_at: Date | null;
  deleted_at: Date | null;
  deleted: boolean;
}
export const PERSISTENT_COLUMNS = { created_at: 'time', updated_at: 'time', deleted_at: 'time', deleted: 'bool' } as const;

const pad = (n: number) => String(n).padStart(2, '0');

/** Formats a moment as naive UTC text at second precision: what every backend stores. */
export function formatTime(d: Date): string {
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** Accepts a Date, an ISO string (no zone means UTC, as on Nova's wire) or epoch ms. */
export function toDate(v: Date | string | number): Date {
  if (v instanceof Date) return v;
  if (typeof v === 'number') return new Date(v);
  const s = v.trim().replace(' ', 'T');
  const d = new Date(/(Z|[+-]\d\d:?\d\d)$/i.test(s) ? s : `${s}Z`);
  if (Number.isNaN(d.getTime())) throw new TypeError(`not a datetime: ${v}`);
  return d;
}

export function parseDbTime(v: unknown): Date | null {
  if (v === null || v === undefined) return null;
  const d = toDate(v as Date | string | number);
  return new Date(Math.floor(d.getTime() / 1000) * 1000);
}

export function toDbValue(kind: ColumnKind, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  switch (kind) {
    case 'time':
      return formatTime(toDate(v as Date | string | number));
    case 'bool':
      return Boolean(v);
    case 'json':
      if (typeof v === 'string') {
        JSON.parse(v); // refuse text that is not JSON rather than store it
        return v;
      }
      return JSON.stringify(v);
    case 'int':
    case 'float':
      return typeof v === 'string' ? Number(v) : v;
    case 'str':
      return typeof v === 'string' ? v : String(v);
  }
}

export function fromDbValue(kind: ColumnKind, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  switch (kind) {
    case 'time':
      return parseDbTime(v);
    case 'bool':
      return v === true || v === 1 || v === '1' || v === 't' || (typeof v === 'bigint' && v !== 0n);
    case 'json':
      return typeof v === 'string' ? JSON.parse(v) : v;
    case 'int':
    case 'float':
      return typeof v === 'number' ? v : Number(v);
    case 'str':
      return typeof v === 'string' ? v : String(v);
  }
}

/** Maps one raw database row to the row type (unknown keys are dropped). */
export function fromDb<R>(model: TableModel<R>, raw: Record<string, unknown>): R {
  const out: Record<string, unknown> = {};
  for (const [key, kind] of Object.entries(model.columns) as [string, ColumnKind][]) {
    if (key === 'deleted' && model.softDelete !== 'none') {
      out.deleted = Number(raw.deleted ?? 0) !== 0;
      continue;
    }
    out[key] = fromDbValue(kind, raw[key]);
  }
  return out as R;
}

/**
 * Maps a values dict to column values. Unknown or protected keys raise InvalidColumn,
 * so a typo never reaches SQL and ids/deletion state change only through the API.
 */
export function toDb<R>(model: TableModel<R>, values: Record<string, unknown>, opts: { allow?: readonly string[] } = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const cols = model.columns as Record<string, ColumnKind>;
  for (const [key, v] of Object.entries(values)) {
    if (v === undefined) continue;
    const kind = cols[key];
    if (!kind || (PROTECTED.has(key) && !opts.allow?.includes(key))) throw new InvalidColumn({ table: model.table, column: key });
    out[key] = toDbValue(kind, v);
  }
  return out;
}
