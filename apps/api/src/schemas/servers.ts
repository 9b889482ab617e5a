// Nova compute API v2.1 server shapes: create, list (ids and details), show, and the
// server action bodies.
import { z } from 'zod';
import { LinksSchema, nullableTimestamp, queryInt, SortDirSchema, TimestampSchema, uuid } from './common.js';

const metadata = z
  .record(z.string().min(1).max(255), z.string().max(255))
  .refine((m) => Object.keys(m).length <= 128, 'at most 128 metadata items');

const NetworkRequestSchema = z
  .strictObject({
    uuid: z.string().min(1).max(255).optional(),
    port: uuid().optional(),
    fixed_ip: z.union([z.ipv4(), z.ipv6()]).optional(),
  })
  .refine((n) => n.uuid !== undefined || n.port !== undefined, 'a network needs a uuid or a port');

export const ServerCreateBodySchema = z.strictObject({
  server: z.strictObject({
    name: z.string().trim().min(1).max(255),
    /** A flavor id, or a flavor URL whose last segment is the id. */
    flavorRef: z.union([z.string().min(1).max(255), z.number().int().positive().transform(String)]),
    /** An image id; absent or empty for an instance without an image. */
    imageRef: z.string().max(255).optional(),
    /** A list of networks or ports, or Nova 2.37's `auto` / `none`. */
    networks: z.union([z.literal('auto'), z.literal('none'), z.array(NetworkRequestSchema).max(16)]).optional(),
    security_groups: z.array(z.strictObject({ name: z.string().min(1).max(255) })).max(16).optional(),
    metadata: metadata.optional(),
    /** `nova`, or `nova:<host>` to place it on that host (admin, as in Juno). */
    availability_zone: z.string().min(1).max(255).optional(),
  }),
});
export type ServerCreateBody = z.output<typeof ServerCreateBodySchema>;

export const ServerCreatedSchema = z.object({
  server: z.object({
    id: z.string(),
    links: LinksSchema,
    security_groups: z.array(z.object({ name: z.string() })),
    'OS-DCF:diskConfig': z.string(),
  }),
});

export const SERVER_STATUSES = [
  'ACTIVE',
  'BUILD',
  'DELETED',
  'ERROR',
  'HARD_REBOOT',
  'MIGRATING',
  'PASSWORD',
  'PAUSED',
  'REBOOT',
  'REBUILD',
  'RESCUE',
  'RESIZE',
  'REVERT_RESIZE',
  'SHELVED',
  'SHELVED_OFFLOADED',
  'SHUTOFF',
  'SOFT_DELETED',
  'SUSPENDED',
  'UNKNOWN',
  'VERIFY_RESIZE',
] as const;

const AddressSchema = z.object({ version: z.number(), addr: z.string(), 'OS-EXT-IPS:type': z.string(), 'OS-EXT-IPS-MAC:mac_addr': z.string().nullable() });

export const ServerDetailSchema = z.object({
  id: z.string(),
  name: z.string().nullable(),
  status: z.enum(SERVER_STATUSES),
  tenant_id: z.string().nullable(),
  user_id: z.string().nullable(),
  metadata: z.record(z.string(), z.string()),
  hostId: z.string(),
  image: z.union([z.object({ id: z.string(), links: LinksSchema }), z.literal('')]),
  flavor: z.object({ id: z.string(), links: LinksSchema }),
  created: TimestampSchema.nullable(),
  updated: TimestampSchema.nullable(),
  addresses: z.record(z.string(), z.array(AddressSchema)),
  accessIPv4: z.string(),
  accessIPv6: z.string(),
  links: LinksSchema,
  progress: z.number(),
  'OS-DCF:diskConfig': z.string(),
  'OS-EXT-AZ:availability_zone': z.string(),
  'OS-EXT-SRV-ATTR:host': z.string().nullable(),
  'OS-EXT-SRV-ATTR:hypervisor_hostname': z.string().nullable(),
  'OS-EXT-SRV-ATTR:instance_name': z.string(),
  'OS-EXT-STS:task_state': z.string().nullable(),
  'OS-EXT-STS:vm_state': z.string().nullable(),
  'OS-EXT-STS:power_state': z.number(),
  'OS-SRV-USG:launched_at': nullableTimestamp(),
  'OS-SRV-USG:terminated_at': nullableTimestamp(),
  'os-extended-volumes:volumes_attached': z.array(z.object({ id: z.string() })),
  security_groups: z.array(z.object({ name: z.string() })),
  key_name: z.string().nullable(),
  config_drive: z.string(),
  fault: z.object({ code: z.number(), message: z.string(), created: TimestampSchema.nullable() }).optional(),
});
export type ServerDetail = z.output<typeof ServerDetailSchema>;

export const ServerShowSchema = z.object({ server: ServerDetailSchema });
export const ServerListSchema = z.object({ servers: z.array(z.object({ id: z.string(), name: z.string().nullable(), links: LinksSchema })) });
export const ServerDetailListSchema = z.object({ servers: z.array(ServerDetailSchema) });

export const ServerListQuerySchema = z.strictObject({
  /** Substring of the name (Nova takes a regular expression; a substring is its common use). */
  name: z.string().min(1).max(255).optional(),
  status: z
    .string()
    .transform((s) => s.toUpperCase())
    .pipe(z.enum(SERVER_STATUSES))
    .optional(),
  host: z.string().min(1).max(255).optional(),
  image: z.string().min(1).max(255).optional(),
  flavor: z.string().min(1).max(255).optional(),
  'changes-since': z.iso.datetime({ offset: true }).optional(),
  limit: queryInt(1, 1000).optional(),
  marker: z.string().min(1).max(255).optional(),
  sort_key: z.enum(['created_at', 'display_name', 'updated_at', 'host', 'vm_state', 'uuid']).optional(),
  sort_dir: SortDirSchema.optional(),
});
export type ServerListQuery = z.output<typeof ServerListQuerySchema>;

// --- server actions (POST /servers/{id}/action): exactly one key, each with its own schema ---

const noArgs = z.union([z.null(), z.strictObject({})]);

export const ACTION_BODY_SCHEMAS = {
  reboot: z.strictObject({ type: z.enum(['SOFT', 'HARD', 'soft', 'hard']).transform((t) => t.toUpperCase() as 'SOFT' | 'HARD') }),
  'os-stop': noArgs,
  'os-start': noArgs,
  pause: noArgs,
  unpause: noArgs,
  suspend: noArgs,
  resume: noArgs,
  'os-migrateLive': z.strictObject({
    /** The destination; null lets the scheduler choose. */
    host: z.string().min(1).max(255).nullable().default(null),
    /** `auto` (Nova 2.25): block migration unless the hosts share instance storage. */
    block_migration: z.union([z.boolean(), z.literal('auto')]).default('auto'),
    disk_over_commit: z.boolean().default(false),
  }),
  'os-getConsoleOutput': z.strictObject({ length: z.union([z.number().int().min(-1).max(10_000), z.null()]).optional() }),
  addSecurityGroup: z.strictObject({ name: z.string().min(1).max(255) }),
  removeSecurityGroup: z.strictObject({ name: z.string().min(1).max(255) }),
} as const;
export type ServerActionName = keyof typeof ACTION_BODY_SCHEMAS;
export type ActionArgs<A extends ServerActionName> = z.output<(typeof ACTION_BODY_SCHEMAS)[A]>;

export const ConsoleOutputSchema = z.object({ output: z.string() });
export const DiagnosticsSchema = z.record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.null()]));
