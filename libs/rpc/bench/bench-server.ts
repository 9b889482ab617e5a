/**
 * The benchmark's server process (like msg_bench.py's child): a novakit RpcServer on
 * RabbitMQ and a raw amqplib echo server for the floor. Prints READY; exits when stdin closes.
 */
import amqp from 'amqplib';
import { pino } from 'pino';
import { createTransport, RpcServer } from '../src/index.js';
import { benchEndpoint } from './endpoints.js';

const [url, exchange, topic, rawQueue] = process.argv.slice(2) as [string, string, string, string];
const logger = pino({ level: 'warn' });
const transport = await createTransport(url, { exchange, logger });
const server = new RpcServer(transport, { topic, server: 'benchsrv' }, [benchEndpoint()], { logger });
await server.start();

const conn = await amqp.connect(url, { noDelay: true });
const ch = await conn.createChannel();
await ch.assertQueue(rawQueue, { durable: false, autoDelete: true });
let rawCasts = 0;
await ch.consume(rawQueue, (m) => {
  if (!m) return;
  ch.ack(m);
  const { replyTo, correlationId, type } = m.properties;
  if (type === 'reset') rawCasts = 0;
  if (!replyTo) rawCasts++;
  else ch.sendToQueue(replyTo, type === 'count' ? Buffer.from(String(rawCasts)) : m.content, { correlationId });
});

process.stdout.write('READY\n');
process.stdin.resume();
process.stdin.on('end', async () => {
  await server.stop({ graceMs: 2000 });
  await transport.close();
  await conn.close();
  process.exit(0);
});
