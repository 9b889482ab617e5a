// The small parts of the database drivers this lib touches directly (everything else
// goes through knex). Declared structurally so tests can fake them.

/** What better-sqlite3's Database offers that we use when a connection opens. */
export interface SqliteConnectionLike {
  pragma(source: string, options?: { simple?: boolean }): unknown;
}

/** What mysql2's callback connection offers that we use when a connection opens. */
export interface MysqlConnectionLike {
  query(sql: string, callback: (err: Error | null) => void): unknown;
}

/** The fields of a driver error we classify (sqlite `code`, pg `code`, mysql `errno`/`code`). */
export interface DriverErrorLike {
  code?: string | number;
  errno?: number;
  message?: string;
  detail?: string;
  constraint?: string;
}

export type DriverErrorKind = 'duplicate' | 'deadlock' | 'busy' | 'other';

/** Sorts a driver error into what the DB API reacts to: unique violations and retryable lock failures. */
export function classifyDriverError(err: unknown): DriverErrorKind {
  if (typeof err !== 'object' || err === null) return 'other';
  const e = err as DriverErrorLike;
  const code = e.code;
  if (code === '23505' || code === 'ER_DUP_ENTRY' || e.errno === 1062) return 'duplicate';
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return 'duplicate';
  if (code === '40P01' || code === '40001' || code === 'ER_LOCK_DEADLOCK' || e.errno === 1213) return 'deadlock';
  if (code === 'ER_LOCK_WAIT_TIMEOUT' || e.errno === 1205) return 'deadlock';
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_SNAPSHOT' || code === 'SQLITE_LOCKED') return 'busy';
  return 'other';
}
