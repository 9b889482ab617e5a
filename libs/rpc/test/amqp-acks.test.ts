/**
 * Batched acknowledgements on the shared main channel: two reply consumers on one transport
 * must not acknowledge each other's deliveries twice (the broker answers a repeated
 * delivery tag by closing the channel, and every consumer on it with the channel).
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createTransport } from '../src/index.js';
import { probeRabbitMq, RABBIT_URL, servicesRequired, uniqueName } from '../src/testing.js';
import { sleep } from './harness.js';

const reason = await probeRabbitMq();
if (reason && servicesRequired()) throw new Error(`RabbitMQ required (NOVAKIT_REQUIRE_SERVICES=1): ${reason}`);
if (reason) console.log(`[rpc] skipping AMQP ack tests: ${reason}`);

describe.skipIf(reason !== null)('AMQP batched acks', () => {
  it('two reply consumers on one channel: a full batch on one and the timer of the other close nothing', { timeout: 20_000 }, async () => {
    const lines: { msg?: string }[] = [];
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(JSON.parse(String(chunk))), done()) });
    const transport = await createTransport(RABBIT_URL, { exchange: uniqueName('acks'), logger: pino({ level: 'warn' }, sink) });
    try {
      const got = { a: 0, b: 0 };
      const a = await transport.listenReplies(() => void got.a++);
      const b = await transport.listenReplies(() => void got.b++);
      const deadline = () => Date.now() + 5000;
      // A's delivery waits for its timer; B's 64 fill a batch, acknowledged at once.
      await transport.publishReply(a.queue, Buffer.from('{}'), deadline());
      await sleep(50);
      for (let i = 0; i < 64; i++) await transport.publishReply(b.queue, Buffer.from('{}'), deadline());
      await sleep(600); // past the 250 ms batch timer
      expect(got).toEqual({ a: 1, b: 64 });
      expect(lines.map((l) => l.msg)).not.toContain('AMQP channel error');
      // Nothing was requeued by a closed channel: no delivery came twice.
      await transport.publishReply(a.queue, Buffer.from('{}'), deadline());
      await sleep(300);
      expect(got).toEqual({ a: 2, b: 64 });
    } finally {
      await transport.close();
    }
  });
});
