/**
 * @novakit/rpc/testing — helpers for suites that run over both transports: probing
 * RabbitMQ, naming things uniquely per run, and cleaning the broker up afterwards.
 */
import { createConnection } from 'node:net';
import amqp from 'amqplib';
import { uuidHex } from './ids.js';

/** The broker tests use: NOVAKIT_RABBIT_URL or the local guest account. */
export const RABBIT_URL = process.env.NOVAKIT_RABBIT_URL ?? 'amqp://guest:guest@127.0.0.1:5672/';

/** CI sets NOVAKIT_REQUIRE_SERVICES=1: a missing service is then a failure, not a skip. */
export function servicesRequired(): boolean {
  return process.env.NOVAKIT_REQUIRE_SERVICES === '1';
}

/** Null when RabbitMQ accepts an AMQP login at `url`, else why not. */
export async function probeRabbitMq(url = RABBIT_URL, timeoutMs = 2000): Promise<string | null> {
  const u = new URL(url);
  const port = Number(u.port || 5672);
  const tcp = await new Promise<string | null>((resolve) => {
    const sock = createConnection({ host: u.hostname, port, timeout: timeoutMs });
    sock.once('connect', () => (sock.destroy(), resolve(null)));
    sock.once('timeout', () => (sock.destroy(), resolve(`no answer from ${u.hostname}:${port}`)));
    sock.once('error', (err) => resolve(`${u.hostname}:${port}: ${err.message}`));
  });
  if (tcp) return tcp;
  try {
    const conn = await amqp.connect(url, { timeout: timeoutMs });
    await conn.close();
    return null;
  } catch (err) {
    return `AMQP login to ${u.hostname}:${port} failed: ${(err as Error).message}`;
  }
}

/** A name no other run (or parallel worker) uses: `<prefix>_<12 hex>`. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${uuidHex().slice(0, 12)}`;
}

/** Deletes queues and exchanges, ignoring those already gone. */
export async function deleteBrokerObjects(url: string, objects: { queues?: string[]; exchanges?: string[] }): Promise<void> {
  const conn = await amqp.connect(url);
  try {
    for (const [kind, names] of [['queue', objects.queues ?? []], ['exchange', objects.exchanges ?? []]] as const) {
      for (const name of names) {
        // A failed delete closes the channel, so each gets its own.
        const ch = await conn.createChannel();
        ch.on('error', () => undefined);
        await (kind === 'queue' ? ch.deleteQueue(name) : ch.deleteExchange(name)).catch(() => undefined);
        await ch.close().catch(() => undefined);
      }
    }
  } finally {
    await conn.close();
  }
}
