import type { ObjectContext } from './context.js';
import {
  FieldNotLoadedError,
  FieldValueError,
  InvalidTargetVersion,
  ObjectActionError,
  ObjectDefinitionError,
  OrphanedObjectError,
  ReadOnlyFieldError,
} from './errors.js';
import type { AnyField, FieldValue } from './fields/field.js';
import { CoercionFailure } from './fields/field-type.js';
import type { FieldMeta, ObjectDefinition, ObjectMeta } from './meta.js';
import { backportData, backportPlan } from './backport.js';
import { dataAssigner, dataWriter } from './codegen.js';
import { compareVersions, isValidVersion } from './version.js';

/** Marks a value slot that was never set (distinct from null). */
export const UNSET: unique symbol = Symbol('unset');

/**
 * The snapshot of a container read from the wire that nobody has been handed yet: it cannot
 * have been edited in place, so its copy is taken only when the accessor first hands it out.
 * Reading objects (the hot path of every RPC) then costs no copies.
 */
export const PRISTINE: unique symbol = Symbol('pristine');

/** The generated field getters, so registration can tell them from members that shadow a field. */
export const FIELD_ACCESSORS = new WeakSet<(...args: any[]) => unknown>();

export type FieldDefs = Record<string, AnyField>;
export type FieldValues<F extends FieldDefs> = { -readonly [K in keyof F]: FieldValue<F[K]> };

export interface ToPrimitiveOptions {
  /** Emit this (older) version; fields and children newer than it are backported away. */
  readonly targetVersion?: string;
  /** `{objname: version}` of every object the receiver knows; children are levelled to it. */
  readonly manifest?: Readonly<Record<string, string>>;
}

export type Primitive = Record<string, unknown>;

/**
 * The base of every versioned object. Framework methods are prefixed `obj_` and field names
 * may not start with `obj_`, so the two never collide. Field values live in an array indexed
 * by field position; accessors are generated per class by `objectBase`.
 */
export abstract class VersionedObject {
  /** @internal */ _v: unknown[];
  /** @internal */ _changed: Uint8Array;
  /** @internal */ _snap: unknown[] | null;
  /** @internal */ _ctx: ObjectContext | null;
  /** @internal */ _version: string;
  /** @internal set while a backport runs, as oslo's _obj_version_manifest */
  _manifest: Readonly<Record<string, string>> | null = null;

  static readonly meta: ObjectMeta;

  constructor(values?: Record<string, unknown> | null, context?: ObjectContext | null) {
    const meta = (new.target as unknown as typeof VersionedObject).meta;
    if (!meta) throw new ObjectDefinitionError({ objname: new.target.name, reason: 'classes must extend objectBase(...)' });
    const n = meta.fields.length;
    this._v = new Array(n).fill(UNSET);
    this._changed = new Uint8Array(n);
    this._snap = meta.containerFields.length ? new Array(n) : null;
    this._ctx = context ?? null;
    this._version = meta.version;
    if (values) {
      const set = dataAssigner(meta)(this, values);
      const keys = Object.keys(values);
      if (set !== keys.length) {
        for (const key of keys) {
          if (!meta.byName.has(key) && values[key] !== undefined) throw new FieldValueError({ objname: meta.name, field: key, reason: 'no such field' });
        }
      }
    }
  }

  /** @internal */
  get _meta(): ObjectMeta {
    return (this.constructor as typeof VersionedObject).meta;
  }

  obj_name(): string {
    return this._meta.name;
  }

  /** The version this instance speaks: the class version, or the older wire version it was read at. */
  get obj_version(): string {
    return this._version;
  }

  get obj_context(): ObjectContext | null {
    return this._ctx;
  }

  obj_set_context(context: ObjectContext | null): this {
    this._ctx = context;
    return this;
  }

  /** Field names plus computed (extra) fields, as oslo's obj_fields. */
  get obj_fields(): string[] {
    const meta = this._meta;
    return [...meta.fields.map((f) => f.name), ...meta.extraFields];
  }

  obj_attr_is_set(name: string): boolean {
    const fm = this._meta.byName.get(name);
    if (!fm) throw new ObjectActionError({ action: 'obj_attr_is_set', reason: `${this.obj_name()} object has no attribute '${name}'` });
    return this._v[fm.index] !== UNSET;
  }

  /** Untyped read by name, for generic code (dispatch, diffs). Throws if unset, as the accessor does. */
  obj_get(name: string): unknown {
    const fm = this.obj_field_meta(name);
    return this.obj_get_index(fm);
  }

  obj_set(name: string, value: unknown): void {
    this.obj_set_index(this.obj_field_meta(name), value);
  }

  /** Unset a field (oslo's `del obj.field`). */
  obj_unset(name: string): void {
    const fm = this.obj_field_meta(name);
    if (this._v[fm.index] === UNSET) throw new FieldNotLoadedError({ objname: this.obj_name(), field: name, lazy: fm.field.options.lazy });
    this._v[fm.index] = UNSET;
    this._changed[fm.index] = 0;
  }

  /** @internal */
  obj_field_meta(name: string): FieldMeta {
    const fm = this._meta.byName.get(name);
    if (!fm) throw new ObjectActionError({ action: 'get', reason: `${this.obj_name()} object has no attribute '${name}'` });
    return fm;
  }

  /** @internal */
  obj_get_index(fm: FieldMeta): unknown {
    const v = this._v[fm.index];
    if (v === UNSET) throw new FieldNotLoadedError({ objname: this._meta.name, field: fm.name, lazy: fm.field.options.lazy });
    if (fm.container && this._snap![fm.index] === PRISTINE) this.obj_snapshot(fm, v);
    return v;
  }

  /** @internal */
  obj_set_index(fm: FieldMeta, raw: unknown): void {
    const i = fm.index;
    const current = this._v[i];
    let value: unknown;
    try {
      value = fm.field.coerce(raw, fm.stateful && current !== UNSET ? current : undefined);
    } catch (e) {
      if (e instanceof CoercionFailure) {
        const reason = e.reason === 'cannot be None' ? `Field \`${fm.name}' cannot be None` : e.reason;
        throw new FieldValueError({ objname: this._meta.name, field: fm.name, reason });
      }
      throw e;
    }
    if (fm.field.options.readOnly && current !== UNSET) {
      if (current === value || (current !== null && value !== null && fm.field.type.equals(current, value))) return;
      throw new ReadOnlyFieldError({ field: fm.name });
    }
    this._v[i] = value;
    this._changed[i] = 1;
  }

  /** Names of changed fields: assigned, edited in place (dicts, lists, sets), or holding changed children. */
  obj_what_changed(): Set<string> {
    const meta = this._meta;
    const out = new Set<string>();
    const fields = meta.fields;
    const flags = this._changed;
    for (let i = 0; i < fields.length; i++) if (flags[i] === 1) out.add(fields[i]!.name);
    // Only containers and children can change without an assignment.
    for (const fm of meta.containerFields) if (flags[fm.index] === 0 && this.obj_field_dirty(fm)) out.add(fm.name);
    for (const fm of meta.objectFields) if (flags[fm.index] === 0 && !fm.container && this.obj_field_dirty(fm)) out.add(fm.name);
    return out;
  }

  /** True when anything changed (cheaper than obj_what_changed when only the answer matters). */
  obj_has_changes(): boolean {
    if (this._changed.includes(1)) return true;
    const meta = this._meta;
    for (const fm of meta.containerFields) if (this.obj_field_dirty(fm)) return true;
    for (const fm of meta.objectFields) if (!fm.container && this.obj_field_dirty(fm)) return true;
    return false;
  }

  private obj_field_dirty(fm: FieldMeta): boolean {
    const v = this._v[fm.index];
    if (v === UNSET || v === null) return false;
    if (fm.container && !this.obj_matches_snapshot(fm, v)) return true;
    if (fm.isObject) return (v as VersionedObject).obj_has_changes();
    if (fm.isObjectList) {
      for (const child of v as VersionedObject[]) if (child.obj_has_changes()) return true;
    }
    return false;
  }

  /** `{field: current value}` for every changed field (values are live, not primitives). */
  obj_get_changes(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const name of this.obj_what_changed()) out[name] = this._v[this._meta.byName.get(name)!.index];
    return out;
  }

  /**
   * Forget changes (does not revert values). `recursive` also resets child objects and every
   * element of lists of objects, whichever fields changed.
   */
  obj_reset_changes(fields?: Iterable<string> | null, recursive = false): void {
    const meta = this._meta;
    const targets = fields ? [...fields].map((n) => this.obj_field_meta(n)) : meta.fields;
    for (const fm of targets) {
      const i = fm.index;
      const v = this._v[i];
      if (v === UNSET || v === null) {
        this._changed[i] = 0;
        continue;
      }
      // A snapshot that still matches stays: re-cloning every container on each reset is the cost to avoid.
      if (fm.container && (this._changed[i] === 1 || !this.obj_matches_snapshot(fm, v))) this.obj_snapshot(fm, v);
      this._changed[i] = 0;
      if (recursive) {
        if (fm.isObject) (v as VersionedObject).obj_reset_changes(null, true);
        else if (fm.isObjectList) for (const child of v as VersionedObject[]) child.obj_reset_changes(null, true);
      }
    }
  }

  private obj_matches_snapshot(fm: FieldMeta, v: unknown): boolean {
    const snap = this._snap![fm.index];
    if (snap === PRISTINE) return true;
    if (snap === undefined) return false;
    const type = fm.field.type;
    return type.matchesSnapshot ? type.matchesSnapshot(v, snap) : type.equals(v, snap);
  }

  /** @internal */
  obj_snapshot(fm: FieldMeta, v: unknown): void {
    const type = fm.field.type;
    this._snap![fm.index] = type.snapshot ? type.snapshot(v) : type.clone(v);
  }

  /** Fill unset fields (or the named ones) with their defaults, as oslo's obj_set_defaults. */
  obj_set_defaults(...names: string[]): void {
    const meta = this._meta;
    const targets = names.length ? names.map((n) => this.obj_field_meta(n)) : meta.fields.filter((fm) => fm.field.options.hasDefault);
    for (const fm of targets) {
      if (!fm.field.options.hasDefault) {
        throw new ObjectActionError({ action: 'set_defaults', reason: `No default set for field ${fm.name}` });
      }
      if (this._v[fm.index] === UNSET) this.obj_set_index(fm, fm.field.cloneDefault());
    }
  }

  /** A deep copy of the set fields; the context is shared and the changed set copied. */
  obj_clone(): this {
    const copy = Object.create(Object.getPrototypeOf(this)) as this;
    const meta = this._meta;
    copy._v = this._v.map((v, i) => (v === UNSET || v === null ? v : meta.fields[i]!.field.type.clone(v)));
    copy._changed = this._changed.slice();
    copy._snap = this._snap ? this._snap.slice() : null;
    copy._ctx = this._ctx;
    copy._version = this._version;
    copy._manifest = null;
    return copy;
  }

  /** Same class, same set fields with equal values (oslo's ComparableVersionedObject, minus changes). */
  obj_equals(other: unknown): boolean {
    if (other === this) return true;
    if (!(other instanceof VersionedObject) || other._meta !== this._meta) return false;
    const fields = this._meta.fields;
    for (let i = 0; i < fields.length; i++) {
      const a = this._v[i];
      const b = other._v[i];
      if (a === b) continue;
      if (a === UNSET || b === UNSET || a === null || b === null) return false;
      if (!fields[i]!.field.type.equals(a, b)) return false;
    }
    return true;
  }

  /**
   * The oslo envelope: `<ns>.name/.namespace/.version/.data/.changes`. Unset fields are absent,
   * `changes` only when non-empty. A target older than this object's version backports.
   */
  obj_to_primitive(options?: ToPrimitiveOptions): Primitive {
    const meta = this._meta;
    const target = options?.targetVersion ?? this._version;
    const manifest = options?.manifest ?? null;
    if (target !== meta.version && (!isValidVersion(target) || compareVersions(target, meta.version) > 0)) {
      throw new InvalidTargetVersion({ version: String(target) });
    }
    const fields = meta.fields;
    const backported = target !== meta.version || manifest !== null;
    const plan = backported ? backportPlan(meta, target) : null;
    const data = dataWriter(meta, UNSET, plan?.droppedSet)(this._v);
    // Children have just written their own `changes`: a child is dirty exactly when its primitive says so.
    const changesKey = meta.registry.keys.changes;
    let changes: string[] | null = null;
    for (let i = 0; i < fields.length; i++) {
      if (plan !== null && plan.mask[i] === 1) continue;
      const fm = fields[i]!;
      if (this._changed[i] === 1 || ((fm.container || fm.isObject) && this.obj_dirty_in(fm, data, changesKey))) (changes ??= []).push(fm.name);
    }
    if (backported) backportData(this, data, target, manifest);
    const prim = meta.registry.envelope(meta.name, target, data);
    if (changes && backported) changes = changes.filter((name) => name in data);
    if (changes && changes.length) prim[changesKey] = changes;
    return prim;
  }

  private obj_dirty_in(fm: FieldMeta, data: Record<string, unknown>, changesKey: string): boolean {
    const v = this._v[fm.index];
    if (v === UNSET || v === null) return false;
    if (fm.container && !this.obj_matches_snapshot(fm, v)) return true;
    if (fm.isObject) return (data[fm.name] as Primitive)[changesKey] !== undefined;
    if (fm.isObjectList) {
      for (const child of data[fm.name] as Primitive[]) if (child[changesKey] !== undefined) return true;
    }
    return false;
  }

  /**
   * Override to hand-write what automatic backport cannot do (convert a changed format,
   * drop a field that had no `since`). Runs after fields newer than the target are dropped and
   * before child objects are backported. `this.obj_version_manifest` is set during the call.
   */
  obj_make_compatible(_data: Record<string, unknown>, _targetVersion: string): void {}

  get obj_version_manifest(): Readonly<Record<string, string>> | null {
    return this._manifest;
  }

  /** Load a lazy field through the object's loader (one remotable call on a compute). */
  async obj_load_attr(name: string): Promise<void> {
    const fm = this.obj_field_meta(name);
    if (!fm.field.options.lazy) {
      throw new ObjectActionError({ action: 'obj_load_attr', reason: `attribute ${name} not lazy-loadable` });
    }
    if (!this._ctx) throw new OrphanedObjectError({ method: 'obj_load_attr', objtype: this.obj_name() });
    await this.obj_lazy_load(name);
    if (this._v[fm.index] === UNSET) {
      throw new ObjectActionError({ action: 'obj_load_attr', reason: `loading ${name} did not set it` });
    }
    this._changed[fm.index] = 0;
    if (fm.container) this.obj_snapshot(fm, this._v[fm.index]);
  }

  /** Override in objects with lazy fields: set the field (the framework marks it clean). */
  protected async obj_lazy_load(name: string): Promise<void> {
    throw new ObjectActionError({ action: 'obj_load_attr', reason: `${this.obj_name()} has no loader for ${name}` });
  }

  /** Accidental JSON.stringify gives the wire form. */
  toJSON(): Primitive {
    return this.obj_to_primitive();
  }

  toString(): string {
    const meta = this._meta;
    const parts = [...meta.fields]
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map((fm) => {
        const v = this._v[fm.index];
        return `${fm.name}=${v === UNSET ? '<?>' : fm.field.type.kind === 'SensitiveString' ? "'***'" : describeValue(v)}`;
      });
    return `${meta.name}(${parts.join(',')})`;
  }
}

function describeValue(v: unknown): string {
  if (v instanceof VersionedObject) return v.toString();
  if (v instanceof Date) return v.toISOString();
  if (v instanceof Set) return `set(${JSON.stringify([...v])})`;
  return JSON.stringify(v) ?? String(v);
}

export type VersionedObjectOf<F extends FieldDefs> = VersionedObject & FieldValues<F>;

export interface ObjectBaseClass<F extends FieldDefs> {
  new (values?: Partial<FieldValues<F>> | null, context?: ObjectContext | null): VersionedObjectOf<F>;
  readonly meta: ObjectMeta;
  prototype: VersionedObjectOf<F>;
}

const RESERVED = new Set(['constructor', 'toJSON', 'toString', 'then', '__proto__', 'prototype']);

/** Compile a definition into metadata and a base class with one accessor per field. */
export function objectBase<const F extends FieldDefs>(def: ObjectDefinition<F>): ObjectBaseClass<F> {
  const meta = compileMeta(def);
  class Base extends VersionedObject {
    static override readonly meta = meta;
  }
  Object.defineProperty(Base, 'name', { value: `${def.name}Base` });
  for (const fm of meta.fields) {
    const get = fm.container
      ? function (this: VersionedObject) {
          return this.obj_get_index(fm);
        }
      : function (this: VersionedObject) {
          const v = this._v[fm.index];
          if (v === UNSET) throw new FieldNotLoadedError({ objname: meta.name, field: fm.name, lazy: fm.field.options.lazy });
          return v;
        };
    FIELD_ACCESSORS.add(get);
    Object.defineProperty(Base.prototype, fm.name, {
      configurable: false,
      enumerable: true,
      get,
      set(this: VersionedObject, value: unknown) {
        this.obj_set_index(fm, value);
      },
    });
  }
  return Base as unknown as ObjectBaseClass<F>;
}

function compileMeta<F extends FieldDefs>(def: ObjectDefinition<F>): ObjectMeta {
  const bad = (reason: string) => new ObjectDefinitionError({ objname: def.name, reason });
  if (!/^[A-Z][A-Za-z0-9]*$/.test(def.name)) throw bad('object names are CamelCase identifiers');
  if (!isValidVersion(def.version)) throw bad(`version ${def.version} is not X.Y`);
  const history = def.history ?? {};
  if (!Object.prototype.hasOwnProperty.call(history, def.version)) throw bad(`history has no entry for the current version ${def.version}`);
  for (const v of Object.keys(history)) {
    if (!isValidVersion(v)) throw bad(`history version ${v} is not X.Y`);
    if (compareVersions(v, def.version) > 0) throw bad(`history mentions ${v}, newer than the current version ${def.version}`);
    if (typeof history[v] !== 'string' || !history[v]) throw bad(`history entry ${v} needs a one-line changelog`);
  }
  const fields: FieldMeta[] = [];
  const byName = new Map<string, FieldMeta>();
  Object.keys(def.fields).forEach((name, index) => {
    const field = def.fields[name] as AnyField;
    if (!field || typeof field.coerce !== 'function') throw bad(`field ${name} is not a Field`);
    if (name.startsWith('obj_') || name.startsWith('_') || RESERVED.has(name)) throw bad(`field name ${name} is reserved`);
    const since = field.options.since;
    if (since && !Object.prototype.hasOwnProperty.call(history, since)) throw bad(`field ${name} is since ${since}, which the history does not list`);
    const kind = field.type.kind;
    const fm: FieldMeta = {
      name,
      owner: def.name,
      index,
      field,
      toPrimitive: field.type.toPrimitive,
      isObject: kind === 'Object',
      isObjectList: kind === 'ListOfObjects',
      container: field.type.container,
      stateful: kind === 'StateMachine',
    };
    fields.push(fm);
    byName.set(name, fm);
  });
  for (const [name, pairs] of Object.entries(def.relationships ?? {})) {
    const fm = byName.get(name);
    if (!fm || !(fm.isObject || fm.isObjectList)) throw bad(`relationship for ${name}, which is not an object field`);
    for (const [p, c] of pairs) if (!isValidVersion(p) || !isValidVersion(c)) throw bad(`relationship ${name} has a bad version pair`);
  }
  return {
    name: def.name,
    version: def.version,
    history,
    registry: def.registry,
    fields,
    byName,
    objectFields: fields.filter((f) => f.isObject || f.isObjectList),
    containerFields: fields.filter((f) => f.container),
    relationships: def.relationships ?? {},
    cls: null,
    remotable: [],
    remotableClass: [],
    extraFields: [],
    originals: new Map(),
    classOriginals: new Map(),
  };
}
