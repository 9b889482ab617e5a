/**
 * One reply queue per transport, created on the first call (oslo: one per process), and
 * the calls waiting on it, keyed by `_msg_id`.
 */
import { MessagingTimeout, TransportClosed } from './errors.js';
import { RecentIds } from './dedupe.js';
import { decodeReply } from './message.js';
import type { ReplySubscription, Transport } from './transport.js';

export interface ReplyOutcome {
  result: unknown;
  failure: string | null;
}

interface Waiting {
  resolve(outcome: ReplyOutcome): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
  monitor?: { ms: number; timer: NodeJS.Timeout };
  result: unknown;
  failure: string | null;
}

export interface PendingReply {
  readonly promise: Promise<ReplyOutcome>;
  cancel(): void;
}

const waiters = new WeakMap<Transport, ReplyWaiter>();

export class ReplyWaiter {
  private subscription: Promise<ReplySubscription> | undefined;
  /** Known once the reply queue exists; saves the common path an await. */
  queueName: string | undefined;
  private readonly waiting = new Map<string, Waiting>();
  private readonly seen = new RecentIds();

  private constructor(private readonly transport: Transport) {}

  static for(transport: Transport): ReplyWaiter {
    let w = waiters.get(transport);
    if (!w) waiters.set(transport, (w = new ReplyWaiter(transport)));
    return w;
  }

  /** The reply queue name, declaring and consuming it on first use. */
  async queue(): Promise<string> {
    if (!this.subscription) {
      const sub = this.transport.listenReplies((body) => this.onReply(body));
      this.subscription = sub;
      sub.then(
        (s) => {
          this.queueName = s.queue;
          void s.ended.then(() => this.onEnded());
        },
        () => {
          if (this.subscription === sub) this.subscription = undefined;
        },
      );
    }
    return (await this.subscription).queue;
  }

  /**
   * Starts waiting for `msgId` before the request is published, so a fast reply cannot be
   * missed. `monitorMs` is the call-monitor window: heartbeats (`ending: false`) renew it.
   * `callTimeoutMs` is the caller's timeout as configured, which the error reports (the timer
   * itself runs for what is left of it).
   */
  expect(msgId: string, timeoutMs: number, monitorMs?: number, callTimeoutMs = timeoutMs): PendingReply {
    let waiting!: Waiting;
    const promise = new Promise<ReplyOutcome>((resolve, reject) => {
      const timeout = (): void => this.fail(msgId, new MessagingTimeout({ msgId, timeoutMs: callTimeoutMs }));
      waiting = { resolve, reject, timer: setTimeout(timeout, timeoutMs), result: null, failure: null };
      if (monitorMs) waiting.monitor = { ms: monitorMs, timer: setTimeout(timeout, monitorMs) };
    });
    this.waiting.set(msgId, waiting);
    return { promise, cancel: () => this.settle(msgId) };
  }

  private onReply(body: Buffer): void {
    let reply;
    try {
      reply = decodeReply(body, this.transport.maxMessageBytes);
    } catch (err) {
      this.transport.logger.warn({ err: (err as Error).message, bytes: body.length }, 'dropping undecodable reply');
      return;
    }
    if (reply.uniqueId !== null && this.seen.checkAndAdd(reply.uniqueId)) {
      // Expected after a reconnect (redelivered or replayed replies), hence debug.
      this.transport.logger.debug({ msg_id: reply.msgId, unique_id: reply.uniqueId }, 'ignoring duplicate reply');
      return;
    }
    const w = this.waiting.get(reply.msgId);
    if (!w) {
      this.transport.logger.info({ msg_id: reply.msgId }, 'no call waiting for this reply (timed out?)');
      return;
    }
    if (reply.failure !== null) w.failure = reply.failure;
    if (reply.result !== null) w.result = reply.result;
    if (reply.ending) {
      this.settle(reply.msgId);
      w.resolve({ result: w.result, failure: w.failure });
    } else if (w.monitor) {
      clearTimeout(w.monitor.timer);
      w.monitor.timer = setTimeout(() => this.fail(reply.msgId, new MessagingTimeout({ msgId: reply.msgId, timeoutMs: w.monitor!.ms })), w.monitor.ms);
    }
  }

  private fail(msgId: string, err: Error): void {
    const w = this.waiting.get(msgId);
    if (!w) return;
    this.settle(msgId);
    w.reject(err);
  }

  private settle(msgId: string): void {
    const w = this.waiting.get(msgId);
    if (!w) return;
    this.waiting.delete(msgId);
    clearTimeout(w.timer);
    if (w.monitor) clearTimeout(w.monitor.timer);
  }

  private onEnded(): void {
    this.subscription = undefined;
    this.queueName = undefined;
    for (const msgId of [...this.waiting.keys()]) this.fail(msgId, new TransportClosed({ url: this.transport.url }));
    waiters.delete(this.transport);
  }
}
