/**
 * What novakit puts on RabbitMQ, read back raw: exchange and queue names, declaration
 * flags a Python peer can share, and the message properties of the captured oslo frames.
 */
import { readFileSync } from 'node:fs';
import amqp from 'amqplib';
import { afterAll, describe, expect, it } from 'vitest';
import { createRequestContext, createTransport, defineEndpoint, MessagingTimeout, RpcClient, RpcServer, type Transport } from '../src/index.js';
import { deleteBrokerObjects, probeRabbitMq, RABBIT_URL, servicesRequired, uniqueName } from '../src/testing.js';
import { quietLogger, sleep } from './harness.js';

const reason = await probeRabbitMq();
if (reason && servicesRequired()) throw new Error(`RabbitMQ required (NOVAKIT_REQUIRE_SERVICES=1): ${reason}`);
if (reason) console.log(`[rpc] skipping AMQP wire tests: ${reason}`);

const capture = JSON.parse(readFileSync(new URL('./fixtures/rpc_capture.json', import.meta.url), 'utf8'));

describe.skipIf(reason !== null)('AMQP wire', () => {
  const exchange = uniqueName('novakit_wire');
  const topic = uniqueName('wire');
  const spies = [`spy_${topic}`, `spy_${topic}.host1`, `spy_${topic}_fanout`];
  let transport: Transport;
  let conn: amqp.ChannelModel;

  afterAll(async () => {
    await transport?.close();
    await conn?.close();
    await deleteBrokerObjects(RABBIT_URL, { queues: [...spies, topic, `${topic}.host1`], exchanges: [exchange] });
  });

  it('publishes calls, casts and fanout casts as oslo does', async () => {
    conn = await amqp.connect(RABBIT_URL);
    const ch = await conn.createChannel();
    // Python's declaration flags: a mismatch would fail here with PRECONDITION_FAILED.
    await ch.assertExchange(exchange, 'topic', { durable: false, autoDelete: false });
    await ch.assertExchange(`${topic}_fanout`, 'fanout', { durable: false, autoDelete: true });
    for (const [q, ex, key] of [[spies[0], exchange, topic], [spies[1], exchange, `${topic}.host1`], [spies[2], `${topic}_fanout`, topic]] as const) {
      await ch.assertQueue(q, { durable: false, autoDelete: false });
      await ch.bindQueue(q, ex, key);
    }
    transport = await createTransport(RABBIT_URL, { exchange, logger: quietLogger });
    const client = new RpcClient(transport, { topic, version: '1.3' }, { timeoutMs: 2000 });
    const ctx = createRequestContext();
    await client.cast(ctx, 'echo', { arg: { x: 1 } });
    await client.prepare({ server: 'host1' }).cast(ctx, 'echo', { arg: { x: 1 } });
    await client.prepare({ fanout: true }).cast(ctx, 'echo', { arg: { x: 2 } });
    // Nobody answers; the request is read from the spy queue before it expires.
    const unanswered = client.prepare({ timeoutMs: 2000 }).call(ctx, 'echo', { arg: { x: 1 } }).catch(() => undefined);

    const got = async (q: string): Promise<amqp.GetMessage> => {
      const end = Date.now() + 3000;
      for (;;) {
        const m = await ch.get(q, { noAck: true });
        if (m) return m;
        if (Date.now() > end) throw new Error(`nothing on ${q}`);
        await sleep(20);
      }
    };
    const cast = await got(spies[0]);
    const call = await got(spies[0]);
    const toServer = await got(spies[1]);
    const fanout = await got(spies[2]);
    const props = (m: amqp.GetMessage) => {
      const { contentType, contentEncoding, deliveryMode, priority, headers, expiration } = m.properties;
      return { content_type: contentType, content_encoding: contentEncoding, delivery_mode: deliveryMode, priority, application_headers: headers, ...(expiration ? { expiration } : {}) };
    };
    expect(props(cast)).toEqual(capture.cast.properties);
    expect(props(call)).toEqual({ ...capture.call.properties, expiration: '2000' });
    expect([cast.fields.exchange, cast.fields.routingKey]).toEqual([exchange, topic]);
    expect([toServer.fields.exchange, toServer.fields.routingKey]).toEqual([exchange, `${topic}.host1`]);
    expect([fanout.fields.exchange, fanout.fields.routingKey]).toEqual([`${topic}_fanout`, '']);
    const inner = JSON.parse(JSON.parse(call.content.toString())['oslo.message']);
    expect(Object.keys(inner).slice(0, 7)).toEqual(['method', 'args', 'version', '_msg_id', '_reply_q', '_timeout', '_unique_id']);
    expect(inner._reply_q).toMatch(/^reply_[0-9a-f]{32}$/);
    // The reply queue was declared as oslo declares it (x-expires 30 min): re-asserting it so passes.
    await ch.assertQueue(inner._reply_q, { durable: false, autoDelete: false, arguments: { 'x-expires': 1_800_000 } });
    await ch.close();
    await unanswered;
  }, 20_000);

  it('declares its exchange again when it was deleted behind its back', async () => {
    const t = uniqueName('gone');
    const ch = await conn.createChannel();
    ch.on('error', () => undefined); // the 404 below closes it
    await ch.assertQueue(t, { durable: false, autoDelete: false });
    const client = new RpcClient(transport, { topic: t }, { timeoutMs: 5000 });
    await client.cast(createRequestContext(), 'x');
    await ch.deleteExchange(exchange);
    await ch.bindQueue(t, exchange, t).catch(() => undefined); // exchange gone: 404
    await client.cast(createRequestContext(), 'y');
    const ch2 = await conn.createChannel();
    await ch2.bindQueue(t, exchange, t);
    await client.cast(createRequestContext(), 'z');
    const m = await ch2.get(t, { noAck: true });
    expect(m && JSON.parse(JSON.parse(m.content.toString())['oslo.message']).method).toBe('z');
    await ch2.deleteQueue(t);
    await ch2.close();
  });

  it('re-attaches its consumers when the shared main channel dies', async () => {
    const t = uniqueName('mainch');
    const own = await createTransport(RABBIT_URL, { exchange, logger: quietLogger, reconnect: { initialDelayMs: 20 } });
    const server = new RpcServer(own, { topic: t, server: 'host1' }, [defineEndpoint({ methods: { echo: (_c, { arg }) => arg } })], { logger: quietLogger });
    try {
      await server.start();
      const client = new RpcClient(own, { topic: t }, { timeoutMs: 3000 });
      const ctx = createRequestContext();
      expect(await client.call(ctx, 'echo', { arg: 1 })).toBe(1);
      // The exchange deleted behind its back: the next call on the main channel gets a 404,
      // which closes that channel and every consumer on it (and the bindings went too).
      const admin = await amqp.connect(RABBIT_URL);
      await (await admin.createChannel()).deleteExchange(exchange);
      await admin.close();
      await expect(client.prepare({ timeoutMs: 500 }).call(ctx, 'echo', { arg: 0 })).rejects.toBeInstanceOf(MessagingTimeout);
      expect(await client.call(ctx, 'echo', { arg: 2 })).toBe(2);
    } finally {
      await server.stop();
      await own.close();
      await deleteBrokerObjects(RABBIT_URL, { queues: [t, `${t}.host1`] });
    }
  });

  it('declares the topic and topic.server queues a Python server shares', async () => {
    const server = new RpcServer(transport, { topic, server: 'host1' }, [], { logger: quietLogger });
    await server.start();
    const ch = await conn.createChannel();
    await ch.assertQueue(topic, { durable: false, autoDelete: false });
    await ch.assertQueue(`${topic}.host1`, { durable: false, autoDelete: false });
    expect((await ch.checkQueue(topic)).consumerCount).toBe(1);
    await server.stop();
    await ch.close();
  });
});
