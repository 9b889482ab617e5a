/**
 * The one behaviour suite every transport runs (transport as parameter). Everything here
 * goes through the real envelope encoding, so it checks the wire as much as the API.
 */
import { pino } from 'pino';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  createRequestContext,
  defineEndpoint,
  defineRpcApi,
  ErrorRegistry,
  InvalidArguments,
  InvalidTarget,
  MessageTooLarge,
  MessagingTimeout,
  NoSuchMethod,
  RemoteError,
  RPCVersionCapError,
  RpcClient,
  RpcServer,
  type Transport,
  UnsupportedVersion,
  withArgs,
} from '../src/index.js';
import { decodeReply } from '../src/message.js';
import { eventually, type Harness, quietLogger, servicesRequired, sleep } from './harness.js';

class InstanceNotFound extends Error {
  override readonly name = 'InstanceNotFound';
  constructor(readonly kwargs: { instance_id: string }) {
    super(`Instance ${kwargs.instance_id} could not be found.`);
  }
}

interface Host {
  name: string;
  casts: unknown[];
  server: RpcServer;
}

function computeEndpoint(host: Omit<Host, 'server'>) {
  return defineEndpoint({
    target: { version: '1.3' },
    methods: {
      echo: (_ctx, { arg }) => arg,
      whoami: (ctx) => ({ host: host.name, request_id: ctx.request_id, user_id: ctx.user_id, roles: ctx.roles, is_admin: ctx.is_admin, region: ctx.region }),
      add: withArgs(z.object({ a: z.number(), b: z.number() }), (_ctx, { a, b }) => a + b),
      not_found: (_ctx, { id }) => {
        throw new InstanceNotFound({ instance_id: String(id) });
      },
      boom: () => {
        throw new Error('boom');
      },
      throw_string: () => {
        throw 'just a string';
      },
      slow: async (_ctx, { ms, value }) => {
        await sleep(Number(ms));
        return value;
      },
      record: (_ctx, { value }) => {
        host.casts.push(value);
      },
      args_of: (_ctx, args) => ({ keys: Object.keys(args), own_proto: Object.hasOwn(args, '__proto__') }),
      bigint: () => 10n,
      _private: () => 'private',
    },
  });
}

const taskEndpoint = defineEndpoint({
  target: { namespace: 'compute_task', version: '1.1', legacyNamespaces: ['legacy_tasks'] },
  methods: { build: (_ctx, { n }) => `built ${n}` },
});

export function describeRpcSuite(h: Harness): void {
  if (h.unavailable !== undefined && servicesRequired()) {
    describe(`rpc over ${h.kind}`, () => {
      it('has its service (NOVAKIT_REQUIRE_SERVICES=1)', () => {
        throw new Error(`${h.kind} transport unavailable: ${h.unavailable}`);
      });
    });
    return;
  }
  describe.skipIf(h.unavailable !== undefined)(`rpc over ${h.kind}`, () => {
    const servers: RpcServer[] = [];
    const ctx = createRequestContext({ user_id: 'u-1', project_id: 'p-1', roles: ['member'], region: 'r1' });

    async function startHost(transport: Transport, topic: string, name: string, extra = {}): Promise<Host> {
      const host = { name, casts: [] as unknown[] };
      const server = new RpcServer(transport, { topic, server: name }, [computeEndpoint(host), taskEndpoint], { logger: quietLogger, ...extra });
      await server.start();
      servers.push(server);
      return { ...host, server };
    }

    async function setup(extra = {}) {
      const transport = await h.open();
      const topic = h.topic('compute');
      const host = await startHost(transport, topic, 'host1', extra);
      const client = new RpcClient(transport, { topic, version: '1.3' }, { timeoutMs: 5000, errors: ErrorRegistry.withDefaults().register(InstanceNotFound) });
      return { transport, topic, host, client };
    }

    afterEach(async () => {
      await Promise.all(servers.splice(0).map((s) => s.stop({ graceMs: 1000 })));
    });
    afterAll(() => h.cleanup());

    it('calls a method and carries the context both ways', async () => {
      const { client } = await setup();
      expect(await client.call(ctx, 'echo', { arg: { x: 1, s: 'ünï', n: null, l: [1, 'a'] } })).toEqual({ x: 1, s: 'ünï', n: null, l: [1, 'a'] });
      expect(await client.call(ctx, 'whoami')).toEqual({
        host: 'host1', request_id: ctx.request_id, user_id: 'u-1', roles: ['member'], is_admin: false, region: 'r1',
      });
      expect(await client.call(ctx, 'record', { value: 1 })).toBeNull();
    });

    it('applies oslo version matching and method lookup', async () => {
      const { client } = await setup();
      expect(await client.prepare({ version: '1.1' }).call(ctx, 'echo', { arg: 1 })).toBe(1);
      await expect(client.prepare({ version: '1.4' }).call(ctx, 'echo', { arg: 1 })).rejects.toThrow(
        new UnsupportedVersion({ version: '1.4', method: 'echo' }),
      );
      await expect(client.prepare({ version: '2.0' }).call(ctx, 'echo')).rejects.toBeInstanceOf(UnsupportedVersion);
      for (const name of ['nope', '_private', 'constructor', 'toString', '__proto__', 'hasOwnProperty']) {
        await expect(client.call(ctx, name)).rejects.toThrow(new NoSuchMethod({ method: name }));
      }
    });

    it('routes by namespace, legacy namespaces included', async () => {
      const { client } = await setup();
      expect(await client.prepare({ namespace: 'compute_task', version: '1.0' }).call(ctx, 'build', { n: 1 })).toBe('built 1');
      expect(await client.prepare({ namespace: 'legacy_tasks', version: '1.1' }).call(ctx, 'build', { n: 2 })).toBe('built 2');
      await expect(client.prepare({ namespace: 'compute_task', version: '1.0' }).call(ctx, 'echo')).rejects.toBeInstanceOf(NoSuchMethod);
      await expect(client.prepare({ namespace: 'other' }).call(ctx, 'build')).rejects.toThrow(
        'Endpoint does not support RPC version 1.3. Attempted method: build',
      );
    });

    it('re-raises allow-listed errors by name and others as RemoteError', async () => {
      const { transport, client } = await setup();
      const err = await client.call(ctx, 'not_found', { id: 'abc' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InstanceNotFound);
      expect(err).toMatchObject({ message: 'Instance abc could not be found.', kwargs: { instance_id: 'abc' } });
      const plain = new RpcClient(transport, client.target, { timeoutMs: 5000 });
      const remote = await plain.call(ctx, 'not_found', { id: 'abc' }).catch((e: unknown) => e);
      expect(remote).toBeInstanceOf(RemoteError);
      expect((remote as RemoteError).kwargs).toMatchObject({ excType: 'InstanceNotFound', value: 'Instance abc could not be found.' });
      await expect(client.call(ctx, 'boom')).rejects.toThrow('Remote error: Error boom');
      await expect(client.call(ctx, 'throw_string')).rejects.toThrow('Remote error: Error just a string');
    });

    it('validates declared argument schemas and keeps serving', async () => {
      const { client } = await setup();
      expect(await client.call(ctx, 'add', { a: 2, b: 3 })).toBe(5);
      const err = await client.call(ctx, 'add', { a: 'two', b: 3 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InvalidArguments);
      expect((err as InvalidArguments).message).toContain('expected number');
      await expect(client.call(ctx, 'add', { a: 1 })).rejects.toBeInstanceOf(InvalidArguments);
      expect(await client.call(ctx, 'add', { a: 1, b: 1 })).toBe(2);
    });

    it('casts to the topic round-robin, to one server, and fanout to all, with several hosts in one process', async () => {
      const t1 = await h.open();
      const t2 = await h.open();
      const topic = h.topic('compute');
      const hosts = [await startHost(t1, topic, 'host1'), await startHost(t1, topic, 'host2'), await startHost(t2, topic, 'host3')];
      const client = new RpcClient(t2, { topic, version: '1.3' }, { timeoutMs: 5000 });
      for (let i = 0; i < 30; i++) await client.cast(ctx, 'record', { value: i });
      await eventually(() => hosts.reduce((n, x) => n + x.casts.length, 0) === 30);
      for (const x of hosts) expect(x.casts.length).toBeGreaterThan(0);
      for (const x of hosts) x.casts.length = 0;

      await client.prepare({ server: 'host2' }).cast(ctx, 'record', { value: 'direct' });
      expect((await client.prepare({ server: 'host3' }).call<{ host: string }>(ctx, 'whoami')).host).toBe('host3');
      await client.prepare({ fanout: true }).cast(ctx, 'record', { value: 'all' });
      await eventually(() => hosts.every((x) => x.casts.includes('all')));
      expect(hosts.map((x) => x.casts.filter((v) => v === 'direct').length)).toEqual([0, 1, 0]);
      await expect(client.prepare({ fanout: true }).call(ctx, 'echo')).rejects.toBeInstanceOf(InvalidTarget);
    });

    it('times out a call nobody answers, with oslo text', async () => {
      const transport = await h.open();
      const client = new RpcClient(transport, { topic: h.topic('nobody') }, { timeoutMs: 300 });
      const started = Date.now();
      const err = await client.call(ctx, 'echo').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MessagingTimeout);
      expect((err as Error).message).toMatch(/^Timed out waiting for a reply to message ID [0-9a-f]{32}$/);
      expect(Date.now() - started).toBeLessThan(3000);
    });

    it('times out overlapping calls each at its own deadline, a short one after a long one', async () => {
      const transport = await h.open();
      const client = new RpcClient(transport, { topic: h.topic('nobody') }, { timeoutMs: 1500 });
      const started = Date.now();
      const settledAt = (p: Promise<unknown>) => p.then(() => Infinity, (err: unknown) => (expect(err).toBeInstanceOf(MessagingTimeout), Date.now() - started));
      const long = settledAt(client.call(ctx, 'echo'));
      const short = settledAt(client.prepare({ timeoutMs: 200 }).call(ctx, 'echo'));
      const [longMs, shortMs] = await Promise.all([long, short]);
      expect(shortMs).toBeGreaterThanOrEqual(190);
      expect(shortMs).toBeLessThan(longMs);
      expect(longMs).toBeGreaterThanOrEqual(1490);
    });

    it('enforces version caps before sending, explicit or from a provider', async () => {
      const { transport, topic, host } = await setup();
      const capped = new RpcClient(transport, { topic, version: '1.3' }, { versionCap: '1.2', timeoutMs: 5000 });
      await expect(capped.cast(ctx, 'record', { value: 'x' })).rejects.toThrow(new RPCVersionCapError({ version: '1.3', versionCap: '1.2' }));
      expect(await capped.canSendVersion()).toBe(false);
      expect(await capped.canSendVersion('1.1')).toBe(true);
      expect(await capped.canSendVersion('1.2.5')).toBe(false);
      expect(await capped.canSendVersion('2.0')).toBe(false);
      expect(await capped.prepare({ version: '1.2' }).call(ctx, 'echo', { arg: 'ok' })).toBe('ok');

      const api = defineRpcApi({ name: 'compute', history: { '1.0': 'initial', '1.2': 'x', '1.3': 'y' }, aliases: { 'release-1': '1.2' } });
      let asked = 0;
      let answer = 'release-1';
      const auto = new RpcClient(transport, { topic, version: '1.3' }, { versionCap: api.versionCap('auto', async () => (asked++, answer)) });
      expect(await auto.canSendVersion('1.3')).toBe(false);
      expect(await auto.prepare({ version: '1.2' }).canSendVersion()).toBe(true);
      expect(asked).toBe(1);
      answer = '1.3';
      auto.resetVersionCap();
      expect(await auto.versionCap()).toBe('1.3');
      expect(await auto.call(ctx, 'echo', { arg: 'now' })).toBe('now');
      expect(host.casts).toEqual([]);

      let failures = 1;
      const flaky = new RpcClient(transport, { topic, version: '1.3' }, {
        versionCap: () => {
          if (failures-- > 0) throw new Error('no service versions yet');
          return '1.3';
        },
      });
      await expect(flaky.call(ctx, 'echo', { arg: 1 })).rejects.toThrow('no service versions yet');
      expect(await flaky.call(ctx, 'echo', { arg: 2 })).toBe(2);
    });

    it('survives malformed, hostile and oversize input', async () => {
      const { transport, topic, host, client } = await setup();
      const replies: ReturnType<typeof decodeReply>[] = [];
      const sub = await transport.listenReplies((b) => replies.push(decodeReply(b, 1 << 20)));
      const send = (body: string) => transport.publish({ exchange: h.exchange, topic }, Buffer.from(body), { confirm: true, deadline: Date.now() + 5000 });
      const envelope = (msg: unknown) => JSON.stringify({ 'oslo.version': '2.0', 'oslo.message': JSON.stringify(msg) });
      const call = (id: string, extra: Record<string, unknown>) => envelope({ _msg_id: id, _reply_q: sub.queue, _unique_id: id, ...extra });
      for (const body of [
        'not json',
        '[1,2,3]',
        '"a string"',
        '{"oslo.version":"2.0","oslo.message":"{not json"}',
        '{"oslo.version":"2.0","oslo.message":42}',
        '{"oslo.version":"9.0","oslo.message":"{}"}',
        envelope({ method: 'record' }), // no _unique_id, no args: a valid cast
        call('m1', { args: { arg: 1 } }), // no method
        call('m2', { method: 'echo', args: 'not an object' }),
        call('m3', { method: 'echo', version: 'abc', args: {} }),
        call('m4', { method: 42 }),
        call('m5', { method: 'echo', namespace: 7 }),
      ]) {
        await send(body);
      }
      await eventually(() => replies.length === 5);
      const byId = Object.fromEntries(replies.map((r) => [r.msgId, JSON.parse(r.failure!).class]));
      expect(byId).toEqual({ m1: 'InvalidMessage', m2: 'InvalidMessage', m3: 'InvalidVersion', m4: 'InvalidMessage', m5: 'InvalidMessage' });
      await eventually(() => host.casts.length === 1);

      // A server with a small limit drops an oversize request; a client with one refuses to send it.
      const small = await h.open({ maxMessageBytes: 4096 });
      const smallTopic = h.topic('small');
      await startHost(small, smallTopic, 'host1');
      const big = { arg: 'x'.repeat(8000) };
      await expect(new RpcClient(transport, { topic: smallTopic }, { timeoutMs: 300 }).call(ctx, 'echo', big)).rejects.toBeInstanceOf(MessagingTimeout);
      await expect(new RpcClient(small, { topic: smallTopic }).call(ctx, 'echo', big)).rejects.toBeInstanceOf(MessageTooLarge);
      await expect(client.call(ctx, 'bigint')).rejects.toThrow(/BigInt/);
      expect(await client.call(ctx, 'echo', { arg: 'still alive' })).toBe('still alive');
      await sub.stop();
    });

    it('keeps prototype-pollution keys away from prototypes', async () => {
      const { transport, topic, client } = await setup();
      const hostile = JSON.stringify({
        'oslo.version': '2.0',
        'oslo.message':
          '{"method":"record","args":{"value":{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":2}}},"__proto__":{"polluted":3}},' +
          '"_unique_id":"p1","_context___proto__":{"polluted":4},"_context_request_id":"req-x","\\u005f_proto__":{"polluted":5}}',
      });
      await transport.publish({ exchange: h.exchange, topic }, Buffer.from(hostile), { confirm: true, deadline: Date.now() + 5000 });
      expect(await client.call(ctx, 'args_of', JSON.parse('{"a":1,"__proto__":{"polluted":6}}'))).toEqual({ keys: ['a'], own_proto: false });
      expect(({} as any).polluted).toBeUndefined();
    });

    it('handles a redelivered message (same _unique_id) once', async () => {
      const { transport, topic, host, client } = await setup();
      const body = Buffer.from(JSON.stringify({ 'oslo.version': '2.0', 'oslo.message': JSON.stringify({ method: 'record', args: { value: 'once' }, _unique_id: 'dup-1' }) }));
      for (let i = 0; i < 3; i++) await transport.publish({ exchange: h.exchange, topic }, body, { confirm: true, deadline: Date.now() + 5000 });
      await client.call(ctx, 'echo', { arg: 'sync' });
      await sleep(50);
      expect(host.casts).toEqual(['once']);
    });

    it('stops gracefully: calls already received finish and are answered', async () => {
      const { host, client } = await setup();
      const inFlight = [client.call(ctx, 'slow', { ms: 300, value: 'a' }), client.call(ctx, 'slow', { ms: 100, value: 'b' })];
      await sleep(100);
      await host.server.stop();
      expect(await Promise.all(inFlight)).toEqual(['a', 'b']);
      expect(host.server.running).toBe(false);
      await expect(client.prepare({ timeoutMs: 300 }).call(ctx, 'echo')).rejects.toBeInstanceOf(MessagingTimeout);
    });

    it('logs failures with the request id', async () => {
      const lines: Record<string, unknown>[] = [];
      const logger = pino({ level: 'debug' }, { write: (l: string) => void lines.push(JSON.parse(l)) });
      const { client } = await setup({ logger });
      const rctx = createRequestContext({ user_id: 'u' });
      await expect(client.call(rctx, 'boom')).rejects.toBeInstanceOf(RemoteError);
      const mine = lines.filter((l) => l.request_id === rctx.request_id);
      expect(mine.map((l) => l.msg)).toEqual(expect.arrayContaining(['call received', 'RPC method failed']));
      expect(lines.filter((l) => l.method === 'boom').every((l) => l.request_id === rctx.request_id)).toBe(true);
    });

    it('keeps a long call alive with call-monitor heartbeats', async () => {
      const { client } = await setup();
      const c = client.prepare({ callMonitorTimeoutMs: 2000, timeoutMs: 10_000 });
      expect(await c.call(ctx, 'slow', { ms: 2600, value: 'done' })).toBe('done');
    }, 15_000);

    it('only logs the failure of a cast', async () => {
      const { client } = await setup();
      await expect(client.cast(ctx, 'nope')).resolves.toBeUndefined();
      await expect(client.cast(ctx, 'boom')).resolves.toBeUndefined();
      await expect(client.call(ctx, 'echo', { arg: 1 })).resolves.toBe(1);
    });
  });
}
