// The standalone service over RabbitMQ, as an operator runs it: the `conductor` bin with
// `workers: 2` (two worker processes on one topic) and a SQLite file database, and a client
// in this process making 1,000 calls, 8 at a time. Which worker served which call is read
// from the workers' logs (every call is logged with its request id at debug). Midway one
// worker is killed (SIGKILL): calls it had taken time out with ConductorTimeout, every other
// call is answered. Then SIGTERM stops the service cleanly. Skipped without RabbitMQ, failed
// without it under NOVAKIT_REQUIRE_SERVICES=1.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { ConductorClient, ConductorTimeout } from '@novakit/conductor-api';
import { createTestDatabase, type TestDatabase } from '@novakit/db/testing';
import { Instance, RequestContext } from '@novakit/objects';
import { createTransport, type Transport } from '@novakit/rpc';
import { deleteBrokerObjects, probeRabbitMq, RABBIT_URL, servicesRequired, uniqueName } from '@novakit/rpc/testing';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CALLS = 1000;
const CONCURRENCY = 8;
const KILL_AT = 400;
const BIN = fileURLToPath(new URL('../bin/conductor.js', import.meta.url));

const unavailable = await probeRabbitMq();
if (unavailable && servicesRequired()) throw new Error(`RabbitMQ required (NOVAKIT_REQUIRE_SERVICES=1) but unavailable: ${unavailable}`);
if (unavailable) console.log(`[conductor] skipping the multi-process RabbitMQ test: ${unavailable}`);

type Line = Record<string, unknown>;

class Service {
  readonly lines: Line[] = [];
  private readonly waiters: { test: (l: Line) => boolean; resolve: (l: Line) => void }[] = [];
  readonly exited: Promise<number | null>;

  constructor(readonly proc: ChildProcess) {
    let buffer = '';
    proc.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const text = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (!text.startsWith('{')) continue;
        const line = JSON.parse(text) as Line;
        this.lines.push(line);
        for (const w of [...this.waiters]) {
          if (!w.test(line)) continue;
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(line);
        }
      }
    });
    proc.stderr!.on('data', (chunk: Buffer) => process.stderr.write(`[conductor stderr] ${chunk}`));
    this.exited = new Promise((resolve) => proc.on('exit', (code) => resolve(code)));
  }

  waitFor(test: (l: Line) => boolean, timeoutMs = 60_000): Promise<Line> {
    const seen = this.lines.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching log line within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({ test, resolve: (l) => (clearTimeout(timer), resolve(l)) });
    });
  }
}

describe.skipIf(unavailable !== null)('two conductor workers over RabbitMQ', () => {
  const exchange = uniqueName('nk_conductor');
  const topic = uniqueName('conductor');
  let tdb: TestDatabase;
  let service: Service;
  let transport: Transport;
  let client: ConductorClient;

  beforeAll(async () => {
    tdb = await createTestDatabase('sqlite');
    const config = join(tdb.url.replace(/^sqlite:\/\//, '').replace(/\/[^/]*$/, ''), 'conductor.json');
    writeFileSync(
      config,
      JSON.stringify({
        host: 'ctl-mp',
        topic,
        workers: 2,
        database: { url: tdb.url },
        transport: { url: RABBIT_URL, exchange },
        log: { level: 'debug' },
        report_interval_s: 1,
        shutdown_grace_s: 10,
      }),
    );
    service = new Service(spawn(process.execPath, [BIN, '--config', config], { stdio: ['ignore', 'pipe', 'pipe'] }));
    const started = new Set<unknown>();
    await service.waitFor((l) => l.msg === 'conductor started' && started.add(l.pid).size === 2, 90_000);
    transport = await createTransport(RABBIT_URL, { exchange, logger: pino({ level: 'silent' }) });
    client = new ConductorClient(transport, { topic, timeoutMs: 4000 });
  }, 120_000);

  afterAll(async () => {
    await transport?.close();
    if (service && service.proc.exitCode === null) {
      service.proc.kill('SIGKILL');
      await service.exited;
    }
    await deleteBrokerObjects(RABBIT_URL, { queues: [topic, `${topic}.ctl-mp`], exchanges: [exchange, `${topic}_fanout`] }).catch(() => undefined);
    await tdb?.drop();
  }, 60_000);

  it('1,000 calls: all answered by both workers; killing one loses only the calls it had taken', async () => {
    const uuids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const inst = new Instance({ uuid: randomUUID(), host: 'h', vm_state: 'active', task_state: null, progress: 0 } as never, RequestContext.admin({ db: tdb.api }));
      await inst.create();
      uuids.push(inst.uuid);
    }
    const workers = service.lines.filter((l) => l.msg === 'worker forked').map((l) => l.worker_pid as number);
    expect(workers).toHaveLength(2);
    const outcome = new Map<string, { i: number; error?: Error }>();
    let next = 0;
    let killedAt = -1;
    const call = async (i: number) => {
      const requestId = `req-${randomUUID()}`;
      const ctx = RequestContext.create({ request_id: requestId });
      const uuid = uuids[i % uuids.length]!;
      try {
        if (i % 3 === 0) await client.instance_get_by_uuid(ctx, uuid);
        else if (i % 3 === 1) await Instance.getByUuid(RequestContext.withIndirection(ctx, client), uuid);
        else await client.instance_update(ctx, uuid, { progress: i });
        outcome.set(requestId, { i });
      } catch (error) {
        outcome.set(requestId, { i, error: error as Error });
      }
    };
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < CALLS) {
          const i = next++;
          if (i === KILL_AT) {
            killedAt = i;
            process.kill(workers[0]!, 'SIGKILL');
          }
          await call(i);
        }
      }),
    );

    const servedBy = new Map<string, number>();
    for (const l of service.lines) if (l.msg === 'served') servedBy.set(l.request_id as string, l.pid as number);
    const failures = [...outcome.entries()].filter(([, o]) => o.error);
    const count = (pid: number, before: boolean) =>
      [...outcome.entries()].filter(([rid, o]) => servedBy.get(rid) === pid && (before ? o.i < killedAt : o.i > killedAt + CONCURRENCY)).length;

    console.log(
      `[conductor] ${CALLS} calls: worker ${workers[0]} served ${count(workers[0]!, true)} before being killed, ` +
        `worker ${workers[1]} served ${count(workers[1]!, true)} before and ${count(workers[1]!, false)} after; ${failures.length} timed out`,
    );
    expect(outcome.size).toBe(CALLS);
    expect(killedAt).toBe(KILL_AT);
    // Both workers served some before one was killed.
    expect(count(workers[0]!, true)).toBeGreaterThan(0);
    expect(count(workers[1]!, true)).toBeGreaterThan(0);
    // The only failures are calls the killed worker had taken: a clear timeout, at most one per caller in flight.
    for (const [, o] of failures) {
      expect(o.error).toBeInstanceOf(ConductorTimeout);
      expect(o.error!.message).toMatch(/^No conductor answered \w+ on topic conductor_\w+ within 4000 ms/);
    }
    expect(failures.length).toBeLessThanOrEqual(CONCURRENCY);
    // A failed call never came from the survivor; the killed worker may have handled one whose reply died with it.
    for (const [rid] of failures) expect([undefined, workers[0]]).toContain(servedBy.get(rid));
    // Every other call was answered, after the kill by the survivor (or the worker restarted in its slot).
    expect(CALLS - failures.length).toBeGreaterThanOrEqual(CALLS - CONCURRENCY);
    expect(count(workers[1]!, false)).toBeGreaterThan(0);
    expect(count(workers[0]!, false)).toBe(0);
    await service.waitFor((l) => l.msg === 'worker died; restarting' && l.worker_pid === workers[0]);
  }, 180_000);

  it('SIGTERM stops every worker gracefully and the service exits 0', async () => {
    service.proc.kill('SIGTERM');
    expect(await service.exited).toBe(0);
    expect(service.lines.filter((l) => l.msg === 'conductor stopped').length).toBeGreaterThanOrEqual(1);
    // With no conductor left, a call fails with a timeout that says so.
    const quick = new ConductorClient(transport, { topic, timeoutMs: 500 });
    const err = await quick.provider_fw_rule_get_all(RequestContext.create()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConductorTimeout);
    expect((err as Error).message).toMatch(/within 500 ms .*none is running, or the one that took the call stopped/);
  }, 60_000);
});
