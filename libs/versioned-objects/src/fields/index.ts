import type { z } from 'zod';
import { dictType, listType, setType } from './containers.js';
import { DateTimeType } from './datetime.js';
import { Field } from './field.js';
import type { FieldType } from './field-type.js';
import { jsonModelType, type JsonModelOptions } from './json-model.js';
import {
  IPAddressType,
  IPNetworkType,
  IPV4AddressType,
  IPV4NetworkType,
  IPV6AddressType,
  IPV6NetworkType,
  MACAddressType,
} from './network.js';
import { listOfObjectsType, objectType, type ObjectClassRef } from './objects.js';
import {
  BooleanType,
  enumType,
  FlexibleBooleanType,
  FloatType,
  IntegerType,
  NonNegativeFloatType,
  NonNegativeIntegerType,
  SensitiveStringType,
  stateMachineType,
  StringType,
  UUIDType,
} from './scalars.js';
import type { VersionedObject } from '../base.js';

type AnyObjectClass = abstract new (...args: any[]) => VersionedObject;

/**
 * Field builders. Each returns a non-nullable field without default; chain `.nullable()`,
 * `.default(v)`, `.readOnly()`, `.since('1.2')`, `.lazy()`.
 *
 * ```ts
 * fields: { id: f.integer().readOnly(), host: f.string().nullable(), tags: f.list(f.string()).since('1.2') }
 * ```
 */
export const f = {
  string: () => new Field(StringType),
  sensitiveString: () => new Field(SensitiveStringType),
  uuid: () => new Field(UUIDType),
  integer: () => new Field(IntegerType),
  nonNegativeInteger: () => new Field(NonNegativeIntegerType),
  float: () => new Field(FloatType),
  nonNegativeFloat: () => new Field(NonNegativeFloatType),
  boolean: () => new Field(BooleanType),
  flexibleBoolean: () => new Field(FlexibleBooleanType),
  dateTime: () => new Field(DateTimeType),
  ipAddress: () => new Field(IPAddressType),
  ipv4Address: () => new Field(IPV4AddressType),
  ipv6Address: () => new Field(IPV6AddressType),
  ipNetwork: () => new Field(IPNetworkType),
  ipv4Network: () => new Field(IPV4NetworkType),
  ipv6Network: () => new Field(IPV6NetworkType),
  macAddress: () => new Field(MACAddressType),
  enum: <const V extends string>(values: readonly V[]) => new Field(enumType(values)),
  stateMachine: <const V extends string>(values: readonly V[], transitions: Readonly<Record<V, readonly V[]>>) =>
    new Field(stateMachineType(values, transitions)),
  list: <T, N extends boolean>(elem: Field<T, N>) => new Field(listType(elem) as FieldType<Array<N extends true ? T | null : T>>),
  dict: <T, N extends boolean>(elem: Field<T, N>) =>
    new Field(dictType(elem) as FieldType<Record<string, N extends true ? T | null : T>>),
  set: <T, N extends boolean>(elem: Field<T, N>) => new Field(setType(elem) as FieldType<Set<N extends true ? T | null : T>>),
  object: <C extends AnyObjectClass>(cls: ObjectClassRef<C>, options?: { subclasses?: boolean }) =>
    new Field(objectType(cls, options?.subclasses ?? false)),
  listOfObjects: <C extends AnyObjectClass>(cls: ObjectClassRef<C>, options?: { subclasses?: boolean }) =>
    new Field(listOfObjectsType(cls, options?.subclasses ?? false)),
  json: <T>(schema: z.ZodType<T>, options: JsonModelOptions<T>) => new Field(jsonModelType(schema, options)),
  /** A field of a custom type (oslo's FieldType subclassing). */
  custom: <T>(type: FieldType<T>) => new Field(type),
};
