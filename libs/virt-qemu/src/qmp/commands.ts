/**
 * The QMP commands the building blocks use, with their argument types and a zod schema for
 * each reply (QEMU 7.2's qapi schema, reduced to the fields we read; extra fields pass).
 * A command outside this table can still be sent with `QmpClient.executeUnchecked`.
 */
import { z } from 'zod';

const Empty = z.looseObject({});
const n = z.number();

export const StatusInfoSchema = z.looseObject({ status: z.string(), running: z.boolean() });
export type StatusInfo = z.infer<typeof StatusInfoSchema>;

export const BlockInfoSchema = z.looseObject({
  device: z.string(),
  qdev: z.string().optional(),
  inserted: z
    .looseObject({ file: z.string(), 'node-name': z.string().optional(), drv: z.string(), ro: z.boolean() })
    .optional(),
});
export type BlockInfo = z.infer<typeof BlockInfoSchema>;

export const BlockStatsSchema = z.looseObject({
  device: z.string(),
  'node-name': z.string().optional(),
  qdev: z.string().optional(),
  stats: z.looseObject({
    rd_bytes: n,
    wr_bytes: n,
    rd_operations: n,
    wr_operations: n,
    flush_operations: n,
  }),
});
export type BlockStats = z.infer<typeof BlockStatsSchema>;

export const CpuInfoFastSchema = z.looseObject({
  'cpu-index': n,
  'thread-id': n,
  'qom-path': z.string(),
  target: z.string(),
});
export type CpuInfoFast = z.infer<typeof CpuInfoFastSchema>;

export const NamedBlockNodeSchema = z.looseObject({ 'node-name': z.string(), drv: z.string(), file: z.string() });

export const MigrationStatusSchema = z.enum([
  'none', 'setup', 'cancelling', 'cancelled', 'active', 'postcopy-active', 'postcopy-paused',
  'postcopy-recover', 'completed', 'failed', 'colo', 'pre-switchover', 'device', 'wait-unplug',
]);
export type MigrationStatus = z.infer<typeof MigrationStatusSchema>;

export const MigrationInfoSchema = z.looseObject({
  status: MigrationStatusSchema.optional(),
  'total-time': n.optional(),
  downtime: n.optional(),
  'expected-downtime': n.optional(),
  'setup-time': n.optional(),
  ram: z.looseObject({ transferred: n, remaining: n, total: n }).optional(),
  'error-desc': z.string().optional(),
  'socket-address': z.array(z.looseObject({ type: z.string(), host: z.string().optional(), port: z.string().optional() })).optional(),
});
export type MigrationInfo = z.infer<typeof MigrationInfoSchema>;

export const BlockJobInfoSchema = z.looseObject({
  device: z.string(),
  type: z.string(),
  len: n,
  offset: n,
  ready: z.boolean(),
  status: z.string(),
});
export type BlockJobInfo = z.infer<typeof BlockJobInfoSchema>;

/** Reply schema per command. */
export const QMP_REPLY_SCHEMAS = {
  qmp_capabilities: Empty,
  'query-status': StatusInfoSchema,
  stop: Empty,
  cont: Empty,
  system_reset: Empty,
  system_powerdown: Empty,
  quit: Empty,
  'blockdev-add': Empty,
  'blockdev-del': Empty,
  device_add: Empty,
  device_del: Empty,
  'query-block': z.array(BlockInfoSchema),
  'query-blockstats': z.array(BlockStatsSchema),
  'query-named-block-nodes': z.array(NamedBlockNodeSchema),
  'query-cpus-fast': z.array(CpuInfoFastSchema),
  migrate: Empty,
  'migrate-incoming': Empty,
  'migrate-set-capabilities': Empty,
  'migrate-set-parameters': Empty,
  'migrate-continue': Empty,
  migrate_cancel: Empty,
  'query-migrate': MigrationInfoSchema,
  'nbd-server-start': Empty,
  'nbd-server-stop': Empty,
  'block-export-add': Empty,
  'block-export-del': Empty,
  'blockdev-mirror': Empty,
  'query-block-jobs': z.array(BlockJobInfoSchema),
  'block-job-cancel': Empty,
  'block-job-complete': Empty,
  block_resize: Empty,
} as const;

type Obj = Record<string, unknown>;

/** Arguments per command (`undefined`: the command takes none). */
export interface QmpCommandArgs {
  qmp_capabilities: { enable?: string[] } | undefined;
  'query-status': undefined;
  stop: undefined;
  cont: undefined;
  system_reset: undefined;
  system_powerdown: undefined;
  quit: undefined;
  'blockdev-add': { 'node-name': string; driver: string } & Obj;
  'blockdev-del': { 'node-name': string };
  device_add: { driver: string; id: string } & Obj;
  device_del: { id: string };
  'query-block': undefined;
  'query-blockstats': { 'query-nodes'?: boolean } | undefined;
  'query-named-block-nodes': undefined;
  'query-cpus-fast': undefined;
  migrate: { uri: string };
  'migrate-incoming': { uri: string };
  'migrate-set-capabilities': { capabilities: { capability: string; state: boolean }[] };
  'migrate-set-parameters': Obj;
  'migrate-continue': { state: MigrationStatus };
  migrate_cancel: undefined;
  'query-migrate': undefined;
  'nbd-server-start': { addr: { type: 'inet'; data: { host: string; port: string } } };
  'nbd-server-stop': undefined;
  'block-export-add': { type: 'nbd'; id: string; 'node-name': string; writable?: boolean; name?: string };
  'block-export-del': { id: string; mode?: 'safe' | 'hard' };
  'blockdev-mirror': { 'job-id': string; device: string; target: string; sync: 'full' | 'top' | 'none' } & Obj;
  'query-block-jobs': undefined;
  'block-job-cancel': { device: string; force?: boolean };
  'block-job-complete': { device: string };
  block_resize: { 'node-name': string; size: number };
}

export type QmpCommandName = keyof QmpCommandArgs & keyof typeof QMP_REPLY_SCHEMAS;
export type QmpReturn<C extends QmpCommandName> = z.infer<(typeof QMP_REPLY_SCHEMAS)[C]>;
