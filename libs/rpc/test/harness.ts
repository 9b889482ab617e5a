/**
 * How the suites get their transports: the in-process one always, RabbitMQ when it
 * answers (skipped with a printed reason otherwise, failed under NOVAKIT_REQUIRE_SERVICES=1).
 * Every AMQP run uses its own exchange and topics and deletes them afterwards.
 */
import { pino, type Logger } from 'pino';
import { createTransport, type Transport, type TransportOptions } from '../src/index.js';
import { deleteBrokerObjects, probeRabbitMq, RABBIT_URL, servicesRequired, uniqueName } from '../src/testing.js';

export type TransportKind = 'memory' | 'amqp';

export interface Harness {
  kind: TransportKind;
  /** Why this transport cannot run here; undefined when it can. */
  unavailable?: string;
  /** A new transport on the shared bus / broker, with this run's exchange. */
  open(options?: TransportOptions): Promise<Transport>;
  /** A topic name unique to this run (its queues are deleted by cleanup). */
  topic(prefix?: string): string;
  readonly exchange: string;
  cleanup(): Promise<void>;
}

export const quietLogger: Logger = pino({ level: process.env.NOVAKIT_LOG_LEVEL ?? 'silent' });

export function makeHarness(kind: TransportKind, unavailable?: string): Harness {
  const exchange = uniqueName('novakit_test');
  const bus = uniqueName('bus');
  const topics: string[] = [];
  const opened: Transport[] = [];
  return {
    kind,
    unavailable,
    exchange,
    async open(options = {}) {
      const url = kind === 'memory' ? `memory://${bus}` : RABBIT_URL;
      const t = await createTransport(url, { exchange, logger: quietLogger, connectTimeoutMs: 5000, ...options });
      opened.push(t);
      return t;
    },
    topic(prefix = 'topic') {
      const t = uniqueName(prefix);
      topics.push(t);
      return t;
    },
    async cleanup() {
      await Promise.all(opened.splice(0).map((t) => t.close()));
      if (kind === 'amqp' && !unavailable) {
        const queues = topics.flatMap((t) => [t, ...['host1', 'host2', 'host3', 'h1', 'h2', 'srv'].map((h) => `${t}.${h}`)]);
        await deleteBrokerObjects(RABBIT_URL, { queues, exchanges: [exchange] });
      }
    },
  };
}

/** Both harnesses; RabbitMQ's marked unavailable when it does not answer. */
export async function harnesses(): Promise<Harness[]> {
  const reason = await probeRabbitMq();
  if (reason && !servicesRequired()) console.log(`[rpc] skipping AMQP tests: ${reason}`);
  return [makeHarness('memory'), makeHarness('amqp', reason ?? undefined)];
}

export { servicesRequired };

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls until `check` holds or `ms` passes. */
export async function eventually(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await sleep(10);
  }
}
