// The one call a service makes at start: open the database of a URL, check (or, in
// embedded mode and tests, apply) the schema, and get a DbApi.
import { openDatabase, type OpenOptions } from './connection/open.js';
import { createDbApi } from './create-db-api.js';
import type { DbApi } from './db-api.js';
import { assertSchemaCurrent, migrateLatest } from './migrate.js';

export interface OpenDbApiOptions extends OpenOptions {
  /**
   * - `'check'` (default): refuse an older schema (DBSchemaOutdated says what to run);
   * - `'migrate'`: migrate to the newest schema first (embedded `novakit up`, tests);
   * - `'skip'`: no check (the migration command itself).
   */
  schema?: 'check' | 'migrate' | 'skip';
}

export async function openDbApi(url: string, opts: OpenDbApiOptions = {}): Promise<DbApi> {
  const database = openDatabase(url, opts);
  try {
    const mode = opts.schema ?? 'check';
    if (mode === 'migrate') await migrateLatest(database);
    else if (mode === 'check') await assertSchemaCurrent(database);
  } catch (err) {
    await database.close();
    throw err;
  }
  return createDbApi(database);
}
