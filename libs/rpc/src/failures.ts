/**
 * Endpoint errors on the wire: oslo's failure payload `{class, module, message, tb, args,
 * kwargs}`, JSON-encoded as a string inside the reply. Errors are matched by class name:
 * a client re-raises the named class when its ErrorRegistry allows it, else RemoteError.
 */
import {
  InvalidArguments,
  InvalidMessage,
  MessageTooLarge,
  NoSuchMethod,
  RemoteError,
  UnsupportedVersion,
} from './errors.js';
import { isPlainRecord, safeJsonParse } from './safe-json.js';

export interface RemoteFailure {
  class: string;
  module: string;
  message: string;
  tb: string[];
  args: unknown[];
  kwargs: Record<string, unknown>;
}

const JS_BUILTIN_ERRORS = new Set(['Error', 'TypeError', 'RangeError', 'SyntaxError', 'ReferenceError', 'EvalError', 'URIError']);

/** Errors whose kwargs oslo does not send; a Python client rebuilding them passes args only. */
const ARGS_ONLY = new Set(['NoSuchMethod', 'UnsupportedVersion']);

export function toFailure(err: unknown, withTraceback = true): RemoteFailure {
  if (err instanceof RemoteError) {
    // Relaying a peer's error keeps the peer's class, as oslo strips `_Remote`.
    const { excType, value, traceback } = err.kwargs;
    return { class: excType, module: 'novakit.remote', message: value, tb: traceback, args: [value], kwargs: {} };
  }
  const e = err instanceof Error ? err : new Error(String(err));
  const name = typeof e.name === 'string' && e.name ? e.name : 'Error';
  const kwargs = (e as { kwargs?: unknown }).kwargs;
  const module = (e as { module?: unknown }).module;
  return {
    class: name,
    module: typeof module === 'string' ? module : JS_BUILTIN_ERRORS.has(name) ? 'builtins' : 'novakit',
    message: e.message,
    tb: withTraceback && e.stack ? e.stack.split('\n').map((line) => `${line}\n`) : [],
    args: [e.message],
    kwargs: !ARGS_ONLY.has(name) && isPlainRecord(kwargs) ? kwargs : {},
  };
}

export function encodeFailure(err: unknown, withTraceback = true): string {
  return JSON.stringify(toFailure(err, withTraceback));
}

/** Tolerant: a peer's failure text that is not oslo-shaped still yields a RemoteError. */
export function decodeFailure(text: string): RemoteFailure {
  let v: unknown;
  try {
    v = safeJsonParse(text);
  } catch {
    v = undefined;
  }
  const f = isPlainRecord(v) ? v : {};
  return {
    class: typeof f.class === 'string' ? f.class : 'UnknownError',
    module: typeof f.module === 'string' ? f.module : '',
    message: typeof f.message === 'string' ? f.message : isPlainRecord(v) ? '' : text,
    tb: Array.isArray(f.tb) ? f.tb.filter((l): l is string => typeof l === 'string') : [],
    args: Array.isArray(f.args) ? f.args : [],
    kwargs: isPlainRecord(f.kwargs) ? f.kwargs : {},
  };
}

export type RemoteErrorFactory = (failure: RemoteFailure) => Error;

/** An error class following the novakit convention: `new Class(kwargs)`. */
export type KwargsErrorClass = new (kwargs: any) => Error;

/**
 * The allow-list of error classes a client re-raises by name. Each client owns one (the
 * compute API and the conductor API allow different domain errors).
 */
export class ErrorRegistry {
  private readonly factories = new Map<string, RemoteErrorFactory>();

  /** The rpc lib's own errors, which any peer (Python included) may send. */
  static withDefaults(): ErrorRegistry {
    return new ErrorRegistry()
      .registerFactory('NoSuchMethod', (f) => new NoSuchMethod({ method: after(f.message, 'RPC method ') }))
      .registerFactory('UnsupportedVersion', (f) => {
        const m = /RPC version (\S+?)(?:\. Attempted method: (.*))?$/.exec(f.message);
        return new UnsupportedVersion({ version: m?.[1] ?? '', ...(m?.[2] ? { method: m[2] } : {}) });
      })
      .register(InvalidArguments, InvalidMessage, MessageTooLarge);
  }

  /** Allows classes built as `new Class(kwargs)`, keyed by the class name. */
  register(...classes: KwargsErrorClass[]): this {
    for (const cls of classes) this.factories.set(cls.name, (f) => new cls(f.kwargs));
    return this;
  }

  registerFactory(name: string, factory: RemoteErrorFactory): this {
    this.factories.set(name, factory);
    return this;
  }

  has(name: string): boolean {
    return this.factories.has(name);
  }

  /** The error to throw for a failure; the remote traceback is kept on `remoteTraceback`. */
  rebuild(failure: RemoteFailure): Error {
    const factory = this.factories.get(failure.class);
    let err: Error | undefined;
    if (factory) {
      try {
        err = factory(failure);
      } catch {
        err = undefined;
      }
    }
    err ??= new RemoteError({ excType: failure.class, value: failure.message, traceback: failure.tb });
    Object.defineProperty(err, 'remoteTraceback', { value: failure.tb, enumerable: false });
    return err;
  }
}

function after(text: string, marker: string): string {
  const i = text.lastIndexOf(marker);
  return i < 0 ? text : text.slice(i + marker.length);
}
