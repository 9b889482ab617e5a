// Helpers every persistent object shares: Nova's timestamp and soft-delete fields
// (NovaPersistentObject), copying a DB row into an object, and collecting the columns a
// save or create writes.
import { f, type ObjectContext, type ObjectMeta, type VersionedObject } from '@novakit/versioned-objects';

/** created_at, updated_at, deleted_at, deleted: set by the database, never written by objects. */
export const persistentFields = {
  created_at: f.dateTime().nullable(),
  updated_at: f.dateTime().nullable(),
  deleted_at: f.dateTime().nullable(),
  deleted: f.boolean().default(false),
};

/** Fields the database owns: an object never sends them in a create or save. */
const DB_OWNED: ReadonlySet<string> = new Set(['id', 'created_at', 'updated_at', 'deleted_at', 'deleted']);

function metaOf(obj: VersionedObject): ObjectMeta {
  return (obj.constructor as unknown as { meta: ObjectMeta }).meta;
}

/**
 * Copy every column of `row` that names a scalar field of `obj` into it. Object-valued
 * fields (children, joins) are the caller's; columns the object does not know are ignored.
 */
export function setFromRow(obj: VersionedObject, row: object, skip?: ReadonlySet<string>): void {
  const r = row as Record<string, unknown>;
  for (const fm of metaOf(obj).fields) {
    if (fm.isObject || fm.isObjectList || skip?.has(fm.name)) continue;
    const v = r[fm.name];
    if (v !== undefined) obj.obj_set(fm.name, v);
  }
}

/** A clean object of class `cls` holding `row`. */
export function fromRow<T extends VersionedObject>(cls: new (values?: null, ctx?: ObjectContext | null) => T, ctx: ObjectContext | null, row: object): T {
  const obj = new cls(null, ctx);
  setFromRow(obj, row);
  obj.obj_reset_changes();
  return obj;
}

/** The changed scalar fields of `obj` as columns, minus database-owned ones and `exclude`. */
export function changedColumns(obj: VersionedObject, exclude: readonly string[] = []): Record<string, unknown> {
  const meta = metaOf(obj);
  const out: Record<string, unknown> = {};
  for (const name of obj.obj_what_changed()) {
    const fm = meta.byName.get(name)!;
    if (fm.isObject || fm.isObjectList || DB_OWNED.has(name) || exclude.includes(name)) continue;
    out[name] = obj.obj_get(name);
  }
  return out;
}

/** A clean list object holding `objects` (what list queries return). */
export function makeList<T, L extends VersionedObject>(
  cls: new (values: { objects: T[] }, ctx: ObjectContext | null) => L,
  ctx: ObjectContext | null,
  objects: T[],
): L {
  const list = new cls({ objects }, ctx);
  list.obj_reset_changes();
  return list;
}
