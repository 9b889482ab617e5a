// How errors leave the conductor (Nova's ExpectedException): every error a caller can act on
// travels with its class name, kwargs and message, so the client re-raises the same class.
// Database errors become the objects' classes (or the conductor API's, for names the objects
// do not define); an untyped error thrown by an object method becomes ObjectActionError.
import { CONDUCTOR_ERRORS } from '@novakit/conductor-api';
import { isDbError } from '@novakit/db';
import { translateDbError } from '@novakit/objects';
import { RpcError } from '@novakit/rpc';
import { NovakitError, ObjectActionError, type NovakitErrorClass } from '@novakit/versioned-objects';

const CONDUCTOR_BY_NAME: ReadonlyMap<string, NovakitErrorClass> = new Map(CONDUCTOR_ERRORS.map((cls) => [cls.name, cls]));

/** A database error as the domain class of the same name; anything else unchanged. */
export function translateError(err: unknown): unknown {
  const domain = translateDbError(err);
  if (domain !== err || !isDbError(err)) return domain;
  const cls = CONDUCTOR_BY_NAME.get(err.name);
  if (!cls) return err;
  const out = new cls(err.kwargs, err.message);
  if (err.stack) out.stack = err.stack;
  return out;
}

/** Whether a caller can rebuild this error by name (it has a stable name and kwargs). */
export function isTypedError(err: unknown): boolean {
  return err instanceof NovakitError || err instanceof RpcError || isDbError(err);
}

/** An object method's failure as the caller should see it. */
export function objectMethodError(err: unknown, action: string): unknown {
  const out = translateError(err);
  if (isTypedError(out)) return out;
  const reason = out instanceof Error ? `${out.name}: ${out.message}` : String(out);
  return new ObjectActionError({ action, reason });
}
