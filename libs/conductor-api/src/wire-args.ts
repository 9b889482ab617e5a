// The kwargs of every conductor method on the wire, as zod schemas: the server validates
// each request against them before anything runs (a refusal is InvalidArguments), and the
// tests build malformed requests from them. Objects arrive already hydrated by the serializer.
import { INSTANCE_OPTIONAL_ATTRS } from '@novakit/objects';
import { VersionedObject } from '@novakit/versioned-objects';
import { z } from 'zod';

/** Keys that would reach an object's prototype if a handler ever copied them. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,99}$/;

/** An object or method name: an identifier, never a prototype key. */
export const NameSchema = z
  .string()
  .regex(IDENTIFIER, 'must be an identifier')
  .refine((s) => !PROTOTYPE_KEYS.has(s), 'must not be a prototype key');
const VersionSchema = z.string().regex(/^\d{1,4}\.\d{1,4}(?:\.\d{1,4})?$/, 'must be X.Y');

/** `{objname: version}` of every object the caller knows (oslo's version manifest). */
export const ManifestSchema = z.record(NameSchema, VersionSchema);
/** Positional arguments of a remotable method. */
const ArgsSchema = z.array(z.unknown()).max(64);
/** Keyword arguments from a Python-style caller; appended to `args` as one options object. */
const KwargsSchema = z.record(NameSchema, z.unknown());

const anObject = z.instanceof(VersionedObject, { message: 'must be a versioned object primitive' });
const objectNamed = (name: string) =>
  anObject.refine((o) => o.obj_name() === name, { message: `must be a ${name} object` });

const Uuid = z.string().min(1).max(255);
const Host = z.string().min(1).max(255);
const Values = z.record(NameSchema, z.unknown());
const Id = z.number().int().nonnegative();

export const OBJECT_METHOD_ARGS = {
  object_class_action_versions: z.strictObject({
    objname: NameSchema,
    objmethod: NameSchema,
    object_versions: ManifestSchema,
    args: ArgsSchema,
    kwargs: KwargsSchema,
  }),
  object_action: z.strictObject({ objinst: anObject, objmethod: NameSchema, args: ArgsSchema, kwargs: KwargsSchema }),
  object_backport_versions: z.strictObject({ objinst: anObject, object_versions: ManifestSchema }),
};

export const LEGACY_METHOD_ARGS = {
  instance_get_by_uuid: z.strictObject({
    instance_uuid: Uuid,
    columns_to_join: z.array(z.enum(INSTANCE_OPTIONAL_ATTRS as unknown as [string, ...string[]])).optional(),
  }),
  instance_get_all_by_host: z.strictObject({ host: Host, node: Host.nullish() }),
  instance_update: z.strictObject({ instance_uuid: Uuid, updates: Values, service: z.string().nullish() }),
  instance_update_and_get_original: z.strictObject({ instance_uuid: Uuid, updates: Values }),
  block_device_mapping_get_all_by_instance: z.strictObject({ instance_uuid: Uuid }),
  block_device_mapping_update_or_create: z.strictObject({ values: Values, create: z.boolean().nullish() }),
  security_group_get_by_instance: z.strictObject({ instance_uuid: Uuid }),
  security_group_rule_get_by_security_group: z.strictObject({ security_group_id: Id }),
  provider_fw_rule_get_all: z.strictObject({}),
  instance_fault_create: z.strictObject({
    values: z.strictObject({
      instance_uuid: Uuid,
      code: z.number().int(),
      message: z.string().nullish(),
      details: z.string().nullish(),
      host: z.string().nullish(),
    }),
  }),
  action_event_start: z.strictObject({
    values: z.strictObject({ event: z.string().min(1), instance_uuid: Uuid, request_id: z.string().min(1), start_time: z.string().optional(), host: z.string().nullish() }),
  }),
  action_event_finish: z.strictObject({
    values: z.strictObject({
      event: z.string().min(1),
      instance_uuid: Uuid,
      request_id: z.string().min(1),
      result: z.string().min(1),
      finish_time: z.string().optional(),
      traceback: z.string().nullish(),
    }),
  }),
  agent_build_get_by_triple: z.strictObject({ hypervisor: z.string(), os: z.string(), architecture: z.string() }),
  service_get_by_compute_host: z.strictObject({ host: Host }),
  service_update: z.strictObject({ service_id: Id, values: Values }),
  compute_node_create: z.strictObject({ values: Values }),
  compute_node_update: z.strictObject({ node_id: Id, values: Values }),
  compute_node_delete: z.strictObject({ node_id: Id }),
  migration_get_in_progress_by_host_and_node: z.strictObject({ host: Host, node: Host }),
};

export const COMPUTE_TASK_METHOD_ARGS = {
  build_instances: z.strictObject({
    instances: z.array(objectNamed('Instance')).min(1).max(100),
    image: z.record(z.string(), z.unknown()),
    filter_properties: z
      .strictObject({ ignore_hosts: z.array(Host).optional(), force_hosts: z.array(Host).optional() })
      .default({}),
    admin_password: z.string().nullish(),
    injected_files: z.array(z.tuple([z.string(), z.string()])).default([]),
    requested_networks: z.array(z.record(z.string(), z.unknown())).nullish(),
    security_groups: z.array(z.string()).default([]),
    block_device_mapping: z.array(objectNamed('BlockDeviceMapping')).default([]),
  }),
  live_migrate_instance: z.strictObject({
    instance: objectNamed('Instance'),
    scheduler_hint: z.strictObject({ host: Host.nullable() }),
    block_migration: z.boolean(),
    disk_over_commit: z.boolean(),
  }),
};

export type LegacyMethodArgs = { [M in keyof typeof LEGACY_METHOD_ARGS]: z.output<(typeof LEGACY_METHOD_ARGS)[M]> };
export type ObjectMethodArgs = { [M in keyof typeof OBJECT_METHOD_ARGS]: z.output<(typeof OBJECT_METHOD_ARGS)[M]> };
export type ComputeTaskMethodArgs = { [M in keyof typeof COMPUTE_TASK_METHOD_ARGS]: z.output<(typeof COMPUTE_TASK_METHOD_ARGS)[M]> };
