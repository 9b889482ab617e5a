// One connection URL picks the backend. Parsing is separate from opening so that the
// CLI, the services and the tests agree on the formats (documented in index.ts).
import { InvalidDatabaseUrl } from '../errors.js';

export type Dialect = 'sqlite' | 'postgres' | 'mysql';

export type ParsedDbUrl =
  | { dialect: 'sqlite'; filename: string; busyTimeoutMs: number; synchronous: 'full' | 'normal' }
  | { dialect: 'postgres'; host: string; port: number; user: string; password?: string; database: string; schema?: string }
  | { dialect: 'mysql'; host: string; port: number; user: string; password?: string; database: string };

const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/**
 * Parses `sqlite:///abs/path.db`, `sqlite:relative/path.db`, `sqlite::memory:`,
 * `postgres://user[:pw]@host[:port]/db[?schema=name]` (also `postgresql://`) and
 * `mysql://user[:pw]@host[:port]/db` (also `mariadb://`).
 * SQLite takes `?busy_timeout=<ms>` and `?synchronous=full|normal`.
 */
export function parseDbUrl(url: string): ParsedDbUrl {
  const bad = (reason: string) => new InvalidDatabaseUrl({ url: redactUrl(url), reason });
  if (url.startsWith('sqlite:')) return parseSqlite(url.slice('sqlite:'.length), bad);
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw bad('not a URL');
  }
  const proto = u.protocol.replace(/:$/, '');
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!database) throw bad('no database name in the path');
  const password = u.password ? decodeURIComponent(u.password) : undefined;
  const host = u.hostname || '127.0.0.1';
  if (proto === 'postgres' || proto === 'postgresql') {
    const schema = u.searchParams.get('schema') ?? undefined;
    return { dialect: 'postgres', host, port: Number(u.port || 5432), user: decodeURIComponent(u.username || 'postgres'), password, database, schema };
  }
  if (proto === 'mysql' || proto === 'mariadb') {
    return { dialect: 'mysql', host, port: Number(u.port || 3306), user: decodeURIComponent(u.username || 'root'), password, database };
  }
  throw bad(`unknown scheme ${proto}: use sqlite:, postgres:// or mysql://`);
}

function parseSqlite(rest: string, bad: (reason: string) => Error): ParsedDbUrl {
  const q = rest.indexOf('?');
  const params = new URLSearchParams(q >= 0 ? rest.slice(q + 1) : '');
  let path = q >= 0 ? rest.slice(0, q) : rest;
  // sqlite:///abs → /abs and sqlite://rel → rel, like SQLAlchemy's URLs.
  if (path.startsWith('//')) path = path.slice(2);
  if (path === '' || path === ':memory:') path = ':memory:';
  const busy = params.get('busy_timeout');
  const busyTimeoutMs = busy === null ? DEFAULT_BUSY_TIMEOUT_MS : Number(busy);
  if (!Number.isInteger(busyTimeoutMs) || busyTimeoutMs < 0) throw bad('busy_timeout must be a non-negative integer (ms)');
  const sync = params.get('synchronous') ?? 'full';
  if (sync !== 'full' && sync !== 'normal') throw bad('synchronous must be full or normal');
  return { dialect: 'sqlite', filename: path, busyTimeoutMs, synchronous: sync };
}

/** The URL with its password replaced, for messages and logs. */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]*:)[^@/]*@/, '$1***@');
}
