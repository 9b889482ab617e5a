import type { ObjectContext } from './context.js';
import type { AnyField } from './fields/field.js';
import type { ObjectRegistry } from './registry.js';

export interface FieldMeta {
  readonly name: string;
  /** Name of the object this field belongs to (for error messages). */
  readonly owner: string;
  readonly index: number;
  readonly field: AnyField;
  readonly toPrimitive: ((value: any) => unknown) | null;
  /** Object or ListOfObjects: the child object name, resolved on first use. */
  readonly isObject: boolean;
  readonly isObjectList: boolean;
  readonly container: boolean;
  readonly stateful: boolean;
}

export type Relationships = Readonly<Record<string, ReadonlyArray<readonly [parentVersion: string, childVersion: string]>>>;

export interface ObjectMeta {
  readonly name: string;
  readonly version: string;
  readonly history: Readonly<Record<string, string>>;
  readonly registry: ObjectRegistry;
  readonly fields: readonly FieldMeta[];
  readonly byName: ReadonlyMap<string, FieldMeta>;
  readonly objectFields: readonly FieldMeta[];
  readonly containerFields: readonly FieldMeta[];
  readonly relationships: Relationships;
  /** Set by registration: the concrete class objects of this name are built as. */
  cls: (abstract new (...args: any[]) => any) | null;
  remotable: readonly string[];
  remotableClass: readonly string[];
  extraFields: readonly string[];
  /** The unwrapped local implementations, kept for dispatch and fingerprints. */
  readonly originals: Map<string, (...args: any[]) => any>;
  readonly classOriginals: Map<string, (...args: any[]) => any>;
}

export interface ObjectDefinition<F> {
  readonly registry: ObjectRegistry;
  readonly name: string;
  readonly version: string;
  /** Every version with a one-line changelog, oldest first. */
  readonly history: Readonly<Record<string, string>>;
  readonly fields: F;
  /** oslo's obj_relationships: per child field, [parent version, child version] pairs, oldest first. */
  readonly relationships?: Relationships;
}

export type ContextOf<O> = O extends { obj_context: infer C } ? C : ObjectContext;
