/**
 * Interop with Debian's python3-oslo.messaging over RabbitMQ: the same scenarios run in
 * all four pairings (Python or novakit client × Python or novakit server) and must give
 * the same results, errors and version refusals.
 */
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createRequestContext,
  createTransport,
  defineEndpoint,
  ErrorRegistry,
  RemoteError,
  RpcClient,
  RpcServer,
  type Transport,
} from '../src/index.js';
import { deleteBrokerObjects, probeRabbitMq, RABBIT_URL, servicesRequired, uniqueName } from '../src/testing.js';
import { quietLogger, sleep } from './harness.js';

const PYTHON = '/usr/bin/python3';
const PEER = fileURLToPath(new URL('./python/oslo_peer.py', import.meta.url));
const PY_URL = RABBIT_URL.replace(/^amqp:/, 'rabbit:');

async function unavailable(): Promise<string | undefined> {
  const rabbit = await probeRabbitMq();
  if (rabbit) return rabbit;
  const py = spawnSync(PYTHON, ['-c', 'import oslo_messaging, oslo_context'], { encoding: 'utf8' });
  if (py.status !== 0) return `${PYTHON} cannot import oslo_messaging: ${py.error?.message ?? py.stderr.trim()}`;
  return undefined;
}

const reason = await unavailable();
if (reason && servicesRequired()) throw new Error(`interop needs RabbitMQ and python3-oslo.messaging (NOVAKIT_REQUIRE_SERVICES=1): ${reason}`);
if (reason) console.log(`[rpc] skipping oslo.messaging interop tests: ${reason}`);

interface Scenario {
  kind: 'call' | 'cast' | 'await_recorded';
  method?: string;
  args?: Record<string, unknown>;
  version?: string;
  namespace?: string;
  fanout?: boolean;
  to_server?: boolean;
  count?: number;
}
type Outcome = { ok: unknown } | { error: string; message?: string };

const SCENARIOS: [Scenario, Outcome][] = [
  [{ kind: 'call', method: 'echo', args: { arg: { x: 1, s: 'ünï', l: [1, null] } } }, { ok: { x: 1, s: 'ünï', l: [1, null] } }],
  [{ kind: 'call', method: 'echo', args: { arg: 'old' }, version: '1.1' }, { ok: 'old' }],
  [{ kind: 'call', method: 'whoami' }, { ok: { request_id: 'req-interop-1', user_id: 'u-7', roles: ['member'], region: 'r1' } }],
  [{ kind: 'call', method: 'build', args: { n: 3 }, namespace: 'compute_task', version: '1.0' }, { ok: 'built 3' }],
  [{ kind: 'call', method: 'echo', args: { arg: 1 }, version: '1.4' }, { error: 'UnsupportedVersion', message: 'Endpoint does not support RPC version 1.4. Attempted method: echo' }],
  [{ kind: 'call', method: 'echo', args: { arg: 1 }, version: '2.0' }, { error: 'UnsupportedVersion', message: 'Endpoint does not support RPC version 2.0. Attempted method: echo' }],
  [{ kind: 'call', method: 'nope' }, { error: 'NoSuchMethod', message: 'Endpoint does not support RPC method nope' }],
  [{ kind: 'call', method: 'build', args: { n: 1 }, namespace: 'other' }, { error: 'UnsupportedVersion', message: 'Endpoint does not support RPC version 1.3. Attempted method: build' }],
  [{ kind: 'call', method: 'boom' }, { error: 'ValueError', message: 'boom from server' }],
  [{ kind: 'call', method: 'not_found', args: { id: 'abc' } }, { error: 'InstanceNotFound', message: 'Instance abc could not be found.' }],
  [{ kind: 'cast', method: 'record', args: { value: 'c1' } }, { ok: null }],
  [{ kind: 'cast', method: 'record', args: { value: 'c2' }, to_server: true }, { ok: null }],
  [{ kind: 'cast', method: 'record', args: { value: 'c3' }, fanout: true }, { ok: null }],
  [{ kind: 'await_recorded', count: 3 }, { ok: ['c1', 'c2', 'c3'] }],
  [{ kind: 'call', method: 'echo', args: { arg: 's' }, to_server: true }, { ok: 's' }],
];

class InstanceNotFound extends Error {
  override readonly name = 'InstanceNotFound';
  constructor(readonly kwargs: { instance_id: string }) {
    super(`Instance ${kwargs.instance_id} could not be found.`);
  }
}

class ValueError extends Error {
  override readonly name = 'ValueError';
  readonly module = 'builtins';
}

function tsEndpoints() {
  const seen: unknown[] = [];
  return [
    defineEndpoint({
      target: { version: '1.3' },
      methods: {
        echo: (_ctx, { arg }) => arg,
        whoami: (ctx) => ({ request_id: ctx.request_id, user_id: ctx.user_id, roles: ctx.roles, region: ctx.region }),
        boom: () => {
          throw new ValueError('boom from server');
        },
        not_found: (_ctx, { id }) => {
          throw new InstanceNotFound({ instance_id: String(id) });
        },
        record: (_ctx, { value }) => void seen.push(value),
        recorded: () => [...seen].sort(),
      },
    }),
    defineEndpoint({ target: { namespace: 'compute_task', version: '1.1' }, methods: { build: (_ctx, { n }) => `built ${n}` } }),
  ];
}

async function runTsClient(transport: Transport, topic: string, server: string, errors?: ErrorRegistry): Promise<Outcome[]> {
  const client = new RpcClient(transport, { topic, version: '1.3' }, { timeoutMs: 10_000, errors });
  const ctx = createRequestContext({ request_id: 'req-interop-1', user_id: 'u-7', project_id: 'p-7', roles: ['member'], region: 'r1' });
  const out: Outcome[] = [];
  for (const s of SCENARIOS.map(([sc]) => sc)) {
    const c = client.prepare({ version: s.version, namespace: s.namespace, fanout: s.fanout, server: s.to_server ? server : undefined });
    try {
      if (s.kind === 'await_recorded') {
        const end = Date.now() + 10_000;
        let got: unknown[] = [];
        while ((got = await c.call<unknown[]>(ctx, 'recorded')).length < s.count! && Date.now() < end) await sleep(50);
        out.push({ ok: got });
      } else if (s.kind === 'call') out.push({ ok: await c.call(ctx, s.method!, s.args) });
      else out.push({ ok: (await c.cast(ctx, s.method!, s.args)) ?? null });
    } catch (err) {
      out.push(err instanceof RemoteError ? { error: err.kwargs.excType, message: err.kwargs.value } : { error: (err as Error).name, message: (err as Error).message });
    }
  }
  return out;
}

function runPy(mode: 'client', topic: string, server: string, input: string): Promise<{ outcomes: Outcome[]; reply_q: string }>;
function runPy(mode: 'server', topic: string, server: string): Promise<{ queues: string[]; stop(): Promise<void> }>;
function runPy(mode: 'client' | 'server', topic: string, server: string, input?: string): Promise<any> {
  const child = spawn(PYTHON, [PEER, mode, PY_URL, exchange, topic, server], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.stdout.on('data', (d) => {
      stdout += d;
      if (mode === 'server' && stdout.includes('\n')) {
        const ready = JSON.parse(stdout.split('\n')[0]!);
        const exited = new Promise<void>((r) => child.on('exit', () => r()));
        resolve({ queues: ready.queues, stop: () => (child.stdin.end(), exited) });
      }
    });
    child.on('exit', (code) => {
      if (mode === 'client' && code === 0) resolve(JSON.parse(stdout.trim().split('\n').at(-1)!));
      else reject(new Error(`python ${mode} exited with ${code}: ${stderr.slice(-2000)}`));
    });
    if (input !== undefined) child.stdin.end(input);
  });
}

const exchange = uniqueName('novakit_interop');
const brokerObjects = { queues: [] as string[], exchanges: [exchange] };

describe.skipIf(reason !== undefined)('interop with python3-oslo.messaging', () => {
  let transport: Transport;
  afterAll(async () => {
    await transport?.close();
    if (!reason) await deleteBrokerObjects(RABBIT_URL, brokerObjects);
  });

  async function withServer<T>(side: 'py' | 'ts', fn: (topic: string, server: string) => Promise<T>): Promise<T> {
    const topic = uniqueName('interop');
    const server = 'srv';
    brokerObjects.queues.push(topic, `${topic}.${server}`);
    if (side === 'ts') {
      const s = new RpcServer(transport, { topic, server }, tsEndpoints(), { logger: quietLogger });
      await s.start();
      try {
        return await fn(topic, server);
      } finally {
        await s.stop();
      }
    }
    const py = await runPy('server', topic, server);
    brokerObjects.queues.push(...py.queues);
    try {
      return await fn(topic, server);
    } finally {
      await py.stop();
    }
  }

  async function pyClient(topic: string, server: string): Promise<Outcome[]> {
    const r = await runPy('client', topic, server, JSON.stringify(SCENARIOS.map(([s]) => s)));
    brokerObjects.queues.push(r.reply_q);
    return r.outcomes;
  }

  it('gives the same outcomes in all four client/server pairings', async () => {
    transport = await createTransport(RABBIT_URL, { exchange, logger: quietLogger });
    const expected = SCENARIOS.map(([, o]) => o);
    const pairings = {
      'python → python': await withServer('py', pyClient),
      'python → novakit': await withServer('ts', pyClient),
      'novakit → python': await withServer('py', (t, s) => runTsClient(transport, t, s)),
      'novakit → novakit': await withServer('ts', (t, s) => runTsClient(transport, t, s)),
    };
    for (const [pairing, outcomes] of Object.entries(pairings)) expect({ pairing, outcomes }).toEqual({ pairing, outcomes: expected });
  }, 120_000);

  it('re-raises a Python domain error as the allow-listed class, with its kwargs', async () => {
    transport ??= await createTransport(RABBIT_URL, { exchange, logger: quietLogger });
    await withServer('py', async (topic) => {
      const client = new RpcClient(transport, { topic, version: '1.3' }, { errors: ErrorRegistry.withDefaults().register(InstanceNotFound) });
      const err = await client.call(createRequestContext(), 'not_found', { id: 'xyz' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InstanceNotFound);
      expect((err as InstanceNotFound).kwargs).toEqual({ instance_id: 'xyz' });
      expect((err as { remoteTraceback: string[] }).remoteTraceback.join('')).toContain('InstanceNotFound');
    });
  }, 60_000);
});
