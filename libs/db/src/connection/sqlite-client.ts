// knex starts every SQLite transaction with a plain (deferred) BEGIN. A deferred
// transaction that reads first and writes later fails at once with SQLITE_BUSY when
// another process committed in between (the busy timeout does not apply to that
// upgrade). Our transactions are write transactions, so they start with
// BEGIN IMMEDIATE: the write lock is taken up front and waits out the busy timeout.
// knex has no option for this; we subclass its better-sqlite3 client (knex is pinned).
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
}

export const SqliteClient = ImmediateSqliteClient as unknown as typeof Knex.Client;
