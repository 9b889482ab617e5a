import { CoercionFailure, type FieldType } from './field-type.js';

export interface FieldOptions {
  readonly nullable: boolean;
  readonly hasDefault: boolean;
  readonly defaultValue: unknown;
  readonly readOnly: boolean;
  /** The object version that introduced this field; backports to older targets drop it. */
  readonly since: string | null;
  /** May be loaded on demand with obj_load_attr. */
  readonly lazy: boolean;
}

const BASE_OPTIONS: FieldOptions = { nullable: false, hasDefault: false, defaultValue: undefined, readOnly: false, since: null, lazy: false };

/**
 * A field of an object: a type plus oslo's Field rules. Builders return new fields, so one
 * field can be a template for others. `N` records nullability in the TypeScript type.
 */
export class Field<T, N extends boolean = false> {
  declare readonly __value: N extends true ? T | null : T;
  readonly options: FieldOptions;

  constructor(readonly type: FieldType<T>, options: Partial<FieldOptions> = {}) {
    this.options = { ...BASE_OPTIONS, ...options };
  }

  nullable(): Field<T, true> {
    return new Field<T, true>(this.type, { ...this.options, nullable: true });
  }

  /** Used by obj_set_defaults, and when null is assigned to a non-nullable field. Never at construction. */
  default(value: N extends true ? T | null : T): Field<T, N> {
    return new Field<T, N>(this.type, { ...this.options, hasDefault: true, defaultValue: value });
  }

  readOnly(): Field<T, N> {
    return new Field<T, N>(this.type, { ...this.options, readOnly: true });
  }

  since(version: string): Field<T, N> {
    return new Field<T, N>(this.type, { ...this.options, since: version });
  }

  lazy(): Field<T, N> {
    return new Field<T, N>(this.type, { ...this.options, lazy: true });
  }

  get nullableFlag(): boolean {
    return this.options.nullable;
  }

  /** oslo's Field.coerce: null handling, then the type's coercion. Throws CoercionFailure. */
  coerce(value: unknown, current?: unknown): N extends true ? T | null : T {
    if (value === null || value === undefined) {
      if (this.options.nullable) return null as any;
      if (this.options.hasDefault) return this.type.coerce(this.cloneDefault()) as any;
      throw new CoercionFailure('cannot be None');
    }
    return this.type.coerce(value, current as T | undefined) as any;
  }

  cloneDefault(): unknown {
    const d = this.options.defaultValue;
    return d === null || d === undefined ? d : this.type.clone(d as T);
  }

  /** Canonical text of everything about this field that matters to the wire (fingerprints). */
  describe(): string {
    const o = this.options;
    const parts = [`${this.type.describe()}`, `nullable=${o.nullable}`];
    if (o.hasDefault) parts.push(`default=${stableJson(o.defaultValue)}`);
    if (o.readOnly) parts.push('read_only=true');
    if (o.since) parts.push(`since=${o.since}`);
    if (o.lazy) parts.push('lazy=true');
    return parts.join(',');
  }
}

export type AnyField = Field<any, boolean>;
export type FieldValue<F> = F extends Field<infer T, infer N> ? (N extends true ? T | null : T) : never;

export function stableJson(value: unknown): string {
  if (value instanceof Set) return `set(${stableJson([...value].sort())})`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}
