import { objectBase, VersionedObject, type ObjectBaseClass } from './base.js';
import { f } from './fields/index.js';
import type { ObjectClassRef } from './fields/objects.js';
import type { ObjectRegistry } from './registry.js';

type AnyObjectClass = abstract new (...args: any[]) => VersionedObject;

export interface ObjectListDefinition<C extends AnyObjectClass> {
  readonly registry: ObjectRegistry;
  readonly name: string;
  readonly version: string;
  readonly history: Readonly<Record<string, string>>;
  readonly child: ObjectClassRef<C>;
  /** oslo's child_versions: list version → element version, for backports without a manifest. */
  readonly childVersions?: Readonly<Record<string, string>>;
}

export interface ObjectListMembers<T> extends Iterable<T> {
  objects: T[];
  readonly length: number;
  at(index: number): T | undefined;
  map<U>(fn: (item: T, index: number) => U): U[];
  filter(fn: (item: T, index: number) => boolean): T[];
  find(fn: (item: T, index: number) => boolean): T | undefined;
  some(fn: (item: T, index: number) => boolean): boolean;
  /** A new list object of the same class and context with clean tracking (oslo's slicing). */
  obj_slice(start?: number, end?: number): this;
  /** Sort in place by a comparator. */
  sort(compare: (a: T, b: T) => number): this;
}

export interface ObjectListClass<C extends AnyObjectClass> extends Omit<ObjectBaseClass<{ objects: ReturnType<typeof f.listOfObjects<C>> }>, 'prototype'> {
  new (values?: { objects?: Array<InstanceType<C>> } | null, context?: import('./context.js').ObjectContext | null): VersionedObject & ObjectListMembers<InstanceType<C>>;
  prototype: VersionedObject & ObjectListMembers<InstanceType<C>>;
}

/**
 * The base for list objects (oslo's ObjectListBase): one field `objects`, sequence behaviour,
 * and child version levelling through `childVersions` or the manifest. A list is changed when
 * its membership or any element changed.
 */
export function objectListBase<C extends AnyObjectClass>(def: ObjectListDefinition<C>): ObjectListClass<C> {
  const childVersions = def.childVersions ?? {};
  const pairs = Object.keys(childVersions)
    .sort((a, b) => {
      const [am, an] = a.split('.').map(Number);
      const [bm, bn] = b.split('.').map(Number);
      return am! - bm! || an! - bn!;
    })
    .map((v) => [v, childVersions[v]!] as const);
  const Base = objectBase({
    registry: def.registry,
    name: def.name,
    version: def.version,
    history: def.history,
    fields: { objects: f.listOfObjects(def.child) },
    relationships: pairs.length ? { objects: pairs } : {},
  });
  class ListBase extends Base {
    constructor(values?: { objects?: Array<InstanceType<C>> } | null, context?: import('./context.js').ObjectContext | null) {
      super(values as any, context);
      // oslo: a new list starts with an empty, unchanged `objects`.
      if (!values || values.objects === undefined) {
        this.objects = [];
        this.obj_reset_changes(['objects']);
      }
    }
    get length(): number {
      return this.objects.length;
    }
    [Symbol.iterator](): Iterator<InstanceType<C>> {
      return (this.objects as Array<InstanceType<C>>)[Symbol.iterator]();
    }
    at(index: number) {
      return this.objects.at(index);
    }
    map<U>(fn: (item: InstanceType<C>, index: number) => U): U[] {
      return this.objects.map(fn);
    }
    filter(fn: (item: InstanceType<C>, index: number) => boolean) {
      return this.objects.filter(fn);
    }
    find(fn: (item: InstanceType<C>, index: number) => boolean) {
      return this.objects.find(fn);
    }
    some(fn: (item: InstanceType<C>, index: number) => boolean) {
      return this.objects.some(fn);
    }
    obj_slice(start?: number, end?: number): this {
      const Ctor = this.constructor as new (v: unknown, c: unknown) => this;
      const copy = new Ctor({ objects: this.objects.slice(start, end) }, this.obj_context);
      copy.obj_reset_changes();
      return copy;
    }
    sort(compare: (a: InstanceType<C>, b: InstanceType<C>) => number): this {
      this.objects.sort(compare);
      return this;
    }
  }
  Object.defineProperty(ListBase, 'name', { value: `${def.name}Base` });
  return ListBase as unknown as ObjectListClass<C>;
}
