import { VersionedObject, type Primitive } from '../base.js';
import { CoercionFailure, pyTypeName, type FieldType } from './field-type.js';

export type ObjectClassRef<C> = C | (() => C);
type AnyObjectClass = abstract new (...args: any[]) => VersionedObject;

function resolver<C extends AnyObjectClass>(ref: ObjectClassRef<C>): () => C {
  let cls: C | null = null;
  return () => {
    if (cls) return cls;
    const r = ref as any;
    cls = (typeof r === 'function' && r.meta ? r : r()) as C;
    if (!cls || !(cls as any).meta) throw new TypeError('object field refers to something that is not an object class');
    return cls;
  };
}

function checkObject(v: unknown, name: () => string, subclasses: boolean, cls: () => AnyObjectClass): VersionedObject {
  if (!(v instanceof VersionedObject)) throw new CoercionFailure(`An object of type ${name()} is required, not a ${pyTypeName(v)}`);
  if (v.obj_name() !== name() && !(subclasses && v instanceof cls())) {
    throw new CoercionFailure(`An object of type ${name()} is required, not a ${v.obj_name()}`);
  }
  return v;
}

/** A child object, nested as a full envelope on the wire. */
export function objectType<C extends AnyObjectClass>(ref: ObjectClassRef<C>, subclasses = false): FieldType<InstanceType<C>> {
  const cls = resolver(ref);
  const name = () => (cls() as any).meta.name as string;
  return {
    kind: 'Object',
    describe: () => `Object(${name()})`,
    coerce: (v) => checkObject(v, name, subclasses, cls) as InstanceType<C>,
    toPrimitive: (v) => v.obj_to_primitive(),
    fromPrimitive(v, hc) {
      const obj = hc.registry.fromPrimitiveNested(v, hc);
      return checkObject(obj, name, subclasses, cls) as InstanceType<C>;
    },
    container: false,
    clone: (v) => v.obj_clone(),
    equals: (a, b) => a.obj_equals(b),
    childObjectName: name,
    sample: (reg, depth) => reg.sampleObject(name(), depth + 1) as InstanceType<C>,
  };
}

/** A list of child objects. Membership edits and edits of any element count as changes. */
export function listOfObjectsType<C extends AnyObjectClass>(ref: ObjectClassRef<C>, subclasses = false): FieldType<Array<InstanceType<C>>> {
  const cls = resolver(ref);
  const name = () => (cls() as any).meta.name as string;
  return {
    kind: 'ListOfObjects',
    describe: () => `List(Object(${name()}))`,
    coerce(v) {
      if (!Array.isArray(v)) throw new CoercionFailure(`A list is required, not a ${pyTypeName(v)}`);
      const out: Array<InstanceType<C>> = new Array(v.length);
      for (let i = 0; i < v.length; i++) {
        try {
          out[i] = checkObject(v[i], name, subclasses, cls) as InstanceType<C>;
        } catch (e) {
          if (e instanceof CoercionFailure) throw new CoercionFailure(`element [${i}]: ${e.reason}`);
          throw e;
        }
      }
      return out;
    },
    toPrimitive: (list) => list.map((o) => o.obj_to_primitive()),
    fromPrimitive(v, hc) {
      if (!Array.isArray(v)) throw new CoercionFailure(`A list is required, not a ${pyTypeName(v)}`);
      // Index loop: an untrusted array must not pick its result type through `constructor`.
      const out: Array<InstanceType<C>> = new Array(v.length);
      for (let i = 0; i < v.length; i++) {
        const obj = hc.registry.fromPrimitiveNested(v[i] as Primitive, { ...hc, path: `${hc.path}[${i}]` });
        out[i] = checkObject(obj, name, subclasses, cls) as InstanceType<C>;
      }
      return out;
    },
    container: true,
    clone: (list) => list.map((o) => o.obj_clone()),
    equals: (a, b) => a.length === b.length && a.every((x, i) => x.obj_equals(b[i])),
    snapshot: (list) => list.slice(),
    matchesSnapshot: (list, snap) => {
      const s = snap as unknown[];
      return list.length === s.length && list.every((x, i) => x === s[i]);
    },
    childObjectName: name,
    sample: (reg, depth) => (depth > 3 ? [] : [reg.sampleObject(name(), depth + 1) as InstanceType<C>]),
  };
}
