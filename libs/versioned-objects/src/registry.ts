import { FIELD_ACCESSORS, PRISTINE, UNSET, VersionedObject } from './base.js';
import type { ObjectContext } from './context.js';
import {
  FieldValueError,
  IncompatibleObjectVersion,
  MalformedPrimitiveError,
  ObjectDefinitionError,
  UnregisteredSubobject,
  UnsupportedObjectError,
} from './errors.js';
import { CoercionFailure, isPlainRecord, pyTypeName, type HydrateContext } from './fields/field-type.js';
import type { FieldMeta, ObjectMeta } from './meta.js';
import { dataReader, envelopeMaker } from './codegen.js';
import { installRemotables } from './remotable.js';
import { compareVersions, isCompatible, isValidVersion, stripPatch } from './version.js';

export interface RegistryOptions {
  /** Prefix of the envelope keys: oslo's OBJ_SERIAL_NAMESPACE (`versioned_object`, Nova `nova_object`). */
  readonly serialNamespace: string;
  /** Value of the `.namespace` key: oslo's OBJ_PROJECT_NAMESPACE (Nova `nova`). */
  readonly projectNamespace: string;
  /** Deepest nesting of objects accepted from the wire. */
  readonly maxDepth?: number;
}

export interface EnvelopeKeys {
  readonly name: string;
  readonly namespace: string;
  readonly version: string;
  readonly data: string;
  readonly changes: string;
}

export type RegisteredClass = (abstract new (...args: any[]) => VersionedObject) & { readonly meta: ObjectMeta };

function malformed(hc: HydrateContext, reason: string): MalformedPrimitiveError {
  return new MalformedPrimitiveError({ path: hc.path, reason });
}

function fieldError(fm: FieldMeta, e: unknown, hc: HydrateContext): never {
  if (e instanceof CoercionFailure) {
    const reason = e.reason === 'cannot be None' ? `Field \`${fm.name}' cannot be None` : e.reason;
    throw new FieldValueError({ objname: fm.owner, field: `${hc.path}.${fm.name}`, reason });
  }
  throw e;
}

/**
 * The objects a process knows, by name, newest version first. Explicit: objects are added
 * with `register`, never by import side effects. One registry per namespace.
 */
export class ObjectRegistry {
  readonly keys: EnvelopeKeys;
  readonly serialNamespace: string;
  readonly projectNamespace: string;
  readonly maxDepth: number;
  /** Builds `{<ns>.name, <ns>.namespace, <ns>.version, <ns>.data}` with constant keys (see codegen.ts). */
  readonly envelope: (name: string, version: string, data: Record<string, unknown>) => Record<string, unknown>;
  private readonly classes = new Map<string, RegisteredClass[]>();
  private readonly treeCache = new Map<string, Readonly<Record<string, string>>>();

  constructor(options: RegistryOptions) {
    this.serialNamespace = options.serialNamespace;
    this.projectNamespace = options.projectNamespace;
    this.maxDepth = options.maxDepth ?? 32;
    const ns = options.serialNamespace;
    this.keys = { name: `${ns}.name`, namespace: `${ns}.namespace`, version: `${ns}.version`, data: `${ns}.data`, changes: `${ns}.changes` };
    this.envelope = envelopeMaker(this.keys, options.projectNamespace);
  }

  /**
   * Register a class (and wrap its remotable methods). A class declares them as
   * `static remotable = ['save']`, `static remotableClass = ['getByUuid']`, and computed
   * properties as `static extraFields = ['name']`.
   */
  register<C extends RegisteredClass>(cls: C): C {
    const meta = cls.meta;
    if (!meta || meta.registry !== this) {
      throw new ObjectDefinitionError({ objname: cls.name, reason: 'class is not defined on this registry' });
    }
    if (meta.cls && meta.cls !== cls) throw new ObjectDefinitionError({ objname: meta.name, reason: 'two classes share one definition' });
    for (const fm of meta.fields) {
      for (let p = cls.prototype; p && p !== VersionedObject.prototype; p = Object.getPrototypeOf(p)) {
        const desc = Object.getOwnPropertyDescriptor(p, fm.name);
        if (desc && !(desc.get && FIELD_ACCESSORS.has(desc.get))) {
          throw new ObjectDefinitionError({ objname: meta.name, reason: `member ${fm.name} collides with the field of that name` });
        }
      }
    }
    if (!meta.cls) {
      meta.cls = cls;
      installRemotables(cls);
      meta.extraFields = [...(((cls as any).extraFields as string[] | undefined) ?? [])];
    }
    const list = this.classes.get(meta.name) ?? [];
    const same = list.findIndex((c) => c.meta.version === meta.version);
    if (same >= 0) list.splice(same, 1, cls);
    else list.push(cls);
    list.sort((a, b) => compareVersions(b.meta.version, a.meta.version));
    this.classes.set(meta.name, list);
    this.treeCache.clear();
    return cls;
  }

  registerAll(classes: Iterable<RegisteredClass>): void {
    for (const cls of classes) this.register(cls);
  }

  has(name: string): boolean {
    return this.classes.has(name);
  }

  names(): string[] {
    return [...this.classes.keys()].sort();
  }

  /** Every registered class, newest version of each name first. */
  allClasses(): RegisteredClass[] {
    return [...this.classes.values()].flat();
  }

  newest(name: string): RegisteredClass {
    const list = this.classes.get(name);
    if (!list) throw new UnsupportedObjectError({ objtype: name });
    return list[0]!;
  }

  /** oslo's obj_class_from_name: exact version, else the newest compatible (same major, not older). */
  classFor(name: string, version: string): RegisteredClass {
    const list = this.classes.get(name);
    if (!list) throw new UnsupportedObjectError({ objtype: name });
    let compatible: RegisteredClass | null = null;
    for (const cls of list) {
      if (cls.meta.version === version) return cls;
      if (!compatible && isCompatible(version, cls.meta.version)) compatible = cls;
    }
    if (compatible) return compatible;
    throw new IncompatibleObjectVersion({ objname: name, objver: version, supported: list[0]!.meta.version });
  }

  /** oslo's obj_tree_get_versions: this object and every object reachable through its fields. */
  treeVersions(name: string): Readonly<Record<string, string>> {
    const hit = this.treeCache.get(name);
    if (hit) return hit;
    const out: Record<string, string> = {};
    const walk = (objname: string, parent: string | null) => {
      if (out[objname]) return;
      if (!this.classes.has(objname)) {
        if (parent) throw new UnregisteredSubobject({ child_objname: objname, parent_objname: parent });
        throw new UnsupportedObjectError({ objtype: objname });
      }
      const meta = this.newest(objname).meta;
      out[objname] = meta.version;
      for (const fm of meta.objectFields) walk(fm.field.type.childObjectName!(), objname);
    };
    walk(name, null);
    const frozen = Object.freeze(out);
    this.treeCache.set(name, frozen);
    return frozen;
  }

  /** Read an envelope from the wire. Every failure is a typed error naming what was wrong. */
  fromPrimitive(primitive: unknown, context: ObjectContext | null = null): VersionedObject {
    return this.fromPrimitiveNested(primitive, { registry: this, context, path: '$', depth: 0 });
  }

  /** @internal used by object fields for nested envelopes */
  fromPrimitiveNested(primitive: unknown, hc: HydrateContext): VersionedObject {
    if (hc.depth > this.maxDepth) throw malformed(hc, `objects nested deeper than ${this.maxDepth}`);
    if (!isPlainRecord(primitive)) throw malformed(hc, 'an object envelope must be a JSON object');
    const k = this.keys;
    const name = primitive[k.name];
    const namespace = primitive[k.namespace];
    const version = primitive[k.version];
    const data = primitive[k.data];
    const changes = primitive[k.changes];
    if (typeof name !== 'string') throw malformed(hc, `${k.name} must be a string`);
    if (typeof namespace !== 'string') throw malformed(hc, `${k.namespace} must be a string`);
    if (namespace !== this.projectNamespace) throw new UnsupportedObjectError({ objtype: `${namespace.slice(0, 60)}.${name.slice(0, 60)}` });
    if (!isValidVersion(version)) throw malformed(hc, `${k.version} must be X.Y or X.Y.Z, got ${typeof version === 'string' ? JSON.stringify(version.slice(0, 40)) : pyTypeName(version)}`);
    if (!isPlainRecord(data)) throw malformed(hc, `${k.data} must be a JSON object`);
    if (changes !== undefined && (!Array.isArray(changes) || changes.some((c) => typeof c !== 'string'))) {
      throw malformed(hc, `${k.changes} must be a list of field names`);
    }
    const cls = this.classFor(name, version);
    const meta = cls.meta;
    const obj = Object.create(cls.prototype) as VersionedObject;
    const n = meta.fields.length;
    const values = new Array(n);
    obj._v = values;
    obj._changed = new Uint8Array(n);
    obj._snap = meta.containerFields.length ? new Array(n) : null;
    obj._ctx = hc.context;
    obj._version = version;
    obj._manifest = null;
    dataReader(meta, UNSET, fieldError)(data, values, hc);
    if (changes) {
      for (const c of changes as string[]) {
        const fm = meta.byName.get(c);
        if (fm && values[fm.index] !== UNSET) obj._changed[fm.index] = 1;
      }
    }
    for (const fm of meta.containerFields) {
      const v = values[fm.index];
      if (v !== UNSET && v !== null && obj._changed[fm.index] === 0) obj._snap![fm.index] = PRISTINE;
    }
    return obj;
  }

  /** The version the serializer should retry with when a patch version is refused. */
  static retryVersion(version: string): string | null {
    return isValidVersion(version) && version.split('.').length === 3 ? stripPatch(version) : null;
  }

  /** An instance of `name` with every field set to a sample value (generated compatibility tests). */
  sampleObject(name: string, depth = 0): VersionedObject {
    const cls = this.newest(name) as unknown as new () => VersionedObject;
    const obj = new cls();
    for (const fm of (cls as unknown as RegisteredClass).meta.fields) {
      obj.obj_set_index(fm, fm.field.type.sample(this, depth));
    }
    return obj;
  }
}
