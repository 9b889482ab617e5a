// What the conductor and compute_task clients share: one RpcClient per API, a version cap
// (explicit, alias or `auto`), per-method versions checked with canSendVersion before anything
// is sent, the conductor's error allow-list, and a clear error when no conductor answers.
import { NovaObjectSerializer, RequestContext } from '@novakit/objects';
import { MessagingTimeout, RpcClient, type RpcApi, type RpcClientOptions, type Serializer, type Transport, type VersionCapProvider } from '@novakit/rpc';
import type { ObjectContext } from '@novakit/versioned-objects';
import { ConductorTimeout, ConductorVersionTooOld, conductorErrorRegistry } from './errors.js';

export interface ApiClientOptions {
  topic: string;
  namespace?: string;
  /** A version, a release alias (`release-1`), `auto`, or nothing (no cap). */
  cap?: string | null;
  /** For `auto`: the version to cap to, asked once (until `resetVersionCap`). */
  auto?: VersionCapProvider;
  timeoutMs?: number;
  serializer?: Serializer<RequestContext>;
  logger?: RpcClientOptions<RequestContext>['logger'];
}

export class ApiClient {
  readonly rpc: RpcClient<RequestContext>;
  private readonly byVersion = new Map<string, RpcClient<RequestContext>>();

  constructor(
    transport: Transport,
    readonly api: RpcApi<string, string>,
    private readonly options: ApiClientOptions,
  ) {
    this.rpc = new RpcClient<RequestContext>(
      transport,
      { topic: options.topic, namespace: options.namespace ?? null, version: api.latest },
      {
        serializer: options.serializer ?? new NovaObjectSerializer(),
        versionCap: api.versionCap(options.cap ?? null, options.auto),
        errors: conductorErrorRegistry(),
        ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
        ...(options.logger ? { logger: options.logger } : {}),
      },
    );
  }

  /** The cap in force, resolving `auto` if it has not been yet. */
  versionCap(): Promise<string | undefined> {
    return this.rpc.versionCap();
  }

  /** Forget an `auto` cap's answer (after conductors were upgraded). */
  resetVersionCap(): void {
    this.rpc.resetVersionCap();
  }

  /** Whether the cap allows `version`. */
  canSendVersion(version: string): Promise<boolean> {
    return this.rpc.canSendVersion(version);
  }

  /** A call at the method's version; ConductorVersionTooOld when the cap forbids it. */
  async call<T>(ctx: ObjectContext, method: string, version: string, args: Record<string, unknown>): Promise<T> {
    const client = await this.at(method, version);
    try {
      return await client.call<T>(requestContext(ctx), method, args);
    } catch (err) {
      if (err instanceof MessagingTimeout) {
        throw new ConductorTimeout({ method, topic: this.options.topic, timeout_ms: err.kwargs.timeoutMs, msg_id: err.kwargs.msgId });
      }
      throw err;
    }
  }

  private async at(method: string, version: string): Promise<RpcClient<RequestContext>> {
    if (!(await this.rpc.canSendVersion(version))) {
      throw new ConductorVersionTooOld({ api: this.api.name, method, version, cap: String(await this.rpc.versionCap()) });
    }
    let client = this.byVersion.get(version);
    if (!client) this.byVersion.set(version, (client = this.rpc.prepare({ version })));
    return client;
  }
}

/** Remotable wrappers hand over the object's context; anything that is not a RequestContext gets a fresh one. */
export function requestContext(ctx: ObjectContext): RequestContext {
  return RequestContext.is(ctx) ? ctx : RequestContext.create();
}
