// `novakit-db`: report the schema version of a database and move it up or down.
// Kept apart from its process entry (cli-main.ts) so tests call it in-process.
import { openDatabase } from './connection/open.js';
import { redactUrl } from './connection/url.js';
import { isDbError } from './errors.js';
import { migrateTo, schemaStatus, SCHEMA_VERSION } from './migrate.js';

export const USAGE = `usage: novakit-db <status|migrate|downgrade> --url <db-url> [--to <version>] [--json]

  status      print the current and target schema versions and pending migrations
  migrate     migrate up to --to (default: ${SCHEMA_VERSION}, the version this code needs)
  downgrade   migrate down to --to (required; 0 drops every table)

  --url defaults to $NOVAKIT_DB_URL. URL forms: sqlite:///abs/path.db, sqlite::memory:,
  postgres://user@host:5432/db[?schema=s], mysql://user@host:3306/db`;

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  env?: Record<string, string | undefined>;
}

interface Args {
  command?: string;
  url?: string;
  to?: number;
  json: boolean;
}

function parseArgs(argv: string[]): Args | string {
  const args: Args = { json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => (a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i]);
    if (a === '--json') args.json = true;
    else if (a === '--url' || a.startsWith('--url=')) args.url = value();
    else if (a === '--to' || a.startsWith('--to=')) {
      const v = Number(value());
      if (!Number.isInteger(v) || v < 0) return `--to must be a schema version (0..${SCHEMA_VERSION})`;
      args.to = v;
    } else if (a === '-h' || a === '--help') return '';
    else if (!a.startsWith('-') && !args.command) args.command = a;
    else return `unexpected argument: ${a}`;
  }
  return args;
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    if (args) io.err(args);
    io.err(USAGE);
    return args ? 2 : 0;
  }
  const url = args.url ?? (io.env ?? process.env).NOVAKIT_DB_URL;
  if (!args.command || !['status', 'migrate', 'downgrade'].includes(args.command) || !url) {
    io.err(!url ? 'no database: pass --url or set NOVAKIT_DB_URL' : `unknown command: ${args.command ?? '(none)'}`);
    io.err(USAGE);
    return 2;
  }
  const db = openDatabase(url);
  try {
    const before = await schemaStatus(db);
    let ran: string[] = [];
    if (args.command === 'migrate') {
      const target = args.to ?? SCHEMA_VERSION;
      if (target < before.current) throw new Error(`schema is at ${before.current}, above ${target}: use downgrade --to ${target}`);
      ran = await migrateTo(db, target);
    } else if (args.command === 'downgrade') {
      if (args.to === undefined) throw new Error('downgrade needs --to <version>');
      if (args.to > before.current) throw new Error(`schema is at ${before.current}, below ${args.to}: use migrate --to ${args.to}`);
      ran = await migrateTo(db, args.to);
    }
    const after = args.command === 'status' ? before : await schemaStatus(db);
    if (args.json) {
      io.out(JSON.stringify({ url: redactUrl(url), from: before.current, current: after.current, target: after.target, ran, pending: after.pending }));
    } else {
      io.out(`database ${redactUrl(url)}`);
      if (args.command !== 'status') io.out(`ran: ${ran.length ? ran.join(', ') : '(nothing to do)'}`);
      io.out(`schema version: current ${after.current}, this code needs ${after.target}`);
      if (after.pending.length) io.out(`pending: ${after.pending.join(', ')}`);
      if (after.current < after.target && args.command === 'status') io.out(`run: novakit-db migrate --url <url>`);
    }
    return 0;
  } catch (err) {
    io.err(`novakit-db ${args.command}: ${isDbError(err) ? `${err.name}: ${err.message}` : (err as Error).message}`);
    return 1;
  } finally {
    await db.close();
  }
}
