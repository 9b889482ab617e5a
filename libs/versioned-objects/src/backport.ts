import { UNSET, type Primitive, type VersionedObject } from './base.js';
import { dataWriter } from './codegen.js';
import type { FieldMeta, ObjectMeta } from './meta.js';
import { compareVersions } from './version.js';

/**
 * Level `data` (the object's primitive data, written without the fields newer than `target`:
 * see backportPlan) down to `target`: run the object's hand-written obj_make_compatible, then
 * backport child objects in place — by the manifest when there is one, else by the declared
 * relationships. Mutates `data`.
 */
export function backportData(
  obj: VersionedObject,
  data: Record<string, unknown>,
  target: string,
  manifest: Readonly<Record<string, string>> | null,
): void {
  const meta = obj._meta;
  const previous = obj._manifest;
  obj._manifest = manifest;
  try {
    obj.obj_make_compatible(data, target);
    for (const fm of meta.objectFields) {
      if (!(fm.name in data) || data[fm.name] === null) continue;
      const childTarget = childTargetVersion(obj, fm, target, manifest);
      if (childTarget === undefined) continue;
      if (childTarget === null) {
        delete data[fm.name];
        continue;
      }
      const value = obj._v[fm.index];
      const keys = meta.registry.keys;
      if (fm.isObject) {
        backportChild(value as VersionedObject, data[fm.name] as Primitive, childTarget, manifest, keys.data, keys.version);
      } else {
        const prims = data[fm.name] as Primitive[];
        (value as VersionedObject[]).forEach((child, i) => backportChild(child, prims[i]!, childTarget, manifest, keys.data, keys.version));
      }
    }
  } finally {
    obj._manifest = previous;
  }
}

function backportChild(
  child: VersionedObject,
  prim: Primitive,
  target: string,
  manifest: Readonly<Record<string, string>> | null,
  dataKey: string,
  versionKey: string,
): void {
  // A child cannot be levelled up; one already at the target only needs its own children levelled.
  const cmp = compareVersions(target, prim[versionKey] as string);
  if (cmp > 0 || (cmp === 0 && !manifest)) return;
  // Written again without the fields the target predates, rather than deleting them; when it
  // predates none, the data already written is levelled in place (no second serialisation).
  const { droppedSet } = backportPlan(child._meta, target);
  const data = droppedSet.size === 0 ? (prim[dataKey] as Record<string, unknown>) : dataWriter(child._meta, UNSET, droppedSet)(child._v);
  backportData(child, data, target, manifest);
  prim[dataKey] = data;
  prim[versionKey] = target;
}

export interface BackportPlan {
  readonly droppedSet: ReadonlySet<string>;
  /** By field index: 1 when the target predates the field. */
  readonly mask: Uint8Array;
}

const planCache = new WeakMap<ObjectMeta, Map<string, BackportPlan>>();

/** The fields a target predates, derived once per (class, target) from the schema. */
export function backportPlan(meta: ObjectMeta, target: string): BackportPlan {
  let byTarget = planCache.get(meta);
  if (!byTarget) planCache.set(meta, (byTarget = new Map()));
  let plan = byTarget.get(target);
  if (!plan) {
    const newer = meta.fields.filter((fm) => fm.field.options.since !== null && compareVersions(fm.field.options.since, target) > 0);
    const mask = new Uint8Array(meta.fields.length);
    for (const fm of newer) mask[fm.index] = 1;
    plan = { droppedSet: new Set(newer.map((fm) => fm.name)), mask };
    if (byTarget.size < 64) byTarget.set(target, plan);
  }
  return plan;
}

/**
 * The child version for a parent target: a string, `null` when the field did not exist yet at
 * the target (oslo's TargetBeforeSubobjectExisted), `undefined` to leave the child as it is.
 */
export function childTargetVersion(
  obj: VersionedObject,
  fm: FieldMeta,
  target: string,
  manifest: Readonly<Record<string, string>> | null,
): string | null | undefined {
  if (manifest) {
    const childName = fm.field.type.childObjectName!();
    return Object.prototype.hasOwnProperty.call(manifest, childName) ? manifest[childName] : undefined;
  }
  const pairs = obj._meta.relationships[fm.name];
  if (!pairs || pairs.length === 0) return undefined;
  let chosen: string | null = null;
  for (const [parentVersion, childVersion] of pairs) {
    const cmp = compareVersions(target, parentVersion);
    if (cmp < 0) return chosen;
    chosen = childVersion;
    if (cmp === 0) return chosen;
  }
  // Newer than every entry: oslo leaves the child untouched.
  return undefined;
}
