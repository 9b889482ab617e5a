import { VersionedObject } from './base.js';
import type { ObjectContext } from './context.js';
import { ObjectDefinitionError, OrphanedObjectError } from './errors.js';
import type { RegisteredClass } from './registry.js';

type AnyFn = (...args: any[]) => any;

/**
 * Wrap the declared remotable methods of a class. With an indirection API on the context the
 * call goes to the conductor; otherwise the original (local) implementation runs. Only
 * declared methods are ever dispatched remotely (see dispatch.ts).
 */
export function installRemotables(cls: RegisteredClass): void {
  const meta = cls.meta;
  const remotable: string[] = [...(((cls as any).remotable as string[] | undefined) ?? [])];
  const remotableClass: string[] = [...(((cls as any).remotableClass as string[] | undefined) ?? [])];
  const objname = meta.name;
  const registry = meta.registry;

  for (const method of remotable) {
    const impl = (cls.prototype as any)[method] as AnyFn | undefined;
    if (typeof impl !== 'function' || method.startsWith('obj_') || meta.byName.has(method)) {
      throw new ObjectDefinitionError({ objname, reason: `remotable ${method} is not an instance method of the class` });
    }
    meta.originals.set(method, impl);
    const wrapper = async function (this: VersionedObject, ...args: unknown[]) {
      const ctx = this._ctx;
      if (!ctx) throw new OrphanedObjectError({ method, objtype: objname });
      if (!ctx.indirection) return impl.apply(this, args);
      const [updates, result] = await ctx.indirection.object_action(ctx, this, method, args, {});
      applyUpdates(this, updates, ctx);
      return result;
    };
    Object.defineProperty(wrapper, 'name', { value: method });
    Object.defineProperty(cls.prototype, method, { value: wrapper, writable: true, configurable: true, enumerable: false });
  }

  for (const method of remotableClass) {
    const impl = (cls as any)[method] as AnyFn | undefined;
    if (typeof impl !== 'function') {
      throw new ObjectDefinitionError({ objname, reason: `remotableClass ${method} is not a static method of the class` });
    }
    meta.classOriginals.set(method, impl);
    const wrapper = async function (this: unknown, ctx: ObjectContext, ...args: unknown[]) {
      if (!ctx) throw new OrphanedObjectError({ method, objtype: objname });
      if (!ctx.indirection) {
        const result = await impl.call(cls, ctx, ...args);
        if (result instanceof VersionedObject && !result._ctx) result._ctx = ctx;
        return result;
      }
      return ctx.indirection.object_class_action_versions(ctx, objname, method, registry.treeVersions(objname), args, {});
    };
    Object.defineProperty(wrapper, 'name', { value: method });
    Object.defineProperty(cls, method, { value: wrapper, writable: true, configurable: true, enumerable: false });
  }
  meta.remotable = remotable;
  meta.remotableClass = remotableClass;
}

/**
 * Apply the conductor's `updates` to the caller's object, as oslo's remotable wrapper does:
 * set each returned field (objects as they are, primitives through the field type), reset the
 * tracking, then mark what the conductor said is still changed.
 */
export function applyUpdates(obj: VersionedObject, updates: Record<string, unknown>, ctx: ObjectContext | null): void {
  const meta = obj._meta;
  const registry = meta.registry;
  for (const key of Object.keys(updates)) {
    if (key === 'obj_what_changed') continue;
    const fm = meta.byName.get(key);
    if (!fm) continue;
    const raw = updates[key];
    const value =
      raw === null || raw instanceof VersionedObject || (Array.isArray(raw) && raw.every((x) => x instanceof VersionedObject))
        ? raw
        : fm.field.type.fromPrimitive(raw, { registry, context: ctx, path: `${meta.name}.${key}`, depth: 1 });
    obj._v[fm.index] = fm.field.coerce(value);
  }
  obj.obj_reset_changes();
  const changed = updates.obj_what_changed;
  if (Array.isArray(changed)) {
    for (const name of changed) {
      const fm = typeof name === 'string' ? meta.byName.get(name) : undefined;
      if (fm) obj._changed[fm.index] = 1;
    }
  }
}
