/**
 * One consumer of a set of queues on its own channel. It (re)declares its exchanges,
 * queues and bindings on every connection, so a broker-side disconnect is survived by
 * attaching again on the next connection.
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
 * every 64 messages or 250 ms (replies: one ack frame per call would cost the caller a
 * write per call; unacked replies are redelivered after a disconnect and deduplicated).
 */
export type AckMode = 'first' | 'batched';

const ACK_BATCH = 64;
const ACK_DELAY_MS = 250;

export class AmqpSubscription {
  stopped = false;
  readonly ended: Promise<void>;
  private end!: () => void;
  private channel: Channel | undefined;
  private unacked: { ch: Channel; msg: ConsumeMessage } | undefined;
  private unackedCount = 0;
  private ackTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly queues: QueueSpec[],
    private readonly deliver: Deliver,
    private readonly ackMode: AckMode,
    private readonly log: Logger,
    /** Asks the transport to attach this subscription again (consumer cancelled by the broker). */
    private readonly reattach: (sub: AmqpSubscription) => void,
  ) {
    this.ended = new Promise<void>((resolve) => (this.end = resolve));
  }

  async attach(conn: ChannelModel): Promise<void> {
    const ch = await conn.createChannel();
    ch.on('error', (err: Error) => this.log.warn({ err, queues: this.names() }, 'consumer channel error'));
    ch.on('close', () => {
      if (this.channel === ch) this.channel = undefined;
    });
    try {
      for (const q of this.queues) {
        if (q.exchange) {
          await ch.assertExchange(q.exchange.name, q.exchange.type, { durable: false, autoDelete: q.exchange.autoDelete });
        }
        await ch.assertQueue(q.name, { durable: false, autoDelete: false, ...(q.args ? { arguments: q.args } : {}) });
        if (q.exchange) await ch.bindQueue(q.name, q.exchange.name, q.routingKey ?? q.name);
      }
      for (const q of this.queues) {
        await ch.consume(q.name, (msg) => this.onMessage(ch, msg), { noAck: false });
      }
    } catch (err) {
      await ch.close().catch(() => undefined);
      throw err;
    }
    if (this.stopped) {
      await ch.close().catch(() => undefined);
      return;
    }
    this.channel = ch;
  }

  /** The connection is gone; its channel with it. */
  detach(): void {
    this.channel = undefined;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const ch = this.channel;
    this.channel = undefined;
    this.flushAck();
    if (ch) {
      try {
        // Closing the channel cancels its consumers; deliveries already received were acked
        // and handed over, so nothing in flight is lost.
        for (const q of this.queues) if (q.deleteOnStop) await ch.deleteQueue(q.name);
        await ch.close();
      } catch (err) {
        this.log.debug({ err }, 'error while stopping a consumer (connection already gone?)');
      }
    }
    this.end();
  }

  private onMessage(ch: Channel, msg: ConsumeMessage | null): void {
    if (msg === null) {
      // The broker cancelled the consumer (queue deleted): declare and consume again.
      if (this.channel === ch && !this.stopped) {
        this.log.warn({ queues: this.names() }, 'consumer cancelled by the broker; re-declaring');
        this.channel = undefined;
        ch.close().catch(() => undefined);
        this.reattach(this);
      }
      return;
    }
    if (this.ackMode === 'batched') {
      this.deliver(msg.content);
      this.unacked = { ch, msg };
      if (++this.unackedCount >= ACK_BATCH) this.flushAck();
      else this.ackTimer ??= setTimeout(() => this.flushAck(), ACK_DELAY_MS).unref();
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

  private flushAck(): void {
    clearTimeout(this.ackTimer);
    this.ackTimer = undefined;
    this.unackedCount = 0;
    const pending = this.unacked;
    this.unacked = undefined;
    try {
      pending?.ch.ack(pending.msg, true);
    } catch {
      // The channel is gone: the broker requeues, and the redelivery is deduplicated.
    }
  }

  private names(): string[] {
    return this.queues.map((q) => q.name);
  }
}
