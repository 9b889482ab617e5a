/**
 * Broker-side disconnects during a stream of calls and casts (`rabbitmqctl
 * close_all_connections`, twice). Run in a throw-away vhost so that only this test's
 * connections are closed, not those of other suites running on the same broker.
 * Expected: no process exit, every call settles within its timeout, every confirmed cast
 * is delivered, and the stream works again after each reconnect.
 */
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { createRequestContext, createTransport, defineEndpoint, RpcClient, RpcServer, type Transport } from '../src/index.js';
import { probeRabbitMq, RABBIT_URL, servicesRequired, uniqueName } from '../src/testing.js';
import { eventually, quietLogger, sleep } from './harness.js';

const run = promisify(execFile);
const CALL_TIMEOUT_MS = 3000;

async function unavailable(): Promise<string | undefined> {
  const rabbit = await probeRabbitMq();
  if (rabbit) return rabbit;
  const ctl = spawnSync('rabbitmqctl', ['--version'], { encoding: 'utf8' });
  if (ctl.error || ctl.status !== 0) return `rabbitmqctl not usable: ${ctl.error?.message ?? ctl.stderr}`;
  return undefined;
}

const reason = await unavailable();
if (reason && servicesRequired()) throw new Error(`fault test needs RabbitMQ and rabbitmqctl (NOVAKIT_REQUIRE_SERVICES=1): ${reason}`);
if (reason) console.log(`[rpc] skipping the AMQP fault test: ${reason}`);

describe.skipIf(reason !== undefined)('AMQP fault: connections closed by the broker', () => {
  const vhost = uniqueName('novakit_fault');
  const url = `${RABBIT_URL.replace(/\/[^/]*$/, '')}/${encodeURIComponent(vhost)}`;
  const transports: Transport[] = [];

  afterAll(async () => {
    await Promise.all(transports.map((t) => t.close()));
    await run('rabbitmqctl', ['delete_vhost', vhost]).catch(() => undefined);
  });

  it('keeps every promise: calls settle in time, confirmed casts arrive, traffic resumes', async () => {
    await run('rabbitmqctl', ['add_vhost', vhost]);
    await run('rabbitmqctl', ['set_permissions', '-p', vhost, 'guest', '.*', '.*', '.*']);
    const options = { logger: quietLogger, reconnect: { initialDelayMs: 50, maxDelayMs: 500 } };
    const serverTransport = await createTransport(url, options);
    const clientTransport = await createTransport(url, options);
    transports.push(serverTransport, clientTransport);

    const received = new Set<number>();
    const server = new RpcServer(serverTransport, { topic: 'fault', server: 'h1' }, [
      defineEndpoint({ methods: { echo: (_c, { i }) => i, record: (_c, { i }) => void received.add(Number(i)) } }),
    ], { logger: quietLogger });
    await server.start();
    const client = new RpcClient(clientTransport, { topic: 'fault' }, { timeoutMs: CALL_TIMEOUT_MS });
    const ctx = createRequestContext();

    let streaming = true;
    const calls: { ok: boolean; ms: number; at: number }[] = [];
    const confirmed: number[] = [];
    const castFailures: string[] = [];
    const callLoop = (async () => {
      for (let i = 0; streaming; i++) {
        const t0 = Date.now();
        const ok = await client.call(ctx, 'echo', { i }).then((r) => r === i, () => false);
        calls.push({ ok, ms: Date.now() - t0, at: t0 });
      }
    })();
    const castLoop = (async () => {
      for (let i = 0; streaming; i++) {
        await client.cast(ctx, 'record', { i }).then(() => confirmed.push(i), (e: Error) => castFailures.push(e.message));
      }
    })();

    await sleep(1000);
    const firstFault = Date.now();
    await run('rabbitmqctl', ['close_all_connections', '--vhost', vhost, 'novakit fault test 1']);
    await sleep(1500);
    await run('rabbitmqctl', ['close_all_connections', '--vhost', vhost, 'novakit fault test 2']);
    const lastFault = Date.now();
    // Long enough for a call lost in the fault to time out and for fresh ones to succeed.
    await sleep(CALL_TIMEOUT_MS + 2000);
    streaming = false;
    await Promise.all([callLoop, castLoop]);

    // Every call settled, none later than its timeout (plus scheduling slack on a busy machine).
    expect(calls.length).toBeGreaterThan(10);
    for (const c of calls) expect(c.ms).toBeLessThan(CALL_TIMEOUT_MS + 1500);
    // Traffic flowed before the faults and again after the last one.
    expect(calls.some((c) => c.ok && c.at < firstFault)).toBe(true);
    expect(calls.some((c) => c.ok && c.at > lastFault)).toBe(true);
    // Every cast the broker confirmed reaches the server (redeliveries are deduplicated).
    expect(confirmed.length).toBeGreaterThan(10);
    await eventually(() => confirmed.every((i) => received.has(i)), 15_000).catch(() => undefined);
    expect(confirmed.filter((i) => !received.has(i))).toEqual([]);
    await server.stop();
    console.log(`[rpc] fault test: ${calls.length} calls (${calls.filter((c) => !c.ok).length} failed), ${confirmed.length} confirmed casts, ${castFailures.length} cast failures`);
  }, 60_000);
});
