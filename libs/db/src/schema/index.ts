// The ordered list of schema migrations. The schema version is the number of the last
// applied migration; SCHEMA_VERSION is what this code expects.
import type { Knex } from 'knex';
import { m001Instances } from './001_instances.js';
import { m002BlockDevices } from './002_block_devices.js';
import { m003Security } from './003_security.js';
import { m004Flavors } from './004_flavors.js';
import { m005Compute } from './005_compute.js';
import { m006Misc } from './006_misc.js';
import type { Migration } from './helpers.js';

export const MIGRATIONS: readonly Migration[] = [m001Instances, m002BlockDevices, m003Security, m004Flavors, m005Compute, m006Misc];

export function versionOf(name: string): number {
  return Number.parseInt(name.slice(0, 3), 10);
}

/** The schema version this code needs. */
export const SCHEMA_VERSION = versionOf(MIGRATIONS[MIGRATIONS.length - 1].name);

// In-code source: no directory scan, so it works the same under tsx, vitest and a bundle.
const source: Knex.MigrationSource<Migration> = {
  getMigrations: async () => [...MIGRATIONS],
  getMigrationName: (m) => m.name,
  getMigration: async (m) => ({ up: (k: Knex) => m.up(k), down: (k: Knex) => m.down(k) }),
};

export const MIGRATOR_CONFIG: Knex.MigratorConfig = { migrationSource: source, tableName: 'schema_migrations' };
