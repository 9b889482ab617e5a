import type { Field } from './field.js';
import { CoercionFailure, isPlainRecord, pyTypeName, type FieldType, type HydrateContext } from './field-type.js';

/** Keys that would reach a prototype if copied by assignment; refused in every dict. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__']);

function elementError(where: string, e: unknown): never {
  if (e instanceof CoercionFailure) throw new CoercionFailure(`element ${where}: ${e.reason}`);
  throw e;
}

function elementFromPrimitive<T>(elem: Field<T, boolean>, v: unknown, hc: HydrateContext): T | null {
  if (v === null || v === undefined) return elem.coerce(null) as T | null;
  return elem.type.fromPrimitive(v, hc);
}

export function listType<T>(elem: Field<T, boolean>): FieldType<Array<T | null>> {
  const et = elem.type;
  const elemToPrim = et.toPrimitive;
  const coerceElems = (items: Iterable<unknown>): Array<T | null> => {
    const out: Array<T | null> = [];
    let i = 0;
    for (const item of items) {
      try {
        out.push(elem.coerce(item) as T | null);
      } catch (e) {
        elementError(`[${i}]`, e);
      }
      i++;
    }
    return out;
  };
  const self: FieldType<Array<T | null>> = {
    kind: 'List',
    describe: () => `List(${elem.describe()})`,
    coerce(v) {
      if (Array.isArray(v) || v instanceof Set) return coerceElems(v);
      throw new CoercionFailure(`A list is required, not a ${pyTypeName(v)}`);
    },
    toPrimitive: (list) => (elemToPrim ? list.map((x) => (x === null ? null : elemToPrim(x))) : list.slice()),
    fromPrimitive(v, hc) {
      if (!Array.isArray(v)) throw new CoercionFailure(`A list is required, not a ${pyTypeName(v)}`);
      const out: Array<T | null> = new Array(v.length);
      for (let i = 0; i < v.length; i++) {
        try {
          out[i] = elementFromPrimitive(elem, v[i], hc);
        } catch (e) {
          elementError(`[${i}]`, e);
        }
      }
      return out;
    },
    container: true,
    clone: (list) => list.map((x) => (x === null ? null : et.clone(x))),
    equals(a, b) {
      if (a.length !== b.length) return false;
      for (let i = 0; i < a.length; i++) {
        const x = a[i];
        const y = b[i];
        if (x === y) continue;
        if (x === null || y === null || !et.equals(x, y)) return false;
      }
      return true;
    },
    sample: (reg, depth) => [et.sample(reg, depth)],
  };
  return self;
}

export function dictType<T>(elem: Field<T, boolean>): FieldType<Record<string, T | null>> {
  const et = elem.type;
  const elemToPrim = et.toPrimitive;
  // One loop for both directions: `hc` null means coerce, otherwise read from the wire.
  const mapValues = (src: Record<string, unknown>, hc: HydrateContext | null): Record<string, T | null> => {
    const out: Record<string, T | null> = {};
    for (const k of Object.keys(src)) {
      if (FORBIDDEN_KEYS.has(k)) throw new CoercionFailure(`key ${k} is not allowed`);
      try {
        out[k] = hc ? elementFromPrimitive(elem, src[k], hc) : (elem.coerce(src[k]) as T | null);
      } catch (e) {
        elementError(`[${JSON.stringify(k)}]`, e);
      }
    }
    return out;
  };
  return {
    kind: 'Dict',
    describe: () => `Dict(${elem.describe()})`,
    coerce(v) {
      if (v instanceof Map) v = Object.fromEntries(v);
      if (!isPlainRecord(v)) throw new CoercionFailure(`A dict is required, not a ${pyTypeName(v)}`);
      return mapValues(v, null);
    },
    toPrimitive(d) {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(d)) {
        const x = d[k];
        out[k] = elemToPrim && x !== null && x !== undefined ? elemToPrim(x) : x;
      }
      return out;
    },
    fromPrimitive(v, hc) {
      if (!isPlainRecord(v)) throw new CoercionFailure(`A dict is required, not a ${pyTypeName(v)}`);
      return mapValues(v, hc);
    },
    container: true,
    clone(d) {
      const out: Record<string, T | null> = {};
      for (const k of Object.keys(d)) {
        const x = d[k]!;
        out[k] = x === null ? null : et.clone(x);
      }
      return out;
    },
    equals(a, b) {
      const ka = Object.keys(a);
      if (ka.length !== Object.keys(b).length) return false;
      for (const k of ka) {
        if (!Object.prototype.hasOwnProperty.call(b, k)) return false;
        const x = a[k]!;
        const y = b[k]!;
        if (x === y) continue;
        if (x === null || y === null || !et.equals(x, y)) return false;
      }
      return true;
    },
    // Dicts of scalars are remembered as parallel key/value arrays: comparing against them is
    // one Object.keys and a loop, and this runs on every change check of every object.
    ...(et.container || et.kind === 'Object'
      ? {}
      : {
          snapshot: (d: Record<string, T | null>) => {
            const keys = Object.keys(d);
            return { keys, values: keys.map((k) => d[k]) };
          },
          matchesSnapshot(d: Record<string, T | null>, snap: unknown) {
            const { keys, values } = snap as { keys: string[]; values: unknown[] };
            const now = Object.keys(d);
            if (now.length !== keys.length) return false;
            for (let i = 0; i < now.length; i++) {
              if (now[i] !== keys[i]) return sameEntries(d, keys, values);
              const x = d[now[i]!];
              if (x !== values[i] && !(x !== null && values[i] !== null && et.equals(x as T, values[i] as T))) return false;
            }
            return true;
          },
        }),
    sample: (reg, depth) => ({ key: et.sample(reg, depth) }),
  };

  /** Same keys in another order: compare by key. */
  function sameEntries(d: Record<string, T | null>, keys: string[], values: unknown[]): boolean {
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      if (!Object.prototype.hasOwnProperty.call(d, k)) return false;
      const x = d[k];
      if (x !== values[i] && !(x !== null && values[i] !== null && et.equals(x as T, values[i] as T))) return false;
    }
    return true;
  }
}

/** A set on the object; a JSON array on the wire (oslo writes a tuple). */
export function setType<T>(elem: Field<T, boolean>): FieldType<Set<T | null>> {
  const et = elem.type;
  const elemToPrim = et.toPrimitive;
  const build = (items: Iterable<unknown>, one: (x: unknown) => T | null): Set<T | null> => {
    const out = new Set<T | null>();
    let i = 0;
    for (const x of items) {
      try {
        out.add(one(x));
      } catch (e) {
        elementError(`#${i}`, e);
      }
      i++;
    }
    return out;
  };
  return {
    kind: 'Set',
    describe: () => `Set(${elem.describe()})`,
    coerce(v) {
      if (!(v instanceof Set)) throw new CoercionFailure(`A set is required, not a ${pyTypeName(v)}`);
      return build(v, (x) => elem.coerce(x) as T | null);
    },
    toPrimitive: (s) => (elemToPrim ? [...s].map((x) => (x === null ? null : elemToPrim(x))) : [...s]),
    fromPrimitive(v, hc) {
      if (!Array.isArray(v) && !(v instanceof Set)) throw new CoercionFailure(`A set is required, not a ${pyTypeName(v)}`);
      return build(v, (x) => elementFromPrimitive(elem, x, hc));
    },
    container: true,
    clone: (s) => new Set(s),
    equals(a, b) {
      if (a.size !== b.size) return false;
      for (const x of a) if (!b.has(x)) return false;
      return true;
    },
    sample: (reg, depth) => new Set([et.sample(reg, depth)]),
  };
}
