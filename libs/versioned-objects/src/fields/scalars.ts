import { CoercionFailure, identityClone, pyTypeName, shortRepr, strictEquals, type FieldType } from './field-type.js';
import { pythonDatetimeStr } from './datetime.js';

function scalar<T>(kind: string, coerce: (v: unknown) => T, sample: () => T, describe?: string): FieldType<T> {
  return {
    kind,
    describe: () => describe ?? kind,
    coerce,
    toPrimitive: null,
    fromPrimitive: (v) => coerce(v),
    container: false,
    clone: identityClone,
    equals: strictEquals,
    sample,
  };
}

function pyFloatStr(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (n === Infinity) return 'inf';
  if (n === -Infinity) return '-inf';
  return String(n);
}

export function coerceString(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return v;
    case 'number':
      return Number.isInteger(v) ? String(v) : pyFloatStr(v);
    case 'boolean':
      return v ? 'True' : 'False';
    case 'bigint':
      return v.toString();
    default:
      if (v instanceof Date) return pythonDatetimeStr(v);
      throw new CoercionFailure(`A string is required, not a ${pyTypeName(v)}`);
  }
}

const INT_RE = /^[+-]?\d+(?:_\d+)*$/;

export function coerceInteger(v: unknown): number {
  let n: number;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new CoercionFailure(`cannot convert float ${pyFloatStr(v)} to integer`);
    n = Math.trunc(v);
  } else if (typeof v === 'string') {
    const s = v.trim();
    if (!INT_RE.test(s)) throw new CoercionFailure(`invalid literal for int() with base 10: ${shortRepr(v)}`);
    n = Number(s.replace(/_/g, ''));
  } else if (typeof v === 'boolean') {
    n = v ? 1 : 0;
  } else if (typeof v === 'bigint') {
    n = Number(v);
  } else {
    throw new CoercionFailure(`int() argument must be a string or a number, not '${pyTypeName(v)}'`);
  }
  if (!Number.isSafeInteger(n)) throw new CoercionFailure(`integer ${shortRepr(v)} is out of the safe range`);
  return n === 0 ? 0 : n; // no -0
}

const FLOAT_RE = /^[+-]?(?:(?:\d+(?:_\d+)*)?\.?\d*(?:_\d+)*(?:[eE][+-]?\d+)?|inf|infinity|nan)$/i;

export function coerceFloat(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string') {
    const s = v.trim();
    if (s === '' || !FLOAT_RE.test(s) || !/[\dnN]/.test(s)) throw new CoercionFailure(`could not convert string to float: ${shortRepr(v)}`);
    const lower = s.toLowerCase().replace(/^\+/, '');
    if (lower === 'nan' || lower === '-nan') return NaN;
    if (lower === 'inf' || lower === 'infinity') return Infinity;
    if (lower === '-inf' || lower === '-infinity') return -Infinity;
    const n = Number(s.replace(/_/g, ''));
    if (Number.isNaN(n)) throw new CoercionFailure(`could not convert string to float: ${shortRepr(v)}`);
    return n;
  }
  throw new CoercionFailure(`float() argument must be a string or a number, not '${pyTypeName(v)}'`);
}

/** Python truthiness, as oslo's BooleanField does it: 'false' is True. */
export function coerceBoolean(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') return v.length > 0;
  if (typeof v === 'bigint') return v !== 0n;
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof Set || v instanceof Map) return v.size > 0;
  if (v instanceof Date) return true;
  if (v !== null && typeof v === 'object') return Object.keys(v).length > 0;
  return Boolean(v);
}

const TRUE_STRINGS = new Set(['1', 't', 'true', 'on', 'y', 'yes']);

/** oslo.utils strutils.bool_from_string with default=False. */
export function coerceFlexibleBoolean(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  const s = (typeof v === 'string' ? v : coerceString(v)).trim().toLowerCase();
  return TRUE_STRINGS.has(s);
}

function isUuid(s: string): boolean {
  if (s.length !== 36) return false;
  for (let i = 0; i < 36; i++) {
    const c = s.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 45) return false;
    } else if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70))) return false;
  }
  return true;
}

/** Stricter than oslo (which only warns): a malformed UUID is refused. */
export function coerceUuid(v: unknown): string {
  const s = typeof v === 'string' ? v : coerceString(v);
  if (!isUuid(s)) throw new CoercionFailure(`${shortRepr(s)} is not a valid UUID`);
  return s;
}

export const StringType = scalar<string>('String', coerceString, () => 'sample');
export const SensitiveStringType = scalar<string>('SensitiveString', coerceString, () => 'secret');
export const UUIDType = scalar<string>('UUID', coerceUuid, () => '3f0c2b8e-7d4a-4c1e-9b6f-2a5d8e1c0f47');
export const IntegerType = scalar<number>('Integer', coerceInteger, () => 7);
export const NonNegativeIntegerType = scalar<number>(
  'NonNegativeInteger',
  (v) => {
    const n = coerceInteger(v);
    if (n < 0) throw new CoercionFailure(`Value must be >= 0 for field, got ${n}`);
    return n;
  },
  () => 7,
);
export const FloatType = scalar<number>('Float', coerceFloat, () => 1.5);
export const NonNegativeFloatType = scalar<number>(
  'NonNegativeFloat',
  (v) => {
    const n = coerceFloat(v);
    if (!(n >= 0)) throw new CoercionFailure(`Value must be >= 0 for field, got ${n}`);
    return n;
  },
  () => 1.5,
);
export const BooleanType = scalar<boolean>('Boolean', coerceBoolean, () => true);
export const FlexibleBooleanType = scalar<boolean>('FlexibleBoolean', coerceFlexibleBoolean, () => true);

/** oslo's Enum: the value must be one of the valid values (checked before string coercion). */
export function enumType<V extends string>(values: readonly V[]): FieldType<V> {
  if (!Array.isArray(values) || values.length === 0) throw new TypeError('Enum fields require a list of valid_values');
  const valid = new Set<string>(values);
  const sorted = [...values].sort();
  return scalar<V>(
    'Enum',
    (v) => {
      if (typeof v !== 'string' || !valid.has(v)) throw new CoercionFailure(`Field value ${shortRepr(v)} is invalid`);
      return v as V;
    },
    () => values[0]!,
    `Enum(valid_values=[${sorted.join(',')}])`,
  );
}

/**
 * An Enum whose changes must follow allowed transitions once the field is set
 * (oslo's StateMachine mixin). The first assignment may be any valid value.
 */
export function stateMachineType<V extends string>(values: readonly V[], transitions: Readonly<Record<V, readonly V[]>>): FieldType<V> {
  const base = enumType(values);
  return {
    ...base,
    kind: 'StateMachine',
    describe: () => `StateMachine(${base.describe()},transitions=${JSON.stringify(Object.keys(transitions).sort().map((k) => [k, [...transitions[k as V]].sort()]))})`,
    coerce(v, current) {
      const next = base.coerce(v);
      if (current !== undefined && current !== null && current !== next) {
        const allowed = transitions[current] ?? [];
        if (!allowed.includes(next)) throw new CoercionFailure(`${current} is not allowed to transition to ${next}`);
      }
      return next;
    },
    fromPrimitive: (v) => base.coerce(v),
  };
}
