/**
 * The RPC client: `call` (awaits a reply), `cast` (fire and forget, confirmed by the
 * broker), fanout casts, `prepare` for per-call overrides, and version caps checked before
 * anything is sent, as oslo's RPCClient does.
 */
import type { Logger } from 'pino';
import type { VersionCap } from './api-history.js';
import type { RequestContext } from './context.js';
import { InvalidTarget, MessagingTimeout, RPCVersionCapError } from './errors.js';
import { decodeFailure, ErrorRegistry } from './failures.js';
import { uuidHex } from './ids.js';
import { encodeRequest } from './message.js';
import { ReplyWaiter } from './replies.js';
import { jsonSerializer, type Serializer } from './serializer.js';
import { formatTarget, type Target } from './target.js';
import type { Destination, Transport } from './transport.js';
import { isValidVersion, versionIsCompatible } from './version.js';

/** oslo's rpc_response_timeout. */
export const DEFAULT_TIMEOUT_MS = 60_000;

export interface RpcClientOptions<Ctx> {
  /** Default: JSON entities and the default RequestContext. */
  serializer?: Serializer<Ctx>;
  /** Call timeout, also the TTL of the request and the deadline for a cast's confirm. */
  timeoutMs?: number;
  versionCap?: VersionCap;
  /** Error classes re-raised by name; default: the rpc lib's own errors. */
  errors?: ErrorRegistry;
  logger?: Logger;
}

export interface PrepareOptions {
  topic?: string;
  server?: string;
  namespace?: string | null;
  version?: string;
  fanout?: boolean;
  exchange?: string;
  timeoutMs?: number;
  /** Ask the server for heartbeats and fail when none arrives for this long (oslo's call_monitor_timeout). */
  callMonitorTimeoutMs?: number;
}

/** Shared by a client and everything prepared from it, so a cap is resolved once. */
class CapState {
  private resolved: Promise<string | undefined> | string | undefined;
  private asked = false;
  private generation = 0;
  constructor(readonly setting: VersionCap) {}

  get(): Promise<string | undefined> | string | undefined {
    if (typeof this.setting !== 'function') return this.setting ?? undefined;
    if (!this.asked) {
      this.asked = true;
      const generation = this.generation;
      const provider = this.setting;
      const pending = Promise.resolve()
        .then(() => provider())
        .then((v) => {
          if (generation === this.generation) this.resolved = v ?? undefined;
          return v ?? undefined;
        })
        .catch((err: unknown) => {
          if (generation === this.generation) this.asked = false; // ask again next time
          throw err;
        });
      this.resolved = pending;
    }
    return this.resolved;
  }

  reset(): void {
    this.generation++;
    this.asked = false;
    this.resolved = undefined;
  }
}

interface CallSettings extends Target {
  timeoutMs: number;
  callMonitorTimeoutMs?: number;
}

/** What a client and the clients prepared from it have in common. */
interface Shared<Ctx> {
  serializer: Serializer<Ctx>;
  errors: ErrorRegistry;
  log: Logger;
  cap: CapState;
}

export class RpcClient<Ctx = RequestContext> {
  private readonly settings: Readonly<CallSettings>;
  private readonly shared: Shared<Ctx>;

  constructor(
    private readonly transport: Transport,
    target: Target,
    options: RpcClientOptions<Ctx> = {},
  ) {
    checkVersion(target);
    this.settings = { ...target, timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS };
    this.shared = {
      serializer: options.serializer ?? (jsonSerializer as unknown as Serializer<Ctx>),
      errors: options.errors ?? ErrorRegistry.withDefaults(),
      log: options.logger ?? transport.logger,
      cap: new CapState(options.versionCap),
    };
  }

  get target(): Readonly<Target> {
    return this.settings;
  }

  /** A client with overrides; it shares the version cap (and its resolution) with this one. */
  prepare(overrides: PrepareOptions): RpcClient<Ctx> {
    const settings: CallSettings = { ...this.settings };
    for (const [k, v] of Object.entries(overrides)) if (v !== undefined) (settings as unknown as Record<string, unknown>)[k] = v;
    checkVersion(settings);
    // Prepared per call in hot paths (as Nova's rpcapi does), so nothing is rebuilt here.
    const prepared = Object.create(RpcClient.prototype) as RpcClient<Ctx>;
    return Object.assign(prepared, { transport: this.transport, settings, shared: this.shared });
  }

  /** The cap in force (a provider is asked once, until `resetVersionCap`). */
  async versionCap(): Promise<string | undefined> {
    return this.shared.cap.get();
  }

  /** Forget a provider's answer (e.g. after the set of live services changed). */
  resetVersionCap(): void {
    this.shared.cap.reset();
  }

  /** Whether `version` (default: the target's) is within the cap. */
  async canSendVersion(version: string | undefined = this.settings.version): Promise<boolean> {
    return versionIsCompatible(await this.shared.cap.get(), version);
  }

  async call<T = unknown>(ctx: Ctx, method: string, args: Record<string, unknown> = {}): Promise<T> {
    const s = this.settings;
    if (s.fanout) throw new InvalidTarget({ reason: 'A call cannot be used with fanout', target: formatTarget(s) });
    const dest = this.destination();
    const { wireArgs, context } = this.serialize(ctx, args);
    const capCheck = this.checkCap();
    if (capCheck) await capCheck;
    const deadline = Date.now() + s.timeoutMs;
    const waiter = ReplyWaiter.for(this.transport);
    const msgId = uuidHex();
    const replyQueue =
      waiter.queueName ?? (await beforeDeadline(waiter.queue(), deadline, () => new MessagingTimeout({ msgId, timeoutMs: s.timeoutMs })));
    const body = encodeRequest(
      {
        method,
        args: wireArgs,
        namespace: s.namespace,
        version: s.version,
        reply: { msgId, replyQueue, monitorTimeoutS: s.callMonitorTimeoutMs ? s.callMonitorTimeoutMs / 1000 : null },
        uniqueId: uuidHex(),
        context,
      },
      this.transport.maxMessageBytes,
    );
    const pending = waiter.expect(msgId, Math.max(1, deadline - Date.now()), s.callMonitorTimeoutMs, s.timeoutMs);
    try {
      await this.transport.publish(dest, body, { expirationMs: s.timeoutMs, confirm: false, deadline });
    } catch (err) {
      waiter.cancel(msgId);
      throw err;
    }
    let outcome;
    try {
      outcome = await pending;
    } catch (err) {
      this.shared.log.warn({ request_id: context.request_id, method, msg_id: msgId, err: (err as Error).message }, 'RPC call failed without a reply');
      throw err;
    }
    if (outcome.failure !== null) throw this.shared.errors.rebuild(decodeFailure(outcome.failure));
    return (await this.shared.serializer.deserializeEntity(ctx, outcome.result)) as T;
  }

  /** Resolves once the broker has accepted the message (publisher confirm on AMQP). */
  async cast(ctx: Ctx, method: string, args: Record<string, unknown> = {}): Promise<void> {
    const s = this.settings;
    const dest = this.destination();
    const { wireArgs, context } = this.serialize(ctx, args);
    const capCheck = this.checkCap();
    if (capCheck) await capCheck;
    const body = encodeRequest(
      { method, args: wireArgs, namespace: s.namespace, version: s.version, uniqueId: uuidHex(), context },
      this.transport.maxMessageBytes,
    );
    await this.transport.publish(dest, body, { confirm: true, deadline: Date.now() + s.timeoutMs });
  }

  private destination(): Destination {
    const s = this.settings;
    if (!s.topic) throw new InvalidTarget({ reason: 'A topic is required to send', target: formatTarget(s) });
    return { exchange: s.exchange ?? this.transport.exchange, topic: s.topic, server: s.server, fanout: s.fanout };
  }

  private serialize(ctx: Ctx, args: Record<string, unknown>): { wireArgs: Record<string, unknown>; context: Record<string, unknown> } {
    const wireArgs: Record<string, unknown> = {};
    for (const key of Object.keys(args)) wireArgs[key] = this.shared.serializer.serializeEntity(ctx, args[key]);
    return { wireArgs, context: this.shared.serializer.serializeContext(ctx) };
  }

  /** Synchronous unless the cap comes from a provider not asked yet. */
  private checkCap(): void | Promise<void> {
    const cap = this.shared.cap.get();
    if (typeof cap === 'object') return cap.then((c) => this.compareCap(c));
    this.compareCap(cap);
  }

  private compareCap(cap: string | undefined): void {
    const version = this.settings.version ?? null;
    if (!versionIsCompatible(cap, version)) throw new RPCVersionCapError({ version, versionCap: cap! });
  }
}

function checkVersion(target: Target): void {
  if (target.version !== undefined && !isValidVersion(target.version)) {
    throw new InvalidTarget({ reason: 'Version must contain a major and minor integer', target: formatTarget(target) });
  }
}

async function beforeDeadline<T>(p: Promise<T>, deadline: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(onTimeout()), Math.max(0, deadline - Date.now()))));
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
