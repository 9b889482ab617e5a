// Column helpers shared by the migrations. Migrations are history: once released, a
// change here must not alter what an existing migration creates.
import type { Knex } from 'knex';

export interface Migration {
  readonly name: string;
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/**
 * created_at / updated_at / deleted_at as naive UTC timestamps (no time zone: the DB
 * API writes UTC text on every backend) and Nova's soft delete: `deleted` is 0 for a
 * live row and the row's own id once deleted, so unique keys that include `deleted`
 * let a name be reused after a delete.
 */
export function persistent(t: Knex.CreateTableBuilder): void {
  timestamp(t, 'created_at');
  timestamp(t, 'updated_at');
  timestamp(t, 'deleted_at');
  t.integer('deleted').notNullable().defaultTo(0);
}

export function timestamp(t: Knex.CreateTableBuilder, name: string): Knex.ColumnBuilder {
  return t.datetime(name, { useTz: false });
}

/** Long text: MEDIUMTEXT on MariaDB (TEXT stops at 64 KiB), TEXT elsewhere. */
export function longText(t: Knex.CreateTableBuilder, name: string): Knex.ColumnBuilder {
  return t.text(name, 'mediumtext');
}

/**
 * Creates a table with MariaDB settings pinned: utf8mb4 and a binary collation, so
 * keys compare case-sensitively as on PostgreSQL and SQLite.
 */
export async function createTable(knex: Knex, name: string, build: (t: Knex.CreateTableBuilder) => void): Promise<void> {
  await knex.schema.createTable(name, (t) => {
    if (knex.client.dialect === 'mysql') {
      t.engine('InnoDB');
      t.charset('utf8mb4');
      t.collate('utf8mb4_bin');
    }
    build(t);
  });
}

export async function dropTables(knex: Knex, names: readonly string[]): Promise<void> {
  for (const name of names) await knex.schema.dropTableIfExists(name);
}
