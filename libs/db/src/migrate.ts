// Schema version reporting, migrating up and down, and the start-up check services run.
import type { Database } from './connection/open.js';
import { DBSchemaOutdated } from './errors.js';
import { MIGRATIONS, MIGRATOR_CONFIG, SCHEMA_VERSION, versionOf } from './schema/index.js';

export interface SchemaStatus {
  /** Version of the last applied migration (0 for an empty database). */
  current: number;
  /** Version this code expects. */
  target: number;
  applied: string[];
  pending: string[];
}

export async function schemaStatus(db: Database): Promise<SchemaStatus> {
  const [done, pending] = (await db.knex.migrate.list(MIGRATOR_CONFIG)) as [{ name: string }[], { name: string }[] | string[]];
  const applied = done.map((m) => (typeof m === 'string' ? m : m.name));
  const last = applied.length ? Math.max(...applied.map(versionOf)) : 0;
  return {
    current: last,
    target: SCHEMA_VERSION,
    applied,
    pending: pending.map((m) => (typeof m === 'string' ? m : m.name)),
  };
}

/**
 * Moves the schema to `target` (default: the newest this code knows), one migration
 * at a time, up or down. Returns the names it ran, in order.
 */
export async function migrateTo(db: Database, target: number = SCHEMA_VERSION): Promise<string[]> {
  if (!Number.isInteger(target) || target < 0 || target > SCHEMA_VERSION) {
    throw new RangeError(`schema version must be between 0 and ${SCHEMA_VERSION}, got ${target}`);
  }
  const ran: string[] = [];
  for (;;) {
    const { current } = await schemaStatus(db);
    if (current === target) return ran;
    if (current < target) {
      const [, names] = (await db.knex.migrate.up(MIGRATOR_CONFIG)) as [number, string[]];
      ran.push(...names);
    } else {
      const [, names] = (await db.knex.migrate.down(MIGRATOR_CONFIG)) as [number, string[]];
      ran.push(...names);
    }
  }
}

/** Migrates an empty or older database to the newest schema. */
export function migrateLatest(db: Database): Promise<string[]> {
  return migrateTo(db, SCHEMA_VERSION);
}

/** The command an operator runs to upgrade the schema, for messages. */
export function migrateCommand(url: string): string {
  return `npx novakit-db migrate --url '${url}'   (or: npx nx run db:migrate -- --url '${url}')`;
}

/**
 * Services call this at start: it refuses a database whose schema is older than the
 * code (DBSchemaOutdated, saying what to run). A newer schema is accepted, since
 * migrations only add during a rolling upgrade; the status is returned for logging.
 */
export async function assertSchemaCurrent(db: Database): Promise<SchemaStatus> {
  const status = await schemaStatus(db);
  if (status.current < status.target) {
    throw new DBSchemaOutdated({ current: status.current, target: status.target, command: migrateCommand(db.url) });
  }
  return status;
}

export { MIGRATIONS, SCHEMA_VERSION };
