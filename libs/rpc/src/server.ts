/**
 * The RPC server: consumes `<topic>`, `<topic>.<server>` and its fanout queue, dispatches
 * to endpoints with up to `maxConcurrency` requests in flight, and answers calls. Nothing
 * a peer sends can stop it: undecodable or oversize messages are dropped with a log line,
 * everything else that fails is answered with a failure (calls) or logged (casts).
 */
import type { Logger } from 'pino';
import type { RequestContext } from './context.js';
import { RecentIds } from './dedupe.js';
import { Dispatcher, type Endpoint } from './dispatcher.js';
import { InvalidTarget } from './errors.js';
import { encodeFailure } from './failures.js';
import { uuidHex } from './ids.js';
import { decodeRequest, encodeReply, type IncomingRequest, type InvalidRequestError } from './message.js';
import { jsonSerializer, type Serializer } from './serializer.js';
import { formatTarget, type Target } from './target.js';
import type { Subscription, Transport } from './transport.js';

export interface RpcServerOptions<Ctx> {
  /** Default: JSON entities and the default RequestContext. */
  serializer?: Serializer<Ctx>;
  logger?: Logger;
  /** Requests processed at once (oslo's executor_thread_pool_size). Default 64. */
  maxConcurrency?: number;
  /** Send stack traces in failures, as oslo does. Default true. */
  sendTracebacks?: boolean;
  /** Error names logged at debug instead of error (oslo's @expected_exceptions). */
  expectedErrors?: string[];
  /** How long a reply may wait for the connection (oslo retries for 60 s). Default 60 s. */
  replyTimeoutMs?: number;
  /** Recent `_unique_id`s remembered to drop redeliveries. Default 1024. */
  dedupeSize?: number;
}

export class RpcServer<Ctx = RequestContext> {
  private readonly dispatcher: Dispatcher<Ctx>;
  private readonly serializer: Serializer<Ctx>;
  private readonly log: Logger;
  private readonly maxConcurrency: number;
  private readonly seen: RecentIds;
  private subscription: Subscription | undefined;
  private readonly backlog: Buffer[] = [];
  private active = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly transport: Transport,
    readonly target: Readonly<Target>,
    endpoints: Endpoint<Ctx>[],
    private readonly options: RpcServerOptions<Ctx> = {},
  ) {
    if (!target.topic || !target.server) {
      throw new InvalidTarget({ reason: "A server's target must have topic and server names specified", target: formatTarget(target) });
    }
    this.serializer = options.serializer ?? (jsonSerializer as unknown as Serializer<Ctx>);
    this.dispatcher = new Dispatcher(endpoints, this.serializer);
    this.log = (options.logger ?? transport.logger).child({ topic: target.topic, server: target.server });
    this.maxConcurrency = options.maxConcurrency ?? 64;
    this.seen = new RecentIds(options.dedupeSize ?? 1024);
  }

  get running(): boolean {
    return this.subscription !== undefined;
  }

  async start(): Promise<void> {
    if (this.subscription) return;
    const spec = { exchange: this.target.exchange ?? this.transport.exchange, topic: this.target.topic!, server: this.target.server! };
    const sub = await this.transport.listen(spec, (body) => this.enqueue(body));
    this.subscription = sub;
    void sub.ended.then(() => {
      if (this.subscription === sub) this.subscription = undefined;
    });
  }

  /**
   * Stops taking messages, lets the ones already received finish (and their replies go
   * out), then resolves. After `graceMs` it resolves anyway, with a warning.
   */
  async stop({ graceMs = 60_000 }: { graceMs?: number } = {}): Promise<void> {
    const sub = this.subscription;
    this.subscription = undefined;
    await sub?.stop();
    if (this.active === 0 && this.backlog.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const idle = new Promise<boolean>((resolve) => this.idleWaiters.push(() => resolve(true)));
    const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), graceMs)));
    const finished = await Promise.race([idle, timedOut]);
    clearTimeout(timer);
    if (!finished) this.log.warn({ active: this.active, queued: this.backlog.length }, 'stopped with requests still running');
  }

  private enqueue(body: Buffer): void {
    this.backlog.push(body);
    this.pump();
  }

  private pump(): void {
    while (this.active < this.maxConcurrency && this.backlog.length > 0) {
      const body = this.backlog.shift()!;
      this.active++;
      this.handle(body)
        .catch((err: unknown) => this.log.error({ err }, 'unexpected error while handling a message'))
        .finally(() => {
          this.active--;
          this.pump();
          if (this.active === 0 && this.backlog.length === 0) {
            for (const wake of this.idleWaiters.splice(0)) wake();
          }
        });
    }
  }

  private async handle(body: Buffer): Promise<void> {
    let req: IncomingRequest;
    try {
      req = decodeRequest(body, this.transport.maxMessageBytes);
    } catch (err) {
      const partial = (err as InvalidRequestError).request;
      if (partial?.msgId && partial.replyQueue) return this.answer(partial, () => this.log.child({ request_id: partial.context.request_id }), undefined, err);
      this.log.warn({ err: (err as Error).message, bytes: body.length }, 'dropping undecodable message');
      return;
    }
    if (req.uniqueId !== null && this.seen.checkAndAdd(req.uniqueId)) {
      this.log.warn({ unique_id: req.uniqueId, msg_id: req.msgId }, 'ignoring duplicate message');
      return;
    }
    let ctx: Ctx | undefined;
    const log = lazyChild(this.log, req, () => ctx);
    try {
      ctx = this.serializer.deserializeContext(req.context);
    } catch (err) {
      return this.answer(req, log, undefined, err);
    }
    if (this.log.isLevelEnabled('debug')) log().debug({ version: req.version, namespace: req.namespace }, req.msgId ? 'call received' : 'cast received');
    const heartbeat = this.startHeartbeat(req, log);
    try {
      const result = await this.dispatcher.dispatch(req, ctx, log);
      await this.answer(req, log, result);
    } catch (err) {
      await this.answer(req, log, undefined, err);
    } finally {
      if (heartbeat) clearInterval(heartbeat);
    }
  }

  /** Replies to a call (a cast's failure is only logged). */
  private async answer(req: IncomingRequest, log: () => Logger, result: unknown, err?: unknown): Promise<void> {
    if (err !== undefined) this.logFailure(req, log, err);
    if (!req.msgId || !req.replyQueue) return;
    let body: Buffer;
    try {
      body = this.encode(req.msgId, err === undefined ? result : null, err === undefined ? null : encodeFailure(err, this.options.sendTracebacks ?? true));
    } catch (encodeErr) {
      // An unserialisable or oversize result still gets an answer: the encoding error.
      this.logFailure(req, log, encodeErr);
      body = this.encode(req.msgId, null, encodeFailure(encodeErr, this.options.sendTracebacks ?? true));
    }
    try {
      await this.transport.publishReply(req.replyQueue, body, Date.now() + (this.options.replyTimeoutMs ?? 60_000));
    } catch (sendErr) {
      log().error({ err: sendErr, reply_q: req.replyQueue }, 'could not send the reply');
    }
  }

  private encode(msgId: string, result: unknown, failure: string | null, ending = true): Buffer {
    return encodeReply({ result, failure, ending, msgId, uniqueId: uuidHex() }, this.transport.maxMessageBytes);
  }

  private logFailure(req: IncomingRequest, log: () => Logger, err: unknown): void {
    const name = err instanceof Error ? err.name : typeof err;
    const expected = this.options.expectedErrors?.includes(name);
    log()[expected ? 'debug' : 'error']({ err, method: req.method, call: Boolean(req.msgId) }, 'RPC method failed');
  }

  /** oslo's call-monitor: `ending: false` replies every `_timeout / 2` s while the method runs. */
  private startHeartbeat(req: IncomingRequest, log: () => Logger): NodeJS.Timeout | undefined {
    if (!req.monitorTimeoutS || !req.msgId || !req.replyQueue) return undefined;
    const intervalS = req.monitorTimeoutS / 2;
    if (intervalS < 1) {
      log().warn({ timeout: req.monitorTimeoutS }, 'call-monitor timeout too short for heartbeats');
      return undefined;
    }
    const { msgId, replyQueue } = req;
    return setInterval(() => {
      this.transport
        .publishReply(replyQueue, this.encode(msgId, null, null, false), Date.now() + intervalS * 1000)
        .catch((err: unknown) => log().debug({ err }, 'call-monitor heartbeat failed'));
    }, intervalS * 1000);
  }
}

/**
 * The request's child logger, built on first use. (A factory rather than a local arrow
 * function: tsx names local functions with a defineProperty call, per request.)
 */
function lazyChild(parent: Logger, req: IncomingRequest, ctx: () => unknown): () => Logger {
  let child: Logger | undefined;
  return () => (child ??= parent.child({ request_id: requestIdOf(ctx(), req), method: req.method, msg_id: req.msgId }));
}

function requestIdOf(ctx: unknown, req: IncomingRequest): unknown {
  return (ctx as { request_id?: unknown } | undefined)?.request_id ?? req.context.request_id;
}
