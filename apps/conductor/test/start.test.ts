// startConductor in-process (the embedded mode): Service record and heartbeats, schema check,
// graceful stop with calls in flight, and logs carrying each call's request id.
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { CONDUCTOR_BINARY, ConductorClient } from '@novakit/conductor-api';
import type { DbApi } from '@novakit/db';
import { createTestDatabase, type TestDatabase } from '@novakit/db/testing';
import { Instance, RequestContext, Service, SERVICE_VERSION } from '@novakit/objects';
import { createTransport, type Transport } from '@novakit/rpc';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startConductor, type RunningConductor } from '../src/index.js';

const quiet = pino({ level: 'silent' });
let tdb: TestDatabase;
let transport: Transport;
const running: RunningConductor[] = [];

beforeEach(async () => {
  tdb = await createTestDatabase('sqlite');
  transport = await createTransport(`memory://start-${randomUUID()}`, { logger: quiet });
});
afterEach(async () => {
  for (const c of running.splice(0)) await c.stop({ graceMs: 1000 });
  await transport.close();
  await tdb.drop();
});

async function start(opts: Partial<Parameters<typeof startConductor>[0]> = {}): Promise<RunningConductor> {
  const c = await startConductor({ transport, db: tdb.api, host: 'ctl-1', logger: quiet, reportIntervalMs: 50, ...opts });
  running.push(c);
  return c;
}

const admin = () => RequestContext.admin({ db: tdb.api });

describe('startConductor', () => {
  it('registers a nova-conductor Service with this code’s version and heartbeats it', async () => {
    const c = await start();
    expect(c.service).toMatchObject({ host: 'ctl-1', binary: CONDUCTOR_BINARY, topic: 'conductor', version: SERVICE_VERSION });
    const first = (await Service.getByHostAndBinary(admin(), 'ctl-1', CONDUCTOR_BINARY)).report_count;
    await new Promise((r) => setTimeout(r, 300));
    const later = await Service.getByHostAndBinary(admin(), 'ctl-1', CONDUCTOR_BINARY);
    expect(later.report_count).toBeGreaterThan(first);
    expect(later.last_seen_up).toBeInstanceOf(Date);
    expect(await Service.getMinimumVersion(admin(), CONDUCTOR_BINARY)).toBe(SERVICE_VERSION);
  });

  it('workers of one host share the record', async () => {
    const a = await start();
    const b = await start();
    expect(b.service.id).toBe(a.service.id);
    expect((await Service.getMinimumVersion(admin(), CONDUCTOR_BINARY))).toBe(SERVICE_VERSION);
  });

  it('refuses a database whose schema is older than the code, saying how to migrate', async () => {
    const old = await createTestDatabase('sqlite', { migrate: false });
    try {
      const err = await startConductor({ transport, db: old.api, host: 'ctl-1', logger: quiet }).catch((e: unknown) => e);
      expect((err as Error).name).toBe('DBSchemaOutdated');
      expect((err as Error).message).toMatch(/schema is at version 0 but this code needs version \d+; run: npx novakit-db migrate --url/);
    } finally {
      await old.drop();
    }
  });

  it('stop() finishes the calls in flight and answers them', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = new Proxy(tdb.api, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver);
        if (prop !== 'instance_get_by_uuid') return v;
        return async (...args: unknown[]) => {
          await gate;
          return (v as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    }) as DbApi;
    const c = await startConductor({ transport, db: slow, host: 'ctl-1', logger: quiet, checkSchema: false });
    const inst = new Instance({ uuid: randomUUID(), host: 'h' } as never, admin());
    await inst.create();
    const client = new ConductorClient(transport, { timeoutMs: 10_000 });
    const call = client.instance_get_by_uuid(RequestContext.create(), inst.uuid);
    await new Promise((r) => setTimeout(r, 50));
    let stopped = false;
    const stopping = c.stop({ graceMs: 10_000 }).then(() => (stopped = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(stopped).toBe(false);
    release();
    expect((await call).uuid).toBe(inst.uuid);
    await stopping;
    expect(stopped).toBe(true);
  });

  it('logs every call with its request id (debug)', async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        for (const line of String(chunk).split('\n')) if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    await start({ logger: pino({ level: 'debug' }, sink) });
    const client = new ConductorClient(transport, { timeoutMs: 10_000 });
    const ctx = RequestContext.withIndirection(RequestContext.create({ request_id: 'req-11111111-2222-3333-4444-555555555555' }), client);
    await Instance.getByUuid(ctx, randomUUID()).catch(() => undefined);
    await client.provider_fw_rule_get_all(RequestContext.create({ request_id: 'req-aaaaaaaa-2222-3333-4444-555555555555' }));
    const served = lines.filter((l) => l.msg === 'served');
    expect(served).toContainEqual(expect.objectContaining({ request_id: 'req-11111111-2222-3333-4444-555555555555', method: 'object_class_action_versions', outcome: 'InstanceNotFound' }));
    expect(served).toContainEqual(expect.objectContaining({ request_id: 'req-aaaaaaaa-2222-3333-4444-555555555555', method: 'provider_fw_rule_get_all', outcome: 'ok' }));
  });
});
