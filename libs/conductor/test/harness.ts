// The conductor as the suites use it: a private in-memory SQLite database (migrated by
// libs/db), an in-process transport on a private bus, the conductor server on it, and a
// compute-side context whose indirection API is a real ConductorClient. `admin` runs objects
// locally against the same database, to arrange rows and to check what landed.
import { ConductorClient, type ConductorClientOptions } from '@novakit/conductor-api';
import type { DbApi, Dialect } from '@novakit/db';
import { createTestDatabase, type TestDatabase } from '@novakit/db/testing';
import { RequestContext } from '@novakit/objects';
import { createTransport, type Transport } from '@novakit/rpc';
import type { ObjectRegistry } from '@novakit/versioned-objects';
import { pino } from 'pino';
import { randomUUID } from 'node:crypto';
import { createConductorServer, type ComputeRpc, type ConductorServer, type SchedulerOptions } from '../src/index.js';

export const quietLogger = pino({ level: process.env.NOVAKIT_LOG_LEVEL ?? 'silent' });

export interface ConductorEnv {
  readonly tdb: TestDatabase;
  readonly db: DbApi;
  readonly transport: Transport;
  readonly server: ConductorServer;
  readonly client: ConductorClient;
  /** A compute's context: remotable methods go to the conductor. */
  readonly ctx: RequestContext;
  /** The conductor's view: objects run locally against the database. */
  readonly admin: RequestContext;
  close(): Promise<void>;
}

export interface EnvOptions {
  /** Default SQLite (in memory). */
  readonly dialect?: Dialect;
  readonly registry?: ObjectRegistry;
  readonly computeRpc?: ComputeRpc;
  readonly scheduler?: Partial<SchedulerOptions>;
  readonly client?: ConductorClientOptions;
  /** Wrap the DB API the server uses (delays, failures). */
  readonly wrapDb?: (db: DbApi) => DbApi;
}

export async function conductorEnv(options: EnvOptions = {}): Promise<ConductorEnv> {
  const dialect = options.dialect ?? 'sqlite';
  const tdb = await createTestDatabase(dialect, dialect === 'sqlite' ? { memory: true } : {});
  const transport = await createTransport(`memory://conductor-${randomUUID()}`, { logger: quietLogger });
  const server = createConductorServer({
    transport,
    db: options.wrapDb ? options.wrapDb(tdb.api) : tdb.api,
    host: 'conductor-test',
    logger: quietLogger,
    ...(options.registry ? { registry: options.registry } : {}),
    ...(options.computeRpc ? { computeRpc: options.computeRpc } : {}),
    ...(options.scheduler ? { scheduler: options.scheduler } : {}),
  });
  await server.start();
  const client = new ConductorClient(transport, { timeoutMs: 10_000, ...options.client });
  const ctx = RequestContext.withIndirection(RequestContext.create({ user_id: 'user-1', project_id: 'project-1' }), client);
  return {
    tdb,
    db: tdb.api,
    transport,
    server,
    client,
    ctx,
    admin: RequestContext.admin({ db: tdb.api }),
    async close() {
      await server.stop({ graceMs: 2000 });
      await transport.close();
      await tdb.drop();
    },
  };
}

export const uuid = (): string => randomUUID();

/** Every row of every table, for "nothing changed" checks. */
export async function snapshotDatabase(tdb: TestDatabase): Promise<string> {
  const knex = tdb.database.knex;
  const tables = (await knex.raw("select name from sqlite_master where type = 'table' order by name")) as { name: string }[];
  const out: Record<string, unknown[]> = {};
  for (const { name } of tables) out[name] = await knex.raw(`select * from "${name}" order by rowid`);
  return JSON.stringify(out);
}
