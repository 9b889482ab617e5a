// A remotable method added in this release, asked of a conductor of an older one during a
// rolling upgrade: the conductor refuses our version of the object, and the caller answers
// the same question with methods that version has.
import { compareVersions, IncompatibleObjectVersion, ObjectActionError, type ObjectMeta, type VersionedObject } from '@novakit/versioned-objects';
import type { RequestContext } from './context.js';
import { objectRegistry } from './registry.js';

interface ObjectClass<T extends VersionedObject> {
  readonly meta: ObjectMeta;
  new (...args: never[]): T;
}

/** The older version of `cls` a conductor said it serves instead of ours, if our history has it. */
function olderVersionServed(cls: { readonly meta: ObjectMeta }, err: unknown): string | null {
  if (!(err instanceof IncompatibleObjectVersion)) return null;
  const { objname, supported } = err.kwargs;
  const meta = cls.meta;
  if (objname !== meta.name || !Object.prototype.hasOwnProperty.call(meta.history, supported)) return null;
  return compareVersions(supported, meta.version) < 0 ? supported : null;
}

/**
 * `call()`, or, when a conductor refuses `cls` at our version for one it serves (an older
 * release's), `fallback(thatVersion)`. Any other failure, or one in a process without a
 * conductor, is thrown as it is.
 */
export async function orOlderConductor<R>(
  ctx: RequestContext,
  cls: { readonly meta: ObjectMeta },
  call: () => Promise<R>,
  fallback: (version: string) => Promise<R>,
): Promise<R> {
  try {
    return await call();
  } catch (err) {
    const older = olderVersionServed(cls, err);
    if (!older || !ctx.indirection) throw err;
    return fallback(older);
  }
}

/** A class method of `cls` sent with `cls` at `version` in the manifest (the remotable wrapper always sends ours). */
export async function classActionAt<T extends VersionedObject>(
  ctx: RequestContext,
  cls: ObjectClass<T>,
  version: string,
  method: string,
  args: readonly unknown[],
): Promise<T> {
  const name = cls.meta.name;
  const manifest = { ...objectRegistry.treeVersions(name), [name]: version };
  const got = await ctx.indirection!.object_class_action_versions(ctx, name, method, manifest, args, {});
  if (!(got instanceof cls)) throw new ObjectActionError({ action: method, reason: `the conductor did not answer with a ${name}` });
  return got;
}
