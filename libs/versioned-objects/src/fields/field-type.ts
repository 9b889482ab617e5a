import type { ObjectContext } from '../context.js';
import type { ObjectRegistry } from '../registry.js';

/** Thrown by a field type's coercion; the object setter turns it into a FieldValueError naming the field. */
export class CoercionFailure extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** What a field type needs while reading a primitive: where it is, for errors, and how to build child objects. */
export interface HydrateContext {
  readonly registry: ObjectRegistry;
  readonly context: ObjectContext | null;
  readonly path: string;
  readonly depth: number;
}

/**
 * A field type does coercion and wire conversion; `Field` adds null/default/read-only rules.
 * `toPrimitive === null` means the value is its own primitive (saves a call on the hot path).
 */
export interface FieldType<T> {
  /** oslo's type class name (`String`, `Integer`, `List`, `Object` …). */
  readonly kind: string;
  /** Canonical description including element types and child object names (used by fingerprints). */
  describe(): string;
  coerce(value: unknown, current?: T | undefined): T;
  readonly toPrimitive: ((value: T) => unknown) | null;
  fromPrimitive(value: unknown, hc: HydrateContext): T;
  /** Containers mutate in place; the object tracks them by snapshot. */
  readonly container: boolean;
  /** Deep copy for obj_clone and for container snapshots. */
  clone(value: T): T;
  equals(a: T, b: T): boolean;
  /** Change tracking for containers: what to remember at reset, and whether the value still matches it. */
  snapshot?(value: T): unknown;
  matchesSnapshot?(value: T, snapshot: unknown): boolean;
  /** For Object/ListOfObjects fields: the child object name (resolved lazily). */
  childObjectName?(): string;
  /** A valid sample value, for generated compatibility tests. */
  sample(registry: ObjectRegistry, depth: number): T;
}

export function pyTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType';
  if (Array.isArray(value)) return 'list';
  if (value instanceof Date) return 'datetime';
  if (value instanceof Set) return 'set';
  switch (typeof value) {
    case 'string':
      return 'str';
    case 'number':
      return Number.isInteger(value) ? 'int' : 'float';
    case 'boolean':
      return 'bool';
    case 'bigint':
      return 'int';
    case 'object':
      return 'dict';
    default:
      return typeof value;
  }
}

export function shortRepr(value: unknown): string {
  let s: string;
  try {
    s = typeof value === 'string' ? `'${value}'` : JSON.stringify(value) ?? String(value);
  } catch {
    s = String(value);
  }
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

export function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export const identityClone = <T>(v: T): T => v;
export const strictEquals = <T>(a: T, b: T): boolean => a === b || (a !== a && b !== b);
