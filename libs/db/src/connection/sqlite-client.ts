// knex starts every SQLite transaction with a plain (deferred) BEGIN. A deferred
// transaction that reads first and writes later fails at once with SQLITE_BUSY when
// another process committed in between (the busy timeout does not apply to that
// upgrade). Our transactions are write transactions, so they start with
// BEGIN IMMEDIATE: the write lock is taken up front and waits out the busy timeout.
// knex has no option for this; we subclass its better-sqlite3 client (knex is pinned).
//
// knex also prepares every statement afresh, and compiling SQL is most of what a simple
// query costs (an UPDATE ... RETURNING * of an instance: 14% of the conductor's CPU per
// object_action save). The client keeps prepared DML statements per connection, keyed by
// their SQL text. Statements run synchronously (all/run, never iterate), so one cached
// statement is never in use twice at once; DDL is not cached.
import { createRequire } from 'node:module';
import type { Knex } from 'knex';

const require = createRequire(import.meta.url);

type Ctor = new (...args: any[]) => any;
const BetterSqliteClient = require('knex/lib/dialects/better-sqlite3/index.js') as Ctor;
const SqliteTransaction = require('knex/lib/dialects/sqlite3/execution/sqlite-transaction.js') as Ctor;

class ImmediateTransaction extends SqliteTransaction {
  begin(conn: unknown): unknown {
    return this.query(conn, 'BEGIN IMMEDIATE;');
  }
}

class ImmediateSqliteClient extends BetterSqliteClient {
  transaction(...args: unknown[]): unknown {
    return new ImmediateTransaction(this, ...args);
  }

  async acquireRawConnection(): Promise<unknown> {
    return cacheStatements((await super.acquireRawConnection()) as PreparingConnection);
  }
}

interface PreparingConnection {
  prepare(sql: string): unknown;
}

const STATEMENT_CACHE_SIZE = 256;
const CACHEABLE = /^\s*(select|insert|update|delete|with|begin|commit|rollback|savepoint|release)\b/i;

/** Wraps `prepare` with a least-recently-used cache of DML statements. */
export function cacheStatements<C extends PreparingConnection>(conn: C, size = STATEMENT_CACHE_SIZE): C {
  const prepare = conn.prepare.bind(conn);
  const cache = new Map<string, unknown>();
  conn.prepare = (sql: string) => {
    let stmt = cache.get(sql);
    if (stmt !== undefined) {
      cache.delete(sql);
    } else {
      stmt = prepare(sql);
      if (!CACHEABLE.test(sql)) return stmt;
      if (cache.size >= size) cache.delete(cache.keys().next().value!);
    }
    cache.set(sql, stmt);
    return stmt;
  };
  return conn;
}

export const SqliteClient = ImmediateSqliteClient as unknown as typeof Knex.Client;
