/**
 * The in-process transport: a small broker model (topic exchanges with exact routing keys,
 * fanout exchanges, queues with round-robin consumers, the default exchange for replies)
 * shared by every transport opened on the same `memory://<bus>` URL in one process. It
 * carries the same envelope bytes as AMQP, so tests over it exercise the wire code.
 */
import type { Logger } from 'pino';
import { TransportClosed } from '../errors.js';
import { uuidHex } from '../ids.js';
import type {
  Deliver,
  Destination,
  ListenSpec,
  PublishOptions,
  ReplySubscription,
  Subscription,
  Transport,
} from '../transport.js';

interface Queued {
  body: Buffer;
  expiresAt: number | undefined;
}

class MemoryQueue {
  messages: Queued[] = [];
  head = 0;
  consumers: Deliver[] = [];
  next = 0;
  constructor(readonly name: string) {}
}

class Bus {
  refs = 0;
  private readonly queues = new Map<string, MemoryQueue>();
  /** exchange → routing key → queue names */
  private readonly bindings = new Map<string, Map<string, Set<string>>>();
  private readonly pending = new Set<MemoryQueue>();
  private scheduled = false;

  constructor(private readonly log: Logger) {}

  declareQueue(name: string): MemoryQueue {
    let q = this.queues.get(name);
    if (!q) this.queues.set(name, (q = new MemoryQueue(name)));
    return q;
  }

  bind(exchange: string, routingKey: string, queue: string): void {
    let byKey = this.bindings.get(exchange);
    if (!byKey) this.bindings.set(exchange, (byKey = new Map()));
    let names = byKey.get(routingKey);
    if (!names) byKey.set(routingKey, (names = new Set()));
    names.add(queue);
  }

  deleteQueue(name: string): void {
    this.queues.delete(name);
    for (const byKey of this.bindings.values()) for (const names of byKey.values()) names.delete(name);
  }

  /** Fanout exchanges ignore the key: they are bound under '' here. */
  publish(exchange: string, routingKey: string, msg: Queued): void {
    const names = this.bindings.get(exchange)?.get(routingKey);
    if (!names) return; // RabbitMQ drops unroutable messages too
    for (const name of names) this.enqueue(this.queues.get(name), msg);
  }

  /** Default-exchange publish; false when the queue does not exist (a mandatory return). */
  publishToQueue(name: string, msg: Queued): boolean {
    const q = this.queues.get(name);
    if (!q) return false;
    this.enqueue(q, msg);
    return true;
  }

  addConsumer(q: MemoryQueue, deliver: Deliver): void {
    q.consumers.push(deliver);
    this.schedule(q);
  }

  removeConsumer(q: MemoryQueue, deliver: Deliver): void {
    q.consumers = q.consumers.filter((d) => d !== deliver);
  }

  private enqueue(q: MemoryQueue | undefined, msg: Queued): void {
    if (!q) return;
    q.messages.push(msg);
    this.schedule(q);
  }

  // Delivery is batched on setImmediate: never re-entrant into the publisher, and I/O and
  // timers still get their turn between batches.
  private schedule(q: MemoryQueue): void {
    this.pending.add(q);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.drain());
  }

  private drain(): void {
    this.scheduled = false;
    const queues = [...this.pending];
    this.pending.clear();
    const now = Date.now();
    for (const q of queues) {
      while (q.head < q.messages.length && q.consumers.length > 0 && this.queues.get(q.name) === q) {
        const msg = q.messages[q.head++]!;
        if (msg.expiresAt !== undefined && msg.expiresAt < now) continue;
        const consumer = q.consumers[q.next++ % q.consumers.length]!;
        try {
          consumer(msg.body);
        } catch (err) {
          this.log.error({ err, queue: q.name }, 'in-process consumer threw; message dropped');
        }
      }
      if (q.head === q.messages.length) {
        q.messages = [];
        q.head = 0;
      }
    }
  }
}

const buses = new Map<string, Bus>();

export class InProcessTransport implements Transport {
  readonly url: string;
  closed = false;
  private readonly bus: Bus;
  private readonly subscriptions = new Set<{ stop(): Promise<void> }>();

  constructor(
    readonly busName: string,
    readonly exchange: string,
    readonly maxMessageBytes: number,
    readonly logger: Logger,
  ) {
    this.url = `memory://${busName}`;
    let bus = buses.get(busName);
    if (!bus) buses.set(busName, (bus = new Bus(logger)));
    bus.refs++;
    this.bus = bus;
  }

  async publish(dest: Destination, body: Buffer, opts: PublishOptions): Promise<void> {
    this.assertOpen();
    const msg = { body, expiresAt: opts.expirationMs === undefined ? undefined : Date.now() + opts.expirationMs };
    if (dest.fanout) this.bus.publish(`${dest.topic}_fanout`, '', msg);
    else this.bus.publish(dest.exchange, dest.server ? `${dest.topic}.${dest.server}` : dest.topic, msg);
  }

  async publishReply(replyQueue: string, body: Buffer): Promise<void> {
    this.assertOpen();
    if (!this.bus.publishToQueue(replyQueue, { body, expiresAt: undefined })) {
      this.logger.warn({ reply_q: replyQueue }, 'reply queue does not exist; reply dropped');
    }
  }

  async listen(spec: ListenSpec, deliver: Deliver): Promise<Subscription> {
    this.assertOpen();
    const fanoutQueue = `${spec.topic}_fanout_${uuidHex()}`;
    const queues = [spec.topic, `${spec.topic}.${spec.server}`].map((name) => {
      this.bus.bind(spec.exchange, name, name);
      return this.bus.declareQueue(name);
    });
    const fanout = this.bus.declareQueue(fanoutQueue);
    this.bus.bind(`${spec.topic}_fanout`, '', fanoutQueue);
    return this.subscribe([...queues, fanout], deliver, () => this.bus.deleteQueue(fanoutQueue));
  }

  async listenReplies(deliver: Deliver): Promise<ReplySubscription> {
    this.assertOpen();
    const queue = `reply_${uuidHex()}`;
    const sub = this.subscribe([this.bus.declareQueue(queue)], deliver, () => this.bus.deleteQueue(queue));
    return { ...sub, queue };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    this.closed = true;
    if (--this.bus.refs === 0) buses.delete(this.busName);
  }

  private subscribe(queues: MemoryQueue[], deliver: Deliver, cleanup: () => void): Subscription {
    for (const q of queues) this.bus.addConsumer(q, deliver);
    let end!: () => void;
    const ended = new Promise<void>((resolve) => (end = resolve));
    const sub = {
      ended,
      stop: async () => {
        if (!this.subscriptions.delete(sub)) return;
        for (const q of queues) this.bus.removeConsumer(q, deliver);
        cleanup();
        end();
      },
    };
    this.subscriptions.add(sub);
    return sub;
  }

  private assertOpen(): void {
    if (this.closed) throw new TransportClosed({ url: this.url });
  }
}
