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
  /** When the call times out, on the monotonic clock (`performance.now()`). */
  deadline: number;
  /** The timeout as configured, for the error. */
  callTimeoutMs: number;
  monitor?: { ms: number; timer: NodeJS.Timeout };
  result: unknown;
  failure: string | null;
}

const waiters = new WeakMap<Transport, ReplyWaiter>();

export class ReplyWaiter {
  private subscription: Promise<ReplySubscription> | undefined;
  /** Known once the reply queue exists; saves the common path an await. */
  queueName: string | undefined;
  private readonly waiting = new Map<string, Waiting>();
  private readonly seen = new RecentIds();
  /**
   * One timer for every waiting call instead of a setTimeout (and clearTimeout) per call:
   * it is armed for the earliest deadline and, when it fires, fails the calls whose time is
   * up and re-arms itself for the next. It holds the process open only while calls wait.
   */
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;

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
  expect(msgId: string, timeoutMs: number, monitorMs?: number, callTimeoutMs = timeoutMs): Promise<ReplyOutcome> {
    const deadline = performance.now() + timeoutMs;
    return new Promise<ReplyOutcome>((resolve, reject) => {
      const waiting: Waiting = { resolve, reject, deadline, callTimeoutMs, result: null, failure: null };
      if (monitorMs) waiting.monitor = { ms: monitorMs, timer: setTimeout(() => this.monitorExpired(msgId), monitorMs) };
      this.waiting.set(msgId, waiting);
      if (this.waiting.size === 1) this.timer?.ref();
      if (deadline < this.timerAt) this.arm(deadline);
    });
  }

  /** Stops waiting for `msgId` (its request could not be sent). */
  cancel(msgId: string): void {
    this.settle(msgId);
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
      w.monitor.timer = setTimeout(() => this.monitorExpired(reply.msgId), w.monitor.ms);
    }
  }

  private monitorExpired(msgId: string): void {
    const w = this.waiting.get(msgId);
    if (w?.monitor) this.fail(msgId, new MessagingTimeout({ msgId, timeoutMs: w.monitor.ms }));
  }

  private arm(at: number): void {
    clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => this.expire(), Math.max(1, Math.ceil(at - performance.now())));
  }

  /** The timer fired: fail the calls whose deadline passed, re-arm for the earliest left. */
  private expire(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = performance.now();
    let next = Infinity;
    for (const [msgId, w] of this.waiting) {
      if (w.deadline <= now) this.fail(msgId, new MessagingTimeout({ msgId, timeoutMs: w.callTimeoutMs }));
      else if (w.deadline < next) next = w.deadline;
    }
    if (next !== Infinity) this.arm(next);
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
    if (w.monitor) clearTimeout(w.monitor.timer);
    // Nothing left to time out: the timer stays armed but no longer holds the process.
    if (this.waiting.size === 0) this.timer?.unref();
  }

  private onEnded(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
    this.subscription = undefined;
    this.queueName = undefined;
    for (const msgId of [...this.waiting.keys()]) this.fail(msgId, new TransportClosed({ url: this.transport.url }));
    waiters.delete(this.transport);
  }
}
