import type { HydrateContext } from './fields/field-type.js';
import type { FieldMeta, ObjectMeta } from './meta.js';

/**
 * Per-class straight-line code for the two hot paths (writing `data` of a primitive, reading it
 * back). Property names become constants, so V8 uses inline caches instead of a keyed lookup
 * per field — the difference between the object layer costing 2× or 4× plain JSON.
 * Field names are emitted through JSON.stringify, never spliced raw.
 */

export type DataWriter = (values: readonly unknown[]) => Record<string, unknown>;
export type DataReader = (data: Record<string, unknown>, values: unknown[], hc: HydrateContext) => void;

const writers = new WeakMap<ObjectMeta, Map<string, DataWriter>>();

/**
 * The writer of `data` for a class, leaving out the fields in `skip` (those a backport target
 * predates): building the object without them is much cheaper than deleting them afterwards,
 * which turns a V8 object into a slow dictionary.
 */
export function dataWriter(meta: ObjectMeta, unset: symbol, skip: ReadonlySet<string> = NO_SKIP): DataWriter {
  let byPlan = writers.get(meta);
  if (!byPlan) writers.set(meta, (byPlan = new Map()));
  // The plain writer (every to_primitive that is not a backport) must not build a key.
  const key = skip.size === 0 ? '' : [...skip].sort().join(',');
  let w = byPlan.get(key);
  if (!w) {
    const body = meta.fields
      .filter((fm) => !skip.has(fm.name))
      .map((fm) => {
        const name = JSON.stringify(fm.name);
        const value = fm.toPrimitive ? `x === null ? null : c[${fm.index}](x)` : 'x';
        return `x = v[${fm.index}]; if (x !== U) d[${name}] = ${value};`;
      })
      .join('\n');
    const convs = meta.fields.map((fm) => fm.toPrimitive);
    w = new Function('U', 'c', `return function writeData(v) {\nconst d = {};\nlet x;\n${body}\nreturn d;\n}`)(unset, convs) as DataWriter;
    byPlan.set(key, w);
  }
  return w;
}

const NO_SKIP: ReadonlySet<string> = new Set();
const readers = new WeakMap<ObjectMeta, DataReader>();

/** Reads every declared field present in `data`; unknown keys are ignored, as oslo does. */
export function dataReader(meta: ObjectMeta, unset: symbol, onError: (fm: FieldMeta, e: unknown, hc: HydrateContext) => never): DataReader {
  let r = readers.get(meta);
  if (!r) {
    const inherited = (name: string) => name in Object.prototype;
    const body = meta.fields
      .map((fm) => {
        const key = JSON.stringify(fm.name);
        const absent = inherited(fm.name) ? `x === undefined || !h.call(data, ${key})` : 'x === undefined';
        const child = fm.isObject || fm.isObjectList || fm.container ? `{ registry: hc.registry, context: hc.context, path: hc.path + ${JSON.stringify(`.${fm.name}`)}, depth: hc.depth + 1 }` : 'hc';
        return `i = ${fm.index}; x = data[${key}]; v[${fm.index}] = ${absent} ? U : x === null ? n[${fm.index}].coerce(null) : p[${fm.index}](x, ${child});`;
      })
      .join('\n');
    const fields = meta.fields.map((fm) => fm.field);
    const parsers = meta.fields.map((fm) => fm.field.type.fromPrimitive.bind(fm.field.type));
    const errorFields = meta.fields;
    r = new Function(
      'U',
      'n',
      'p',
      'h',
      'fail',
      'fm',
      `return function readData(data, v, hc) {\nlet i = -1, x;\ntry {\n${body}\n} catch (e) { fail(fm[i], e, hc); }\n}`,
    )(unset, fields, parsers, Object.prototype.hasOwnProperty, onError, errorFields) as DataReader;
    readers.set(meta, r);
  }
  return r;
}

export type DataAssigner = (obj: { obj_set_index(fm: FieldMeta, value: unknown): void }, values: Record<string, unknown>) => number;
const assigners = new WeakMap<ObjectMeta, DataAssigner>();

/** Sets every field given to a constructor (undefined means not given); returns how many were set. */
export function dataAssigner(meta: ObjectMeta): DataAssigner {
  let a = assigners.get(meta);
  if (!a) {
    const body = meta.fields
      .map((fm) => {
        const key = JSON.stringify(fm.name);
        const own = fm.name in Object.prototype ? ` && h.call(values, ${key})` : '';
        return `x = values[${key}]; if (x !== undefined${own}) { obj.obj_set_index(fm[${fm.index}], x); n++; }`;
      })
      .join('\n');
    a = new Function('fm', 'h', `return function assign(obj, values) {\nlet n = 0, x;\n${body}\nreturn n;\n}`)(meta.fields, Object.prototype.hasOwnProperty) as DataAssigner;
    assigners.set(meta, a);
  }
  return a;
}

/** An envelope literal with the registry's key names as constants. */
export function envelopeMaker(
  keys: { name: string; namespace: string; version: string; data: string },
  projectNamespace: string,
): (name: string, version: string, data: Record<string, unknown>) => Record<string, unknown> {
  const k = (x: string) => JSON.stringify(x);
  return new Function(
    'ns',
    `return function envelope(name, version, data) {\nreturn { ${k(keys.name)}: name, ${k(keys.namespace)}: ns, ${k(keys.version)}: version, ${k(keys.data)}: data };\n}`,
  )(projectNamespace);
}
