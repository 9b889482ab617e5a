import { describe, expect, it } from 'vitest';
import { InvalidDatabaseUrl } from '../errors.js';
import { parseDbUrl, redactUrl } from './url.js';

describe('parseDbUrl', () => {
  it('reads the SQLite forms', () => {
    expect(parseDbUrl('sqlite:///var/lib/nova.db')).toEqual({ dialect: 'sqlite', filename: '/var/lib/nova.db', busyTimeoutMs: 5000, synchronous: 'full' });
    expect(parseDbUrl('sqlite:data/nova.db')).toMatchObject({ filename: 'data/nova.db' });
    expect(parseDbUrl('sqlite::memory:')).toMatchObject({ filename: ':memory:' });
    expect(parseDbUrl('sqlite://:memory:')).toMatchObject({ filename: ':memory:' });
    expect(parseDbUrl('sqlite:///x.db?busy_timeout=100&synchronous=normal')).toMatchObject({ filename: '/x.db', busyTimeoutMs: 100, synchronous: 'normal' });
  });

  it('reads server URLs with defaults', () => {
    expect(parseDbUrl('postgres://postgres@127.0.0.1/test?schema=s1')).toEqual({ dialect: 'postgres', host: '127.0.0.1', port: 5432, user: 'postgres', password: undefined, database: 'test', schema: 's1' });
    expect(parseDbUrl('postgresql://u:p%40ss@db:6543/nova')).toMatchObject({ port: 6543, user: 'u', password: 'p@ss', database: 'nova' });
    expect(parseDbUrl('mysql://root@127.0.0.1:3306/test')).toMatchObject({ dialect: 'mysql', port: 3306, user: 'root', database: 'test' });
    expect(parseDbUrl('mariadb://n:pw@h/nova')).toMatchObject({ dialect: 'mysql', host: 'h', password: 'pw' });
  });

  it('refuses what it cannot use, without leaking the password', () => {
    for (const bad of ['oracle://x/y', 'postgres://u:secret@h/', 'sqlite:x.db?busy_timeout=-1', 'sqlite:x.db?synchronous=off', 'nonsense']) {
      expect(() => parseDbUrl(bad)).toThrow(InvalidDatabaseUrl);
    }
    try {
      parseDbUrl('postgres://u:secret@h/');
    } catch (err) {
      expect((err as Error).message).not.toContain('secret');
    }
    expect(redactUrl('mysql://root:hunter2@h:3306/db')).toBe('mysql://root:***@h:3306/db');
  });
});
