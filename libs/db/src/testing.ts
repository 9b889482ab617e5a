// Test support for this lib and for libs that wire the real DB API in their tests
// (objects, conductor): a private database per run on each backend, and probing of
// the PostgreSQL / MariaDB servers the suites use when they are present.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Database, type OpenOptions } from './connection/open.js';
import { parseDbUrl, type Dialect } from './connection/url.js';
import { createDbApi } from './create-db-api.js';
import type { DbApi } from './db-api.js';
import { migrateLatest } from './migrate.js';

/** Server URLs of the shared test services (override with env for other hosts). */
export const TEST_SERVER_URLS = {
  postgres: process.env.NOVAKIT_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  mysql: process.env.NOVAKIT_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test',
} as const;

/** True when CI demands every service (NOVAKIT_REQUIRE_SERVICES=1): absent services fail instead of skipping. */
export const servicesRequired = (): boolean => process.env.NOVAKIT_REQUIRE_SERVICES === '1';

export interface TestDatabase {
  readonly dialect: Dialect;
  /** URL of the private database (other processes can open it). */
  readonly url: string;
  readonly database: Database;
  readonly api: DbApi;
  /** Closes the connection and drops the private database / schema / file. */
  drop(): Promise<void>;
}

function tcpReachable(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host, port });
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

/** Resolves to null when the server of `dialect` answers a query, else to why not. */
export async function probeServer(dialect: 'postgres' | 'mysql'): Promise<string | null> {
  const url = TEST_SERVER_URLS[dialect];
  const parsed = parseDbUrl(url) as { host: string; port: number };
  if (!(await tcpReachable(parsed.host, parsed.port))) return `${dialect} not reachable at ${parsed.host}:${parsed.port}`;
  const db = openDatabase(url);
  try {
    await db.knex.raw('select 1');
    return null;
  } catch (err) {
    return `${dialect} at ${parsed.host}:${parsed.port} refused: ${(err as Error).message}`;
  } finally {
    await db.close();
  }
}

export interface TestBackend {
  readonly dialect: Dialect;
  /** Why the backend cannot be used in this run (its server does not answer), or null. */
  readonly unavailable: string | null;
}

let backends: Promise<readonly TestBackend[]> | undefined;

/**
 * The backends a test run covers: SQLite always, PostgreSQL and MariaDB with whether their
 * servers answer (probed once per process). NOVAKIT_DB_BACKENDS=sqlite,postgres narrows the run.
 */
export function testBackends(): Promise<readonly TestBackend[]> {
  const all: readonly Dialect[] = ['sqlite', 'postgres', 'mysql'];
  const selected = (process.env.NOVAKIT_DB_BACKENDS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  backends ??= Promise.all(
    all
      .filter((d) => selected.length === 0 || selected.includes(d))
      .map(async (dialect) => ({ dialect, unavailable: dialect === 'sqlite' ? null : await probeServer(dialect) })),
  );
  return backends;
}

const uniqueName = () => `nk_${process.pid}_${randomBytes(4).toString('hex')}`;

/**
 * Creates a private, migrated database: a temp file (or `:memory:`) for SQLite, a
 * schema in the test database for PostgreSQL, a database for MariaDB.
 */
export async function createTestDatabase(dialect: Dialect, opts: OpenOptions & { memory?: boolean; migrate?: boolean } = {}): Promise<TestDatabase> {
  let url: string;
  let cleanup: () => Promise<void>;
  if (dialect === 'sqlite') {
    if (opts.memory) {
      url = 'sqlite::memory:';
      cleanup = async () => {};
    } else {
      const dir = await mkdtemp(join(tmpdir(), 'novakit-db-'));
      url = `sqlite://${join(dir, 'test.db')}`;
      cleanup = () => rm(dir, { recursive: true, force: true });
    }
  } else {
    const name = uniqueName();
    const admin = openDatabase(TEST_SERVER_URLS[dialect]);
    try {
      if (dialect === 'postgres') await admin.knex.raw('CREATE SCHEMA ??', [name]);
      else await admin.knex.raw('CREATE DATABASE ?? CHARACTER SET utf8mb4 COLLATE utf8mb4_bin', [name]);
    } finally {
      await admin.close();
    }
    const base = new URL(TEST_SERVER_URLS[dialect]);
    if (dialect === 'postgres') base.searchParams.set('schema', name);
    else base.pathname = `/${name}`;
    url = base.toString();
    cleanup = async () => {
      const a = openDatabase(TEST_SERVER_URLS[dialect]);
      try {
        if (dialect === 'postgres') await a.knex.raw('DROP SCHEMA IF EXISTS ?? CASCADE', [name]);
        else await a.knex.raw('DROP DATABASE IF EXISTS ??', [name]);
      } finally {
        await a.close();
      }
    };
  }
  const database = openDatabase(url, opts);
  try {
    if (opts.migrate !== false) await migrateLatest(database);
  } catch (err) {
    await database.close();
    await cleanup();
    throw err;
  }
  return {
    dialect,
    url,
    database,
    api: createDbApi(database),
    drop: async () => {
      await database.close();
      await cleanup();
    },
  };
}
