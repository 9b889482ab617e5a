/**
 * A consumer of a set of queues. Declarations happen on a short-lived channel of their
 * own (a refused declaration closes its channel, and must not take the shared main channel
 * with it); consuming happens on the link's main channel. On every new connection or main
 * channel the owner attaches it again, so queues and bindings are re-declared.
 */
import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import type { Logger } from 'pino';
import type { Deliver } from '../transport.js';

export interface QueueSpec {
  name: string;
  /** Absent: a default-exchange queue (reply queues). */
  exchange?: { name: string; type: 'topic' | 'fanout'; autoDelete: boolean };
  routingKey?: string;
  args?: Record<string, unknown>;
  /** Private queues (fanout, reply) are deleted when the subscriber stops. */
  deleteOnStop?: boolean;
}

/**
 * `first`: acknowledge on receipt, before the message is handled (oslo's at-most-once for
 * requests). `batched`: hand the message over and acknowledge everything received so far
 * every 64 messages or 250 ms (replies: an ack per call would cost the caller a write per
 * call; unacked replies are redelivered after a disconnect and deduplicated).
 */
export type AckMode = 'first' | 'batched';

const ACK_BATCH = 64;
const ACK_DELAY_MS = 250;

/**
 * The batch is the channel's, not a consumer's: one `multiple` ack covers every delivery on
 * the channel up to its tag, whichever consumer took it, and a second ack of a tag already
 * covered makes the broker close the channel (and every consumer on it).
 */
class ChannelAcks {
  private last: ConsumeMessage | undefined;
  private count = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly ch: Channel) {}

  add(msg: ConsumeMessage): void {
    this.last = msg;
    if (++this.count >= ACK_BATCH) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), ACK_DELAY_MS).unref();
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.count = 0;
    const last = this.last;
    this.last = undefined;
    try {
      if (last) this.ch.ack(last, true);
    } catch {
      // The channel is gone: the broker requeues, and the redelivery is deduplicated.
    }
  }
}

const channelAcks = new WeakMap<Channel, ChannelAcks>();

function acksOf(ch: Channel): ChannelAcks {
  let acks = channelAcks.get(ch);
  if (!acks) channelAcks.set(ch, (acks = new ChannelAcks(ch)));
  return acks;
}

export class AmqpSubscription {
  stopped = false;
  readonly ended: Promise<void>;
  private end!: () => void;
  private attached: { conn: ChannelModel; ch: Channel; tags: string[] } | undefined;
  private attaching: { main: Channel; promise: Promise<void> } | undefined;

  constructor(
    readonly queues: QueueSpec[],
    private readonly deliver: Deliver,
    private readonly ackMode: AckMode,
    private readonly log: Logger,
    /** Asks the owner to attach this subscription again (consumer cancelled by the broker). */
    private readonly reattach: (sub: AmqpSubscription) => void,
  ) {
    this.ended = new Promise<void>((resolve) => (this.end = resolve));
  }

  /** Idempotent per main channel: a retry racing the link's own re-attach does nothing. */
  attach(conn: ChannelModel, main: Channel): Promise<void> {
    if (this.attached?.ch === main) return Promise.resolve();
    if (this.attaching?.main === main) return this.attaching.promise;
    const promise = this.attachTo(conn, main).finally(() => {
      if (this.attaching?.promise === promise) this.attaching = undefined;
    });
    this.attaching = { main, promise };
    return promise;
  }

  private async attachTo(conn: ChannelModel, main: Channel): Promise<void> {
    const decl = await conn.createChannel();
    decl.on('error', (err: Error) => this.log.warn({ err, queues: this.names() }, 'queue declaration refused'));
    try {
      for (const q of this.queues) {
        if (q.exchange) {
          await decl.assertExchange(q.exchange.name, q.exchange.type, { durable: false, autoDelete: q.exchange.autoDelete });
        }
        await decl.assertQueue(q.name, { durable: false, autoDelete: false, ...(q.args ? { arguments: q.args } : {}) });
        if (q.exchange) await decl.bindQueue(q.name, q.exchange.name, q.routingKey ?? q.name);
      }
    } finally {
      await decl.close().catch(() => undefined);
    }
    const tags: string[] = [];
    for (const q of this.queues) {
      tags.push((await main.consume(q.name, (msg) => this.onMessage(main, msg), { noAck: false })).consumerTag);
    }
    this.attached = { conn, ch: main, tags };
    if (this.stopped) await this.cancel();
  }

  /** The connection or the main channel is gone, and these consumers with it. */
  detach(): void {
    this.attached = undefined;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.ackMode === 'batched' && this.attached) acksOf(this.attached.ch).flush();
    // Deliveries already received were acked and handed over: nothing in flight is lost.
    await this.cancel();
    this.end();
  }

  private async cancel(): Promise<void> {
    const a = this.attached;
    this.attached = undefined;
    if (!a) return;
    try {
      for (const tag of a.tags) await a.ch.cancel(tag);
      const doomed = this.queues.filter((q) => q.deleteOnStop);
      if (doomed.length > 0) {
        const ch = await a.conn.createChannel();
        ch.on('error', () => undefined);
        for (const q of doomed) await ch.deleteQueue(q.name);
        await ch.close();
      }
    } catch (err) {
      this.log.debug({ err }, 'error while stopping a consumer (connection already gone?)');
    }
  }

  private onMessage(ch: Channel, msg: ConsumeMessage | null): void {
    if (msg === null) {
      // The broker cancelled the consumer (queue deleted): declare and consume again.
      if (this.attached?.ch === ch && !this.stopped) {
        this.log.warn({ queues: this.names() }, 'consumer cancelled by the broker; re-declaring');
        const { tags } = this.attached;
        this.attached = undefined;
        for (const tag of tags) ch.cancel(tag).catch(() => undefined);
        this.reattach(this);
      }
      return;
    }
    if (this.ackMode === 'batched') {
      this.deliver(msg.content);
      acksOf(ch).add(msg);
      return;
    }
    try {
      ch.ack(msg);
    } catch (err) {
      // oslo discards a request whose ack failed: the broker will redeliver it.
      this.log.warn({ err }, 'discarding a message whose acknowledgement failed');
      return;
    }
    this.deliver(msg.content);
  }

  private names(): string[] {
    return this.queues.map((q) => q.name);
  }
}
