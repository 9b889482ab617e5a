// The two ways every object test runs, as Nova's do: `local` (the context carries the DB
// API: what the conductor does) and `remote` (the context carries a FakeIndirectionApi that
// records each call and sends it through JSON like the wire, to a server side whose
// context is the caller's, decoded by the context codec, plus the DB API). Both use a
// private in-memory SQLite database migrated by libs/db.
import { randomUUID } from 'node:crypto';
import type { DbApi } from '@novakit/db';
import { createTestDatabase, type TestDatabase } from '@novakit/db/testing';
import { FakeIndirectionApi, type RecordedCall } from '@novakit/versioned-objects/testing';
import { afterAll, beforeAll } from 'vitest';
import { Instance, objectRegistry, RequestContext, requestContextCodec, type RequestContextInit } from '../src/index.js';

export type Mode = 'local' | 'remote';
export const MODES: readonly Mode[] = ['local', 'remote'];

export interface Env {
  readonly mode: Mode;
  /** The caller's context: with the DB API (local) or with the fake indirection API (remote). */
  ctx: RequestContext;
  /** Always local: for arranging rows and checking what landed. */
  admin: RequestContext;
  db: DbApi;
  /** Remote calls made so far (always empty locally). */
  calls(): readonly RecordedCall[];
  /** `Object.method` of each call since the last `resetCalls()`. */
  callNames(): string[];
  resetCalls(): void;
  /** A context for the same caller with other request data (same transport). */
  context(init: RequestContextInit): RequestContext;
}

/** Sets up a database for a describe block; the env is filled in beforeAll. */
export function useEnv(mode: Mode, init: RequestContextInit = {}): Env {
  let tdb: TestDatabase;
  let fake: FakeIndirectionApi | null = null;
  const env = { mode } as Env;
  beforeAll(async () => {
    tdb = await createTestDatabase('sqlite', { memory: true });
    const db = tdb.api;
    env.db = db;
    env.admin = RequestContext.admin({ db });
    if (mode === 'remote') {
      fake = new FakeIndirectionApi(objectRegistry, (caller) =>
        RequestContext.withDb(requestContextCodec.deserialize(JSON.parse(JSON.stringify(requestContextCodec.serialize(caller as RequestContext)))), db),
      );
    }
    env.context = (more) => RequestContext.create({ user_id: 'user-1', project_id: 'project-1', ...init, ...more, ...(fake ? { indirection: fake } : { db }) });
    env.ctx = env.context({});
    env.calls = () => fake?.calls ?? [];
    env.callNames = () => (fake?.calls ?? []).map((c) => `${c.objname}.${c.objmethod ?? c.method}`);
    env.resetCalls = () => {
      if (fake) fake.calls.length = 0;
    };
  });
  afterAll(async () => {
    await tdb?.drop();
  });
  return env;
}

export const uuid = (): string => randomUUID();

/** A saved instance with the given values (admin context, so no recorded calls). */
export async function makeInstance(env: Env, values: Partial<Record<string, unknown>> = {}): Promise<Instance> {
  const inst = new Instance({ uuid: uuid(), user_id: 'user-1', project_id: 'project-1', vm_state: 'active', task_state: null, host: 'host-a', node: 'node-a', ...values } as never, env.admin);
  await inst.create();
  return inst;
}
