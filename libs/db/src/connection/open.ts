// Opens a knex instance for a URL with the session settings every backend needs so
// that the DB API behaves the same on all three:
// - timestamps travel as naive UTC text 'YYYY-MM-DD HH:MM:SS' (pg and mysql2 are told
//   not to convert them with the process time zone; the row mappers parse them);
// - MariaDB sessions run READ COMMITTED, like PostgreSQL's default, so a transaction
//   sees rows committed by the writer it waited for;
// - SQLite runs in WAL mode with a busy timeout and write transactions BEGIN IMMEDIATE.
import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import type { MysqlConnectionLike, SqliteConnectionLike } from './drivers.js';
import { SqliteClient } from './sqlite-client.js';
import { parseDbUrl, redactUrl, type Dialect, type ParsedDbUrl } from './url.js';

export interface OpenOptions {
  /** Clock for created_at/updated_at/heartbeats; tests pin it. Defaults to `new Date()`. */
  clock?: () => Date;
  /** Pool size for PostgreSQL / MariaDB (SQLite always uses one connection per process). */
  poolMax?: number;
}

/** An open database: the knex instance, its dialect and the clock the DB API stamps rows with. */
export interface Database {
  readonly knex: Knex;
  readonly dialect: Dialect;
  /** The URL with any password redacted. */
  readonly url: string;
  readonly clock: () => Date;
  close(): Promise<void>;
}

const PG_TIMESTAMP = 1114;
const PG_TIMESTAMPTZ = 1184;
const PG_INT8 = 20;

/** Type parsers for pg: timestamps stay text (we parse them as UTC), int8 counts become numbers. */
const pgTypes = {
  getTypeParser(oid: number, format?: string): (value: string) => unknown {
    if (oid === PG_TIMESTAMP || oid === PG_TIMESTAMPTZ) return (v) => v;
    if (oid === PG_INT8) return (v) => Number(v);
    return (pg.types.getTypeParser as (oid: number, format?: string) => (value: string) => unknown)(oid, format);
  },
};

export function knexConfigFor(parsed: ParsedDbUrl, opts: OpenOptions = {}): Knex.Config {
  switch (parsed.dialect) {
    case 'sqlite':
      return {
        client: SqliteClient,
        connection: { filename: parsed.filename },
        useNullAsDefault: true,
        // One connection: better-sqlite3 is synchronous, and ':memory:' lives in its
        // connection (min 1 keeps the pool from reaping it when idle).
        pool: {
          min: 1,
          max: 1,
          afterCreate: (conn: SqliteConnectionLike, done: (err: Error | null, conn: unknown) => void) => {
            try {
              if (parsed.filename !== ':memory:') conn.pragma('journal_mode = WAL');
              conn.pragma(`busy_timeout = ${parsed.busyTimeoutMs}`);
              conn.pragma(`synchronous = ${parsed.synchronous.toUpperCase()}`);
              done(null, conn);
            } catch (err) {
              done(err as Error, conn);
            }
          },
        },
      };
    case 'postgres':
      return {
        client: 'pg',
        connection: {
          host: parsed.host,
          port: parsed.port,
          user: parsed.user,
          password: parsed.password,
          database: parsed.database,
          types: pgTypes,
        } as Knex.PgConnectionConfig,
        searchPath: parsed.schema ? [parsed.schema] : undefined,
        pool: { min: 0, max: opts.poolMax ?? 10 },
      };
    case 'mysql':
      return {
        client: 'mysql2',
        connection: {
          host: parsed.host,
          port: parsed.port,
          user: parsed.user,
          password: parsed.password,
          database: parsed.database,
          dateStrings: true,
          timezone: 'Z',
          supportBigNumbers: true,
          charset: 'utf8mb4',
        },
        pool: {
          min: 0,
          max: opts.poolMax ?? 10,
          afterCreate: (conn: MysqlConnectionLike, done: (err: Error | null, conn: unknown) => void) => {
            conn.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED', (err) => {
              if (err) return done(err, conn);
              conn.query("SET time_zone = '+00:00'", (err2) => done(err2, conn));
            });
          },
        },
      };
  }
}

/** Opens the database a URL names (see `parseDbUrl` for the formats). Does not migrate. */
export function openDatabase(url: string, opts: OpenOptions = {}): Database {
  const parsed = parseDbUrl(url);
  const knex = knexFactory(knexConfigFor(parsed, opts));
  return {
    knex,
    dialect: parsed.dialect,
    url: redactUrl(url),
    clock: opts.clock ?? (() => new Date()),
    close: () => knex.destroy(),
  };
}
