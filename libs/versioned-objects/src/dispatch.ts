import { UNSET, VersionedObject, type Primitive } from './base.js';
import type { ObjectActionReply, ObjectContext } from './context.js';
import type { FieldMeta } from './meta.js';
import { NotRemotableError } from './errors.js';
import type { ObjectRegistry } from './registry.js';
import { compareVersions } from './version.js';

/**
 * The server side of the indirection API (what a conductor runs). Only methods a class
 * declared remotable are dispatched; the local implementation runs whatever the context.
 */
export class ObjectDispatcher {
  constructor(readonly registry: ObjectRegistry) {}

  /**
   * Run `objmethod` on `objinst` and return `[updates, result]`: every set field that is new
   * or differs from before the call, as primitives, plus `obj_what_changed`.
   */
  async objectAction(
    context: ObjectContext,
    objinst: VersionedObject,
    objmethod: string,
    args: readonly unknown[],
    kwargs: Readonly<Record<string, unknown>> = {},
  ): Promise<ObjectActionReply> {
    const meta = objinst._meta;
    const impl = meta.remotable.includes(objmethod) ? meta.originals.get(objmethod) : undefined;
    if (!impl || meta.registry !== this.registry) throw new NotRemotableError({ objname: meta.name, method: objmethod });
    objinst.obj_set_context(context);
    const before = objinst.obj_clone();
    const result = await impl.apply(objinst, kwargsToArgs(args, kwargs));
    const updates: Record<string, unknown> = {};
    for (const fm of meta.fields) {
      const after = objinst._v[fm.index];
      if (after === UNSET) continue;
      const prev = before._v[fm.index];
      const same =
        prev !== UNSET && (prev === after || (prev !== null && after !== null && fm.field.type.equals(prev, after) && sameTracking(fm, prev, after)));
      if (!same) updates[fm.name] = after === null || fm.toPrimitive === null ? after : fm.toPrimitive(after);
    }
    updates.obj_what_changed = [...objinst.obj_what_changed()];
    return [updates, result];
  }

  /**
   * Run a remotable class method for a caller that knows `objectVersions`; an object result is
   * returned as a primitive levelled to the caller's versions.
   */
  async objectClassActionVersions(
    context: ObjectContext,
    objname: string,
    objmethod: string,
    objectVersions: Readonly<Record<string, string>>,
    args: readonly unknown[],
    kwargs: Readonly<Record<string, unknown>> = {},
  ): Promise<unknown> {
    const requested = objectVersions[objname];
    const cls = requested ? this.registry.classFor(objname, requested) : this.registry.newest(objname);
    const meta = cls.meta;
    const impl = meta.remotableClass.includes(objmethod) ? meta.classOriginals.get(objmethod) : undefined;
    if (!impl) throw new NotRemotableError({ objname, method: objmethod });
    const result = await impl.call(cls, context, ...kwargsToArgs(args, kwargs));
    if (result instanceof VersionedObject) {
      if (result._ctx === null) result._ctx = context;
      return this.levelFor(result, objectVersions);
    }
    return result;
  }

  /** Level an object the caller could not read down to the caller's manifest. */
  objectBackportVersions(_context: ObjectContext, objinst: VersionedObject, objectVersions: Readonly<Record<string, string>>): Primitive {
    const target = objectVersions[objinst.obj_name()] ?? objinst._meta.version;
    return objinst.obj_to_primitive({ targetVersion: target, manifest: objectVersions });
  }

  /** An object as a primitive at the caller's versions, or the object itself when the caller is current. */
  levelFor(obj: VersionedObject, objectVersions: Readonly<Record<string, string>>): VersionedObject | Primitive {
    const target = objectVersions[obj.obj_name()];
    if (!target) return obj;
    const needsLevel = compareVersions(target, obj._meta.version) !== 0 || this.manifestIsOlder(obj.obj_name(), objectVersions);
    return needsLevel ? obj.obj_to_primitive({ targetVersion: target, manifest: objectVersions }) : obj;
  }

  private manifestIsOlder(name: string, objectVersions: Readonly<Record<string, string>>): boolean {
    const ours = this.registry.treeVersions(name);
    return Object.keys(ours).some((n) => objectVersions[n] !== undefined && objectVersions[n] !== ours[n]);
  }
}

/** TypeScript remotables are positional; keyword arguments from a Python-style caller are appended as one options object. */
function kwargsToArgs(args: readonly unknown[], kwargs: Readonly<Record<string, unknown>>): unknown[] {
  return Object.keys(kwargs).length ? [...args, kwargs] : [...args];
}

/**
 * Children equal in value but not in change tracking (the method saved and reset them, say)
 * count as updated: otherwise the caller would keep its own still-dirty copy.
 */
function sameTracking(fm: FieldMeta, a: unknown, b: unknown): boolean {
  if (fm.isObject) return sameChanges(a as VersionedObject, b as VersionedObject);
  if (fm.isObjectList) return (a as VersionedObject[]).every((x, i) => sameChanges(x, (b as VersionedObject[])[i]!));
  return true;
}

function sameChanges(a: VersionedObject, b: VersionedObject): boolean {
  const x = a.obj_what_changed();
  const y = b.obj_what_changed();
  return x.size === y.size && [...x].every((n) => y.has(n));
}
