// The compute RPC methods: wire name, kwargs schema (checked on the server after the
// serializer rebuilt objects), call or cast, and the version that introduced each.
import { BlockDeviceMapping, BlockDeviceMappingList, Instance } from '@novakit/objects';
import { z } from 'zod';
import type { ComputeRpcVersion } from './history.js';

const instance = z.instanceof(Instance);
const record = z.record(z.string(), z.unknown());
const optionalRecord = record.nullable().optional();

export const ImageMetaSchema = z.object({
  id: z.string().nullable(),
  name: z.string().optional(),
  disk_format: z.string().optional(),
  container_format: z.string().optional(),
  min_disk: z.number().int().nonnegative().optional(),
  size: z.number().int().nonnegative().optional(),
  properties: z.record(z.string(), z.string()).default({}),
});
export type WireImageMeta = z.infer<typeof ImageMetaSchema>;

export const RequestedNetworkSchema = z.object({ network_id: z.string().nullable().optional(), address: z.string().nullable().optional(), port_id: z.string().nullable().optional() });

export interface MethodSpec {
  readonly wire: string;
  readonly kind: 'call' | 'cast';
  readonly since: ComputeRpcVersion;
  readonly args: z.ZodObject<z.ZodRawShape>;
}

const spec = <S extends z.ZodRawShape>(wire: string, kind: 'call' | 'cast', shape: S, since: ComputeRpcVersion = '1.0') =>
  ({ wire, kind, since, args: z.strictObject(shape) }) as const;

export const COMPUTE_METHODS = {
  buildAndRunInstance: spec('build_and_run_instance', 'cast', {
    instance,
    image: ImageMetaSchema,
    filter_properties: optionalRecord,
    admin_password: z.string().nullable().optional(),
    injected_files: z.array(z.tuple([z.string(), z.string()])).default([]),
    requested_networks: z.array(RequestedNetworkSchema).nullable().optional(),
    security_groups: z.array(z.string()).default([]),
    block_device_mapping: z.array(z.instanceof(BlockDeviceMapping)).default([]),
    node: z.string().nullable().optional(),
    limits: optionalRecord,
  }),
  terminateInstance: spec('terminate_instance', 'cast', { instance, bdms: z.instanceof(BlockDeviceMappingList).nullable().optional() }),
  rebootInstance: spec('reboot_instance', 'cast', { instance, reboot_type: z.enum(['SOFT', 'HARD']) }),
  stopInstance: spec('stop_instance', 'cast', { instance, clean_shutdown: z.boolean().default(true) }),
  startInstance: spec('start_instance', 'cast', { instance }),
  pauseInstance: spec('pause_instance', 'cast', { instance }),
  unpauseInstance: spec('unpause_instance', 'cast', { instance }),
  suspendInstance: spec('suspend_instance', 'cast', { instance }),
  resumeInstance: spec('resume_instance', 'cast', { instance }),
  reserveBlockDeviceName: spec('reserve_block_device_name', 'call', {
    instance,
    device: z.string().nullable().optional(),
    volume_id: z.string().min(1),
    disk_bus: z.string().nullable().optional(),
    device_type: z.string().nullable().optional(),
  }),
  attachVolume: spec('attach_volume', 'cast', { instance, bdm: z.instanceof(BlockDeviceMapping) }),
  detachVolume: spec('detach_volume', 'cast', { instance, volume_id: z.string().min(1) }),
  removeVolumeConnection: spec('remove_volume_connection', 'call', { instance, volume_id: z.string().min(1) }),
  getDiagnostics: spec('get_diagnostics', 'call', { instance }),
  getInstanceDiagnostics: spec('get_instance_diagnostics', 'call', { instance }),
  getConsoleOutput: spec('get_console_output', 'call', { instance, tail_length: z.number().int().positive().nullable().optional() }),
  injectNetworkInfo: spec('inject_network_info', 'cast', { instance }),
  resetNetwork: spec('reset_network', 'cast', { instance }),
  refreshInstanceSecurityRules: spec('refresh_instance_security_rules', 'cast', { instance }),
  checkCanLiveMigrateDestination: spec('check_can_live_migrate_destination', 'call', {
    instance,
    block_migration: z.boolean(),
    disk_over_commit: z.boolean(),
  }),
  checkCanLiveMigrateSource: spec('check_can_live_migrate_source', 'call', { instance, dest_check_data: record }),
  preLiveMigration: spec('pre_live_migration', 'call', { instance, block_migration: z.boolean(), disk: z.string().nullable().optional(), migrate_data: record }),
  liveMigration: spec('live_migration', 'cast', { instance, dest: z.string().min(1), block_migration: z.boolean(), migrate_data: record, migration_id: z.number().int().nullable().optional() }),
  postLiveMigrationAtDestination: spec('post_live_migration_at_destination', 'cast', { instance, block_migration: z.boolean() }),
  rollbackLiveMigrationAtDestination: spec('rollback_live_migration_at_destination', 'cast', { instance, destroy_disks: z.boolean(), migrate_data: optionalRecord }),
  checkInstanceSharedStorage: spec('check_instance_shared_storage', 'call', { instance, data: record }),
} as const satisfies Record<string, MethodSpec>;

export type ComputeMethodName = keyof typeof COMPUTE_METHODS;
/** The arguments a handler receives for a method, after validation. */
export type ComputeArgs<M extends ComputeMethodName> = z.output<(typeof COMPUTE_METHODS)[M]['args']>;
/** What a caller passes (defaults may be omitted). */
export type ComputeCallArgs<M extends ComputeMethodName> = z.input<(typeof COMPUTE_METHODS)[M]['args']>;
