/**
 * @novakit/rpc — versioned RPC over an in-process transport or RabbitMQ, wire-compatible
 * with oslo.messaging (envelope 2.0, `_context_*`, `_msg_id`/`_reply_q`/`_unique_id`,
 * exchange/queue naming, failure payloads, dispatcher error texts).
 *
 * ```ts
 * import { createTransport, RpcClient, RpcServer, defineEndpoint, withArgs, createRequestContext } from '@novakit/rpc';
 * import { z } from 'zod';
 *
 * const transport = await createTransport('memory://embedded'); // or 'amqp://guest:guest@127.0.0.1:5672/'
 * const server = new RpcServer(transport, { topic: 'compute', server: 'host1' }, [
 *   defineEndpoint({
 *     target: { version: '1.3' },
 *     methods: {
 *       get_info: withArgs(z.object({ instance_uuid: z.string() }), (ctx, { instance_uuid }, { log }) => {
 *         log.info('getting info');              // carries request_id
 *         return { uuid: instance_uuid, state: 1 };
 *       }),
 *     },
 *   }),
 * ]);
 * await server.start();
 *
 * const client = new RpcClient(transport, { topic: 'compute', version: '1.3' }, { versionCap: '1.3' });
 * const ctx = createRequestContext({ user_id: 'u1', project_id: 'p1' });
 * await client.prepare({ server: 'host1' }).call(ctx, 'get_info', { instance_uuid: 'abc' });
 * await client.prepare({ fanout: true }).cast(ctx, 'refresh');
 * await server.stop();                         // finishes what it received
 * await transport.close();
 * ```
 *
 * Pieces:
 * - `createTransport(url, options)` → `Transport` (`InProcessTransport`, `AmqpTransport`):
 *   byte-level; both carry the same envelope bytes.
 * - `RpcClient<Ctx>`: `call`, `cast`, `prepare`, `canSendVersion`, `versionCap`,
 *   `resetVersionCap`. A cap is a version, or a provider function (sync or async).
 * - `RpcServer<Ctx>`: endpoints (`defineEndpoint`, `withArgs` for zod-validated args),
 *   `start`, graceful `stop`.
 * - `Serializer<Ctx>`: plugs in the objects layer; `JsonSerializer`/`jsonSerializer` with
 *   the default `RequestContext` are the defaults.
 * - `defineRpcApi({ name, history, aliases })`: typed version history, release aliases and
 *   cap resolution (`versionCap('auto', provider)`) for the compute and conductor APIs.
 * - `ErrorRegistry`: the allow-list of error classes a client re-raises by name; others
 *   arrive as `RemoteError`. Errors: see `errors.ts`.
 * - `@novakit/rpc/testing`: `RABBIT_URL`, `probeRabbitMq`, `servicesRequired`,
 *   `uniqueName`, `deleteBrokerObjects` for suites that run over both transports.
 *
 * Semantics worth knowing:
 * - Requests are acknowledged on receipt (oslo's at-most-once): a call lost with a dying
 *   connection fails with MessagingTimeout, never runs twice. A cast resolves once the
 *   broker confirmed it and is published again if the connection drops first; servers drop
 *   redeliveries by `_unique_id` (the last 1024 per server).
 * - `canSendVersion` and `versionCap` are async because a cap may come from an async
 *   provider (`auto`); a provider is asked once per client family until `resetVersionCap`.
 * - Endpoint methods are an explicit record, never the prototype chain; `_`-names are
 *   private. Failures travel as oslo failures; the client's ErrorRegistry decides which
 *   classes come back typed.
 * - Both transports carry the same envelope bytes (compact JSON; Python writes `", "`
 *   separators, which parse the same).
 *
 * The lib depends on no other novakit lib.
 */
export type { RpcApi, RpcApiSpec, VersionCap, VersionCapProvider } from './api-history.js';
export { defineRpcApi } from './api-history.js';
export type { PrepareOptions, RpcClientOptions } from './client.js';
export { DEFAULT_TIMEOUT_MS, RpcClient } from './client.js';
export { createTransport } from './connect.js';
export type { RequestContext } from './context.js';
export { createRequestContext, generateRequestId, requestContextFromDict, requestContextToDict } from './context.js';
export type { CallInfo, Endpoint, EndpointMethod, EndpointTarget, RpcHandler, ValidatedMethod } from './dispatcher.js';
export { defineEndpoint, withArgs } from './dispatcher.js';
export { decodeEnvelope, encodeEnvelope, ENVELOPE_VERSION } from './envelope.js';
export type { ErrorCategory } from './errors.js';
export {
  InvalidArguments,
  InvalidMessage,
  InvalidTarget,
  InvalidTransportUrl,
  InvalidVersion,
  InvalidVersionCap,
  MessageDeliveryFailure,
  MessageTooLarge,
  MessagingTimeout,
  NoSuchMethod,
  RemoteError,
  errorClassName,
  RpcError,
  RPCVersionCapError,
  TransportClosed,
  TransportUnavailable,
  UnsupportedRpcEnvelopeVersion,
  UnsupportedVersion,
} from './errors.js';
export type { KwargsErrorClass, RemoteErrorFactory, RemoteFailure } from './failures.js';
export { decodeFailure, encodeFailure, ErrorRegistry } from './failures.js';
export type { RpcServerOptions } from './server.js';
export { RpcServer } from './server.js';
export type { Serializer } from './serializer.js';
export { JsonSerializer, jsonSerializer } from './serializer.js';
export type { Target } from './target.js';
export type {
  Deliver,
  Destination,
  ListenSpec,
  PublishOptions,
  ReplySubscription,
  Subscription,
  Transport,
  TransportOptions,
} from './transport.js';
export { DEFAULT_EXCHANGE, DEFAULT_MAX_MESSAGE_BYTES } from './transport.js';
export { AmqpTransport } from './transports/amqp.js';
export { InProcessTransport } from './transports/memory.js';
export type { ParsedVersion } from './version.js';
export { compareVersions, isValidVersion, parseVersion, versionIsCompatible } from './version.js';
