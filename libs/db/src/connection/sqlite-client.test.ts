import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openDatabase } from './open.js';
import { cacheStatements } from './sqlite-client.js';

function countingConnection() {
  const prepared: string[] = [];
  const conn = {
    prepare(sql: string) {
      prepared.push(sql);
      return { sql, n: prepared.length };
    },
  };
  return { conn, prepared };
}

describe('cacheStatements', () => {
  it('prepares a DML statement once and hands out the same statement again', () => {
    const { conn, prepared } = countingConnection();
    cacheStatements(conn);
    const a = conn.prepare('select * from t where id = ?');
    const b = conn.prepare('select * from t where id = ?');
    const c = conn.prepare('update t set x = ? where id = ?');
    expect(b).toBe(a);
    expect(c).not.toBe(a);
    expect(prepared).toEqual(['select * from t where id = ?', 'update t set x = ? where id = ?']);
  });

  it('never caches DDL or pragmas', () => {
    const { conn, prepared } = countingConnection();
    cacheStatements(conn);
    for (const sql of ['create table t (id integer)', 'create table t (id integer)', 'PRAGMA table_info(t)', 'PRAGMA table_info(t)']) conn.prepare(sql);
    expect(prepared).toHaveLength(4);
  });

  it('evicts the least recently used statement when full', () => {
    const { conn, prepared } = countingConnection();
    cacheStatements(conn, 2);
    conn.prepare('select 1');
    conn.prepare('select 2');
    conn.prepare('select 1'); // now the most recent
    conn.prepare('select 3'); // evicts select 2
    conn.prepare('select 1');
    conn.prepare('select 2');
    expect(prepared).toEqual(['select 1', 'select 2', 'select 3', 'select 2']);
  });

  it('a cached statement sees a column added after it was prepared', () => {
    const db = cacheStatements(new Database(':memory:'));
    db.exec('create table t (id integer primary key)');
    db.prepare('insert into t (id) values (?)').run(1);
    expect(db.prepare('select * from t').all()).toEqual([{ id: 1 }]);
    db.exec("alter table t add column name text default 'x'");
    expect(db.prepare('select * from t').all()).toEqual([{ id: 1, name: 'x' }]);
    db.close();
  });
});

describe('SQLite through knex with cached statements', () => {
  it('runs the same queries, transactions and rollbacks as before', async () => {
    const database = openDatabase('sqlite://:memory:');
    const { knex } = database;
    try {
      await knex.schema.createTable('t', (t) => {
        t.integer('id').primary();
        t.string('name');
      });
      for (let i = 0; i < 3; i++) await knex('t').insert({ id: i, name: `n${i}` });
      await expect(knex.transaction(async (trx) => {
        await trx('t').where({ id: 1 }).update({ name: 'changed' });
        throw new Error('roll back');
      })).rejects.toThrow('roll back');
      await knex.transaction(async (trx) => trx('t').where({ id: 2 }).update({ name: 'kept' }));
      expect(await knex('t').select('id', 'name').orderBy('id')).toEqual([
        { id: 0, name: 'n0' },
        { id: 1, name: 'n1' },
        { id: 2, name: 'kept' },
      ]);
    } finally {
      await database.close();
    }
  });
});
