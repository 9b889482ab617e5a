/**
 * RabbitMQ transport following oslo.messaging's rabbit driver: a non-durable topic
 * exchange (`openstack` by default) with `<topic>` and `<topic>.<server>` queues,
 * `<topic>_fanout` exchanges, `reply_<uuid>` queues on the default exchange, and the
 * message properties of the captured Python frames. Connection handling: AmqpLink.
 *
 * Casts wait for publisher confirms and are published again if the connection drops
 * first (receivers drop duplicates by _unique_id). Calls are at-most-once, as in oslo.
 * Replies are not confirmed (a confirm per reply costs the server a wakeup per call);
 * instead the replies written shortly before a connection loss, which may have died in
 * the socket, are published again after the reconnect.
 */
import type { Channel, ChannelModel, ConfirmChannel, Options } from 'amqplib';
import type { Logger } from 'pino';
import { MessageDeliveryFailure, TransportClosed } from '../errors.js';
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
import { AmqpLink, sleep } from './amqp-link.js';
import { type AckMode, AmqpSubscription, type QueueSpec } from './amqp-subscription.js';
import { ReplyReplay } from './reply-replay.js';

const BASE_PROPERTIES = { contentType: 'application/json', contentEncoding: 'utf-8', deliveryMode: 2, priority: 0, headers: {} };
const REPLY_PROPERTIES = { ...BASE_PROPERTIES, mandatory: true };

export class AmqpTransport implements Transport {
  private readonly link: AmqpLink;
  private readonly subs = new Set<AmqpSubscription>();
  private readonly replies = new ReplyReplay();

  private constructor(
    connectUrl: string,
    readonly url: string,
    readonly exchange: string,
    readonly maxMessageBytes: number,
    readonly logger: Logger,
    private readonly opts: TransportOptions,
  ) {
    this.link = new AmqpLink(connectUrl, url, opts, logger, {
      attach: (conn, main) => this.attachAll(conn, main),
      ready: () => this.replayReplies(),
      detach: (what) => this.detachAll(what),
    });
  }

  static async connect(
    connectUrl: string,
    redacted: string,
    exchange: string,
    maxMessageBytes: number,
    logger: Logger,
    opts: TransportOptions,
  ): Promise<AmqpTransport> {
    const t = new AmqpTransport(connectUrl, redacted, exchange, maxMessageBytes, logger, opts);
    await t.link.start();
    return t;
  }

  get closed(): boolean {
    return this.link.closed;
  }

  async publish(dest: Destination, body: Buffer, opts: PublishOptions): Promise<void> {
    const [exchange, type, routingKey] = dest.fanout
      ? [`${dest.topic}_fanout`, 'fanout' as const, '']
      : [dest.exchange, 'topic' as const, dest.server ? `${dest.topic}.${dest.server}` : dest.topic];
    const props: Options.Publish =
      opts.expirationMs === undefined ? BASE_PROPERTIES : { ...BASE_PROPERTIES, expiration: String(Math.max(1, Math.ceil(opts.expirationMs))) };
    if (type === 'topic' && this.link.declared.has(exchange)) {
      if (!opts.confirm) {
        if (await this.tryWrite(exchange, routingKey, body, props)) return;
      } else {
        // The common cast: confirm channel open, exchange declared; no channel lookup to await.
        const ch = this.link.openChannel('confirm') as ConfirmChannel | undefined;
        if (ch) {
          try {
            return await this.publishConfirmed(ch, exchange, routingKey, body, props, opts.deadline);
          } catch (err) {
            if (err instanceof MessageDeliveryFailure) throw err;
            if (this.closed) throw new TransportClosed({ url: this.url });
            // The channel died before the confirm: publish again below, once reconnected.
            this.logger.debug({ err, exchange, routingKey }, 'publish interrupted; retrying after reconnect');
          }
        }
      }
    }
    for (;;) {
      const ch = await this.link.channel(opts.confirm ? 'confirm' : 'main', opts.deadline);
      try {
        await this.declareExchange(ch, exchange, type);
        if (opts.confirm) await this.publishConfirmed(ch as ConfirmChannel, exchange, routingKey, body, props, opts.deadline);
        else if (!ch.publish(exchange, routingKey, body, props)) await drained(ch);
        return;
      } catch (err) {
        if (err instanceof MessageDeliveryFailure) throw err;
        if (this.closed) throw new TransportClosed({ url: this.url });
        // The channel died before the broker took (or confirmed) the message: publish
        // again once reconnected.
        this.logger.debug({ err, exchange, routingKey }, 'publish interrupted; retrying after reconnect');
        if (Date.now() >= opts.deadline) throw new MessageDeliveryFailure({ reason: `publish to ${exchange} interrupted: ${(err as Error).message}` });
        await sleep(10);
      }
    }
  }

  async publishReply(replyQueue: string, body: Buffer, deadline: number): Promise<void> {
    // mandatory: a reply to a vanished queue comes back as basic.return and is logged.
    if (await this.tryWrite('', replyQueue, body, REPLY_PROPERTIES)) return this.replies.sent(replyQueue, body);
    for (;;) {
      const ch = await this.link.channel('main', deadline);
      try {
        if (!ch.publish('', replyQueue, body, REPLY_PROPERTIES)) await drained(ch);
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
    await this.link.close();
  }

  private async subscribe(queues: QueueSpec[], deliver: Deliver, ackMode: AckMode): Promise<Subscription> {
    const sub = new AmqpSubscription(queues, deliver, ackMode, this.logger, (s) => this.scheduleAttach(s, 0));
    const deadline = Date.now() + (this.opts.connectTimeoutMs ?? 30_000);
    for (;;) {
      const main = await this.link.channel('main', deadline);
      const conn = await this.link.connection(deadline);
      try {
        await sub.attach(conn, main);
        break;
      } catch (err) {
        // A refused declaration (e.g. a queue declared elsewhere with other arguments) is
        // the caller's to see; a connection lost meanwhile is retried on the next one.
        if (this.link.openChannel('main') === main || Date.now() >= deadline) throw err;
      }
    }
    this.subs.add(sub);
    void sub.ended.then(() => this.subs.delete(sub));
    return sub;
  }

  private async attachAll(conn: ChannelModel, main: Channel): Promise<void> {
    for (const sub of this.subs) {
      try {
        await sub.attach(conn, main);
      } catch (err) {
        // One consumer that cannot attach must not keep the others and every publisher
        // waiting: it retries on its own (a lost connection fails the whole attempt anyway).
        this.logger.error({ err, queues: sub.queues.map((q) => q.name) }, 'consumer attach failed');
        this.scheduleAttach(sub, 1);
      }
    }
  }

  private detachAll(what: 'connection' | 'channel'): void {
    this.replies.connectionLost();
    for (const sub of this.subs) sub.detach();
    if (what === 'connection') return; // the link attaches everything after reconnecting
    for (const sub of this.subs) this.scheduleAttach(sub, 0);
    this.replayReplies();
  }

  private replayReplies(): void {
    for (const r of this.replies.takeReplay()) {
      this.publishReply(r.queue, r.body, Date.now() + 10_000).catch((err: Error) => this.logger.debug({ err: err.message }, 'reply replay failed'));
    }
  }

  private scheduleAttach(sub: AmqpSubscription, attempt: number): void {
    setTimeout(() => {
      if (sub.stopped || this.closed) return;
      const deadline = Date.now() + 5000;
      Promise.all([this.link.channel('main', deadline), this.link.connection(deadline)])
        .then(([main, conn]) => sub.attach(conn, main))
        .catch((err: Error) => {
          this.logger.warn({ err: err.message, queues: sub.queues.map((q) => q.name) }, 'consumer re-attach failed');
          this.scheduleAttach(sub, attempt + 1);
        });
    }, this.link.backoff(attempt));
  }

  private async declareExchange(ch: Channel, name: string, type: 'topic' | 'fanout'): Promise<void> {
    // A fanout exchange is auto-delete (it vanishes with its last server), so it is
    // asserted before every fanout cast; the topic exchange once per connection.
    if (type === 'topic' && this.link.declared.has(name)) return;
    await ch.assertExchange(name, type, { durable: false, autoDelete: type === 'fanout' });
    if (type === 'topic') this.link.declared.add(name);
  }

  /** Publishes on the open main channel; false (nothing sent) when there is none or it just died. */
  private tryWrite(exchange: string, routingKey: string, body: Buffer, props: Options.Publish): boolean | Promise<boolean> {
    const ch = this.link.openChannel('main');
    if (!ch) return false;
    try {
      if (ch.publish(exchange, routingKey, body, props)) return true;
    } catch {
      return false;
    }
    return drained(ch).then(() => true);
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
      const onConfirm = confirmHandler(timer, exchange, resolve, reject);
      try {
        ch.publish(exchange, routingKey, body, props, onConfirm);
      } catch (err) {
        onConfirm(err);
      }
    });
  }
}

/** (A factory, not a local arrow function: tsx names those with a defineProperty per cast.) */
function confirmHandler(timer: NodeJS.Timeout, exchange: string, resolve: () => void, reject: (err: Error) => void): (err: unknown) => void {
  return (err) => {
    clearTimeout(timer);
    if (!err) resolve();
    // amqplib reports a nack as 'message nacked' and a lost channel as 'channel closed';
    // only the latter is worth publishing again.
    else if ((err as Error).message === 'message nacked') reject(new MessageDeliveryFailure({ reason: `broker nacked the message to ${exchange}` }));
    else reject(err as Error);
  };
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
