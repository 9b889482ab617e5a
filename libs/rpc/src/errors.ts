/**
 * Errors of the rpc lib. Every class has a stable `name` (the class name, which is what
 * crosses the wire as a failure's `class`), a `kwargs` record of structured fields and a
 * Nova-style category. Texts that oslo.messaging peers also produce are kept verbatim.
 */

export type ErrorCategory = 'NotFound' | 'Invalid' | 'Conflict' | 'NotSupported' | 'Unavailable' | 'Internal';

export abstract class RpcError<K extends Record<string, unknown> = Record<string, unknown>> extends Error {
  abstract readonly category: ErrorCategory;
  /** Python module name sent in a failure payload; oslo peers re-raise only allow-listed modules. */
  readonly module: string = 'novakit.rpc';
  readonly kwargs: K;

  constructor(message: string, kwargs: K) {
    super(message);
    this.kwargs = kwargs;
  }
}

/** A call got no reply within its timeout. */
export class MessagingTimeout extends RpcError<{ msgId: string; timeoutMs: number }> {
  override readonly name = 'MessagingTimeout';
  readonly category = 'Unavailable';
  constructor(kwargs: { msgId: string; timeoutMs: number }) {
    super(`Timed out waiting for a reply to message ID ${kwargs.msgId}`, kwargs);
  }
}

/** The remote endpoint raised an error whose class is not in the caller's allow-list. */
export class RemoteError extends RpcError<{ excType: string; value: string; traceback: string[] }> {
  override readonly name = 'RemoteError';
  readonly category = 'Internal';
  constructor(kwargs: { excType: string; value: string; traceback: string[] }) {
    super(`Remote error: ${kwargs.excType} ${kwargs.value}`, kwargs);
  }
}

/** An error's class name, also of one the caller's allow-list did not know (a RemoteError's remote class). */
export function errorClassName(err: unknown): string | undefined {
  if (err instanceof RemoteError) return err.kwargs.excType;
  return err instanceof Error ? err.name : undefined;
}

const DISPATCHER_MODULE = 'oslo_messaging.rpc.dispatcher';

export class NoSuchMethod extends RpcError<{ method: string }> {
  override readonly name = 'NoSuchMethod';
  override readonly module = DISPATCHER_MODULE;
  readonly category = 'NotFound';
  constructor(kwargs: { method: string }) {
    super(`Endpoint does not support RPC method ${kwargs.method}`, kwargs);
  }
}

export class UnsupportedVersion extends RpcError<{ version: string; method?: string }> {
  override readonly name = 'UnsupportedVersion';
  override readonly module = DISPATCHER_MODULE;
  readonly category = 'NotSupported';
  constructor(kwargs: { version: string; method?: string }) {
    const base = `Endpoint does not support RPC version ${kwargs.version}`;
    super(kwargs.method ? `${base}. Attempted method: ${kwargs.method}` : base, kwargs);
  }
}

export class RPCVersionCapError extends RpcError<{ version: string | null; versionCap: string }> {
  override readonly name = 'RPCVersionCapError';
  readonly category = 'NotSupported';
  constructor(kwargs: { version: string | null; versionCap: string }) {
    // The double space is oslo's text, kept so logs and tests match Python peers.
    super(
      `Requested message version, ${kwargs.version} is incompatible.  It needs to be equal in major version ` +
        `and less than or equal in minor version as the specified version cap ${kwargs.versionCap}.`,
      kwargs,
    );
  }
}

export class InvalidTarget extends RpcError<{ reason: string; target: string }> {
  override readonly name = 'InvalidTarget';
  readonly category = 'Invalid';
  constructor(kwargs: { reason: string; target: string }) {
    super(`${kwargs.reason}:${kwargs.target}`, kwargs);
  }
}

export class InvalidVersion extends RpcError<{ version: string }> {
  override readonly name = 'InvalidVersion';
  readonly category = 'Invalid';
  constructor(kwargs: { version: string }) {
    super(`Version must contain a major and minor integer. Got ${kwargs.version}`, kwargs);
  }
}

/** A version cap setting that is neither a version, a known release alias nor `auto`. */
export class InvalidVersionCap extends RpcError<{ api: string; setting: string }> {
  override readonly name = 'InvalidVersionCap';
  readonly category = 'Invalid';
  constructor(kwargs: { api: string; setting: string }) {
    super(`Invalid version cap ${JSON.stringify(kwargs.setting)} for RPC API ${kwargs.api}`, kwargs);
  }
}

/** Arguments rejected by the method's declared schema. */
export class InvalidArguments extends RpcError<{ method: string; issues: string }> {
  override readonly name = 'InvalidArguments';
  readonly category = 'Invalid';
  constructor(kwargs: { method: string; issues: string }) {
    super(`Invalid arguments for RPC method ${kwargs.method}: ${kwargs.issues}`, kwargs);
  }
}

/** A message that decodes but is not a well-formed RPC request or reply. */
export class InvalidMessage extends RpcError<{ reason: string }> {
  override readonly name = 'InvalidMessage';
  readonly category = 'Invalid';
  constructor(kwargs: { reason: string }) {
    super(`Invalid RPC message: ${kwargs.reason}`, kwargs);
  }
}

export class MessageTooLarge extends RpcError<{ size: number; limit: number }> {
  override readonly name = 'MessageTooLarge';
  readonly category = 'Invalid';
  constructor(kwargs: { size: number; limit: number }) {
    super(`Message of ${kwargs.size} bytes exceeds the limit of ${kwargs.limit} bytes`, kwargs);
  }
}

export class UnsupportedRpcEnvelopeVersion extends RpcError<{ version: string }> {
  override readonly name = 'UnsupportedRpcEnvelopeVersion';
  readonly category = 'NotSupported';
  constructor(kwargs: { version: string }) {
    super(`Specified RPC envelope version, ${kwargs.version}, not supported by this endpoint.`, kwargs);
  }
}

/** The broker refused a message (nack) or it could not be published before its deadline. */
export class MessageDeliveryFailure extends RpcError<{ reason: string }> {
  override readonly name = 'MessageDeliveryFailure';
  readonly category = 'Unavailable';
  constructor(kwargs: { reason: string }) {
    super(`Message delivery failed: ${kwargs.reason}`, kwargs);
  }
}

export class TransportUnavailable extends RpcError<{ url: string; reason: string }> {
  override readonly name = 'TransportUnavailable';
  readonly category = 'Unavailable';
  constructor(kwargs: { url: string; reason: string }) {
    super(`Transport ${kwargs.url} unavailable: ${kwargs.reason}`, kwargs);
  }
}

export class TransportClosed extends RpcError<{ url: string }> {
  override readonly name = 'TransportClosed';
  readonly category = 'Unavailable';
  constructor(kwargs: { url: string }) {
    super(`Transport ${kwargs.url} is closed`, kwargs);
  }
}

export class InvalidTransportUrl extends RpcError<{ url: string; reason: string }> {
  override readonly name = 'InvalidTransportUrl';
  readonly category = 'Invalid';
  constructor(kwargs: { url: string; reason: string }) {
    super(`Invalid transport URL ${kwargs.url}: ${kwargs.reason}`, kwargs);
  }
}
