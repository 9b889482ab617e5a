/**
 * RabbitMQ transport following oslo.messaging's rabbit driver: a non-durable topic
 * exchange (`openstack` by default) with `<topic>` and `<topic>.<server>` queues,
 * `<topic>_fanout` exchanges, `reply_<uuid>` queues on the default exchange, and the
 * message properties of the captured Python frames.
 *
 * One connection per transport (socket `noDelay`: with Nagle every round trip costs
 * ~40 ms), a plain channel for calls and replies, a confirm channel for casts. When the
 * connection drops it reconnects with exponential backoff and re-attaches every consumer;
 * publishes wait for the connection up to their deadline.
 *
 * Replies are not confirmed (a confirm per reply costs the server a wakeup on every call):
 * instead the replies written shortly before a connection loss, which may have died in the
 * socket, are published again after the reconnect; callers drop duplicates by _unique_id.
 */
import amqp, { type Channel, type ChannelModel, type ConfirmChannel, type Options } from 'amqplib';
import type { Logger } from 'pino';
import { MessageDeliveryFailure, TransportClosed, TransportUnavailable } from '../errors.js';
import { uuidHex } from '../ids.js';
import {
  type Deliver,
  type Destination,
  type ListenSpec,
  type PublishOptions,
  type ReplySubscription,
  type Subscription,
  type Transport,
  type TransportOptions,
  TRANSIENT_QUEUE_TTL_MS,
} from '../transport.js';
import { type AckMode, AmqpSubscription, type QueueSpec } from './amqp-subscription.js';
import { ReplyReplay } from './reply-replay.js';

type ChannelKind = 'plain' | 'confirm';

const BASE_PROPERTIES = { contentType: 'application/json', contentEncoding: 'utf-8', deliveryMode: 2, priority: 0, headers: {} };

export class AmqpTransport implements Transport {
  closed = false;
  private conn: ChannelModel | undefined;
  private channels: Partial<Record<ChannelKind, Promise<Channel>>> = {};
  /** The same channels once open: the hot path publishes without awaiting anything. */
  private openChannels: Partial<Record<ChannelKind, Channel>> = {};
  private readonly declaredExchanges = new Set<string>();
  private readonly subs = new Set<AmqpSubscription>();
  private readyWaiters = new Set<() => void>();
  private reconnectTimer: NodeJS.Timeout | undefined;
  private readonly replies = new ReplyReplay();

  private constructor(
    private readonly connectUrl: string,
    readonly url: string,
    readonly exchange: string,
    readonly maxMessageBytes: number,
    readonly logger: Logger,
    private readonly opts: TransportOptions,
  ) {}

  static async connect(
    connectUrl: string,
    redacted: string,
    exchange: string,
    maxMessageBytes: number,
    logger: Logger,
    opts: TransportOptions,
  ): Promise<AmqpTransport> {
    const t = new AmqpTransport(connectUrl, redacted, exchange, maxMessageBytes, logger, opts);
    const deadline = Date.now() + (opts.connectTimeoutMs ?? 30_000);
    for (let attempt = 0; ; attempt++) {
      try {
        await t.open();
        return t;
      } catch (err) {
        if (Date.now() + t.backoff(attempt) > deadline) {
          throw new TransportUnavailable({ url: redacted, reason: (err as Error).message });
        }
        await sleep(t.backoff(attempt));
      }
    }
  }

  async publish(dest: Destination, body: Buffer, opts: PublishOptions): Promise<void> {
    const [exchange, type, routingKey] = dest.fanout
      ? [`${dest.topic}_fanout`, 'fanout' as const, '']
      : [dest.exchange, 'topic' as const, dest.server ? `${dest.topic}.${dest.server}` : dest.topic];
    const props: Options.Publish =
      opts.expirationMs === undefined ? BASE_PROPERTIES : { ...BASE_PROPERTIES, expiration: String(Math.max(1, Math.ceil(opts.expirationMs))) };
    if (!opts.confirm && type === 'topic' && this.declaredExchanges.has(exchange) && (await this.tryWrite('plain', exchange, routingKey, body, props))) return;
    for (;;) {
      const ch = await this.channel(opts.confirm ? 'confirm' : 'plain', opts.deadline);
      try {
        await this.declareExchange(ch, exchange, type);
        if (opts.confirm) await this.publishConfirmed(ch as ConfirmChannel, exchange, routingKey, body, props, opts.deadline);
        else await this.write(ch, exchange, routingKey, body, props);
        return;
      } catch (err) {
        if (err instanceof MessageDeliveryFailure) throw err;
        if (this.closed) throw new TransportClosed({ url: this.url });
        // The channel died under us before the broker took the message (or before it
        // confirmed it): publish again once reconnected. A duplicate is possible and is
        // dropped by the receiver's _unique_id check.
        this.logger.debug({ err, exchange, routingKey }, 'publish interrupted; retrying after reconnect');
        if (Date.now() >= opts.deadline) throw new MessageDeliveryFailure({ reason: `publish to ${exchange} interrupted: ${(err as Error).message}` });
        await sleep(10);
      }
    }
  }

  async publishReply(replyQueue: string, body: Buffer, deadline: number): Promise<void> {
    // mandatory: a reply to a vanished queue comes back as basic.return and is logged.
    const props = { ...BASE_PROPERTIES, mandatory: true };
    if (await this.tryWrite('plain', '', replyQueue, body, props)) return this.replies.sent(replyQueue, body);
    for (;;) {
      const ch = await this.channel('plain', deadline);
      try {
        await this.write(ch, '', replyQueue, body, props);
        this.replies.sent(replyQueue, body);
        return;
      } catch (err) {
        if (this.closed) throw new TransportClosed({ url: this.url });
        if (Date.now() >= deadline) throw new MessageDeliveryFailure({ reason: `reply to ${replyQueue}: ${(err as Error).message}` });
        await sleep(10);
      }
    }
  }

  async listen(spec: ListenSpec, deliver: Deliver): Promise<Subscription> {
    const topicExchange = { name: spec.exchange, type: 'topic' as const, autoDelete: false };
    return this.subscribe(
      [
        { name: spec.topic, exchange: topicExchange },
        { name: `${spec.topic}.${spec.server}`, exchange: topicExchange },
        {
          name: `${spec.topic}_fanout_${uuidHex()}`,
          exchange: { name: `${spec.topic}_fanout`, type: 'fanout', autoDelete: true },
          routingKey: spec.topic,
          args: { 'x-expires': TRANSIENT_QUEUE_TTL_MS },
          deleteOnStop: true,
        },
      ],
      deliver,
      'first',
    );
  }

  async listenReplies(deliver: Deliver): Promise<ReplySubscription> {
    const queue = `reply_${uuidHex()}`;
    // Acknowledged (not noAck): a reply in flight when the connection drops is then
    // redelivered after the reconnect instead of lost.
    const sub = await this.subscribe([{ name: queue, args: { 'x-expires': TRANSIENT_QUEUE_TTL_MS }, deleteOnStop: true }], deliver, 'batched');
    return { queue, ended: sub.ended, stop: () => sub.stop() };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await Promise.all([...this.subs].map((s) => s.stop()));
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    for (const wake of this.readyWaiters) wake();
    const conn = this.conn;
    this.conn = undefined;
    await conn?.close().catch(() => undefined);
  }

  private async subscribe(queues: QueueSpec[], deliver: Deliver, ackMode: AckMode): Promise<Subscription> {
    const sub = new AmqpSubscription(queues, deliver, ackMode, this.logger, (s) => this.scheduleAttach(s, 0));
    const deadline = Date.now() + (this.opts.connectTimeoutMs ?? 30_000);
    for (;;) {
      const conn = await this.connection(deadline);
      try {
        await sub.attach(conn);
        break;
      } catch (err) {
        // A channel error (e.g. a queue declared elsewhere with other arguments) is the
        // caller's to see; a connection lost meanwhile is retried on the next one.
        if (this.conn === conn || Date.now() >= deadline) throw err;
      }
    }
    this.subs.add(sub);
    void sub.ended.then(() => this.subs.delete(sub));
    return sub;
  }

  private async open(): Promise<void> {
    const url = this.opts.heartbeatS === undefined ? this.connectUrl : withQuery(this.connectUrl, 'heartbeat', String(this.opts.heartbeatS));
    const conn = await amqp.connect(url, {
      noDelay: true,
      clientProperties: { connection_name: this.opts.connectionName ?? `novakit-rpc ${process.pid}` },
      ...(this.opts.tls ?? {}),
    });
    conn.on('error', (err: Error) => this.logger.warn({ err, url: this.url }, 'AMQP connection error'));
    conn.on('blocked', (reason: string) => this.logger.warn({ reason, url: this.url }, 'AMQP connection blocked by the broker'));
    let alive = true;
    conn.on('close', (err?: Error) => {
      alive = false;
      this.onDisconnect(conn, err);
    });
    for (const sub of this.subs) {
      try {
        await sub.attach(conn);
      } catch (err) {
        if (!alive) throw err;
        // One consumer that cannot attach (a channel error) must not keep the others and
        // every publisher waiting: it retries on its own.
        this.logger.error({ err, queues: sub.queues.map((q) => q.name) }, 'consumer attach failed');
        this.scheduleAttach(sub, 1);
      }
    }
    if (!alive) throw new Error('connection closed while attaching consumers');
    if (this.closed) {
      await conn.close().catch(() => undefined);
      return;
    }
    this.conn = conn;
    for (const wake of this.readyWaiters) wake();
    this.readyWaiters.clear();
    for (const r of this.replies.takeReplay()) {
      this.publishReply(r.queue, r.body, Date.now() + 10_000).catch((err: Error) => this.logger.debug({ err: err.message }, 'reply replay failed'));
    }
  }

  private onDisconnect(conn: ChannelModel, err: Error | undefined): void {
    if (this.conn !== conn) return;
    this.conn = undefined;
    this.channels = {};
    this.openChannels = {};
    this.declaredExchanges.clear();
    this.replies.connectionLost();
    for (const sub of this.subs) sub.detach();
    if (this.closed) return;
    this.logger.warn({ err, url: this.url }, 'AMQP connection lost; reconnecting');
    this.scheduleReconnect(0);
  }

  private scheduleReconnect(attempt: number): void {
    this.reconnectTimer = setTimeout(() => {
      this.open().then(
        () => this.logger.info({ url: this.url, attempt }, 'AMQP connection re-established'),
        (err: Error) => {
          if (this.closed) return;
          this.logger.warn({ err: err.message, url: this.url, attempt }, 'AMQP reconnect failed');
          this.scheduleReconnect(attempt + 1);
        },
      );
    }, this.backoff(attempt));
  }

  private scheduleAttach(sub: AmqpSubscription, attempt: number): void {
    setTimeout(() => {
      const conn = this.conn;
      if (!conn || sub.stopped) return; // the reconnect attaches it
      sub.attach(conn).catch((err: Error) => {
        this.logger.warn({ err: err.message, queues: sub.queues.map((q) => q.name) }, 'consumer re-attach failed');
        this.scheduleAttach(sub, attempt + 1);
      });
    }, this.backoff(attempt));
  }

  private backoff(attempt: number): number {
    const initial = this.opts.reconnect?.initialDelayMs ?? 100;
    const max = this.opts.reconnect?.maxDelayMs ?? 5000;
    return Math.min(max, initial * 2 ** attempt) * (0.8 + Math.random() * 0.4);
  }

  private async connection(deadline: number): Promise<ChannelModel> {
    for (;;) {
      if (this.closed) throw new TransportClosed({ url: this.url });
      if (this.conn) return this.conn;
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new MessageDeliveryFailure({ reason: `no connection to ${this.url}` });
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, remaining);
        function done(): void {
          clearTimeout(timer);
          resolve();
        }
        this.readyWaiters.add(done);
      });
    }
  }

  private async channel(kind: ChannelKind, deadline: number): Promise<Channel> {
    for (;;) {
      const conn = await this.connection(deadline);
      let pending = this.channels[kind];
      if (!pending) {
        pending = kind === 'confirm' ? conn.createConfirmChannel() : conn.createChannel();
        this.channels[kind] = pending;
        pending.then(
          (ch) => this.watchChannel(ch, kind, pending!),
          () => {
            if (this.channels[kind] === pending) delete this.channels[kind];
          },
        );
      }
      try {
        return await pending;
      } catch (err) {
        if (Date.now() >= deadline) throw err;
      }
    }
  }

  private watchChannel(ch: Channel, kind: ChannelKind, pending: Promise<Channel>): void {
    if (this.channels[kind] === pending) this.openChannels[kind] = ch;
    ch.on('error', (err: Error) => this.logger.warn({ err, kind }, 'AMQP channel error'));
    ch.on('close', () => {
      if (this.channels[kind] === pending) delete this.channels[kind];
      if (this.openChannels[kind] === ch) delete this.openChannels[kind];
      // A channel error may be a 404 on an exchange deleted behind our back: declare again.
      this.declaredExchanges.clear();
    });
    ch.on('return', (msg: { fields: { routingKey: string } }) => {
      this.logger.warn({ reply_q: msg.fields.routingKey }, 'reply queue does not exist; reply dropped');
    });
  }

  private async declareExchange(ch: Channel, name: string, type: 'topic' | 'fanout'): Promise<void> {
    // A fanout exchange is auto-delete (it vanishes with its last server), so it is
    // asserted before every fanout cast; the topic exchange once per connection.
    if (type === 'topic' && this.declaredExchanges.has(name)) return;
    await ch.assertExchange(name, type, { durable: false, autoDelete: type === 'fanout' });
    if (type === 'topic') this.declaredExchanges.add(name);
  }

  /** Publishes on an already open channel; false (nothing sent) when there is none or it just died. */
  private tryWrite(kind: ChannelKind, exchange: string, routingKey: string, body: Buffer, props: Options.Publish): boolean | Promise<boolean> {
    const ch = this.openChannels[kind];
    if (!ch) return false;
    try {
      if (ch.publish(exchange, routingKey, body, props)) return true;
    } catch {
      return false;
    }
    return drained(ch).then(() => true);
  }

  private async write(ch: Channel, exchange: string, routingKey: string, body: Buffer, props: Options.Publish): Promise<void> {
    if (!ch.publish(exchange, routingKey, body, props)) await drained(ch);
  }

  private publishConfirmed(
    ch: ConfirmChannel,
    exchange: string,
    routingKey: string,
    body: Buffer,
    props: Options.Publish,
    deadline: number,
  ): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new MessageDeliveryFailure({ reason: `no publisher confirm from ${this.url} before the deadline` })),
        Math.max(0, deadline - Date.now()),
      );
      const onConfirm = (err: unknown): void => {
        clearTimeout(timer);
        if (!err) resolve();
        // amqplib reports a nack as 'message nacked' and a lost channel as 'channel closed';
        // only the latter is worth publishing again.
        else if ((err as Error).message === 'message nacked') reject(new MessageDeliveryFailure({ reason: `broker nacked the message to ${exchange}` }));
        else reject(err as Error);
      };
      try {
        ch.publish(exchange, routingKey, body, props, onConfirm);
      } catch (err) {
        onConfirm(err);
      }
    });
  }
}

/** Socket buffer full: wait for it to drain (or for the channel to die) before going on. */
function drained(ch: Channel): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = (): void => {
      ch.off('drain', done);
      ch.off('close', done);
      resolve();
    };
    ch.on('drain', done);
    ch.on('close', done);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function withQuery(url: string, key: string, value: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}${key}=${encodeURIComponent(value)}`;
}
