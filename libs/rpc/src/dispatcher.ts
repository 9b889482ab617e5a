/**
 * Endpoints and oslo's dispatch rules: the first endpoint whose namespace accepts the
 * message and whose version is compatible, and that has the method, handles it; if some
 * endpoint matched but none had the method it is NoSuchMethod, if none matched it is
 * UnsupportedVersion. Methods come from an explicit record (never the prototype chain),
 * and names starting with `_` are private, as in oslo's default access policy.
 */
import type { Logger } from 'pino';
import { z } from 'zod';
import { InvalidArguments, InvalidMessage, NoSuchMethod, UnsupportedVersion } from './errors.js';
import type { IncomingRequest } from './message.js';
import type { Serializer } from './serializer.js';
import { parseVersion, versionIsCompatible } from './version.js';
import type { RequestContext } from './context.js';

/** What a handler gets besides the context and its arguments. */
export interface CallInfo {
  method: string;
  version: string;
  namespace: string | null;
  /** Null for casts. */
  msgId: string | null;
  /** A child logger carrying request_id, method and msg_id. */
  log: Logger;
}

export type RpcHandler<Ctx, A> = (ctx: Ctx, args: A, info: CallInfo) => unknown;

/** A method whose (deserialized) arguments are validated by a zod schema first. */
export interface ValidatedMethod<Ctx, S extends z.ZodType> {
  args: S;
  handler: RpcHandler<Ctx, z.output<S>>;
}

export type EndpointMethod<Ctx> = RpcHandler<Ctx, any> | ValidatedMethod<Ctx, z.ZodType>;

export interface EndpointTarget {
  namespace?: string | null;
  /** The newest version served; older minors of the same major are accepted. Default 1.0. */
  version?: string;
  legacyNamespaces?: (string | null)[];
}

export interface Endpoint<Ctx = RequestContext> {
  target?: EndpointTarget;
  methods: Record<string, EndpointMethod<Ctx>>;
}

export function withArgs<S extends z.ZodType, Ctx = RequestContext>(
  args: S,
  handler: RpcHandler<Ctx, z.output<S>>,
): ValidatedMethod<Ctx, S> {
  return { args, handler };
}

/** Identity with checks, so a bad endpoint fails when it is defined, not on first call. */
export function defineEndpoint<Ctx = RequestContext>(endpoint: Endpoint<Ctx>): Endpoint<Ctx> {
  if (endpoint.target?.version !== undefined) parseVersion(endpoint.target.version);
  for (const [name, m] of Object.entries(endpoint.methods)) {
    if (typeof m !== 'function' && (typeof m?.handler !== 'function' || !(m.args instanceof z.ZodType))) {
      throw new TypeError(`endpoint method ${name} is neither a function nor { args: <zod schema>, handler }`);
    }
  }
  return endpoint;
}

interface PreparedEndpoint<Ctx> {
  namespaces: (string | null)[];
  version: string;
  methods: Record<string, EndpointMethod<Ctx>>;
}

export class Dispatcher<Ctx> {
  private readonly endpoints: PreparedEndpoint<Ctx>[];

  constructor(
    endpoints: readonly Endpoint<Ctx>[],
    private readonly serializer: Serializer<Ctx>,
  ) {
    this.endpoints = endpoints.map((e) => {
      defineEndpoint(e);
      const t = e.target ?? {};
      return { namespaces: [t.namespace ?? null, ...(t.legacyNamespaces ?? [])], version: t.version ?? '1.0', methods: e.methods };
    });
  }

  /**
   * Runs the request; resolves to the serialized result, rejects with the error to send
   * back. `log` builds the request's child logger, only if something logs.
   */
  async dispatch(req: IncomingRequest, ctx: Ctx, log: () => Logger): Promise<unknown> {
    if (typeof req.method !== 'string') throw new InvalidMessage({ reason: 'method is not a string' });
    const method = req.method;
    let foundCompatible = false;
    for (const endpoint of this.endpoints) {
      if (!endpoint.namespaces.includes(req.namespace) || !versionIsCompatible(endpoint.version, req.version)) continue;
      if (Object.hasOwn(endpoint.methods, method) && !method.startsWith('_')) {
        return this.invoke(endpoint.methods[method]!, req, method, ctx, log);
      }
      foundCompatible = true;
    }
    if (foundCompatible) throw new NoSuchMethod({ method });
    throw new UnsupportedVersion({ version: req.version, method });
  }

  private async invoke(m: EndpointMethod<Ctx>, req: IncomingRequest, method: string, ctx: Ctx, log: () => Logger): Promise<unknown> {
    let args: Record<string, unknown> = {};
    let pending: Promise<void>[] | undefined;
    for (const k of Object.keys(req.args)) {
      const v = this.serializer.deserializeEntity(ctx, req.args[k]);
      // Only a serializer that must fetch something (a backport) returns a promise.
      if (v instanceof Promise) (pending ??= []).push(v.then((d) => void (args[k] = d)));
      else args[k] = v;
    }
    if (pending) await Promise.all(pending);
    const info: CallInfo = {
      method,
      version: req.version,
      namespace: req.namespace,
      msgId: req.msgId,
      get log() {
        return log();
      },
    };
    let handler: RpcHandler<Ctx, any>;
    if (typeof m === 'function') {
      handler = m;
    } else {
      const parsed = m.args.safeParse(args);
      if (!parsed.success) throw new InvalidArguments({ method, issues: z.prettifyError(parsed.error) });
      args = parsed.data as Record<string, unknown>;
      handler = m.handler;
    }
    const result = await handler(ctx, args, info);
    return this.serializer.serializeEntity(ctx, result) ?? null;
  }
}
