/**
 * The API's configuration, validated with zod. Unknown keys are refused so a typo never
 * silently falls back to a default.
 *
 * ```json
 * {
 *   "listen": { "host": "127.0.0.1", "port": 8774 },
 *   "transportUrl": "amqp://guest:guest@127.0.0.1:5672/",
 *   "auth": { "tokens": { "s3cret": { "project_id": "admin", "user_id": "admin", "roles": ["admin"] } } },
 *   "volumes": { "dataDir": "/var/lib/novakit/volumes", "maxSizeGb": 1024 },
 *   "bodyLimitBytes": 65536
 * }
 * ```
 */
import { z } from 'zod';
import { ApiConfigInvalid } from './errors.js';

const capSetting = z.string().min(1).default('auto');

/** What a token stands for: every request made with it runs as this user in this project. */
export const TokenIdentitySchema = z.strictObject({
  project_id: z.string().min(1).max(255),
  user_id: z.string().min(1).max(255),
  /** `admin` unlocks the operator routes (services, hypervisors, flavor create, live migration). */
  roles: z.array(z.string().min(1)).default(['admin']),
});
export type TokenIdentity = z.output<typeof TokenIdentitySchema>;

export const ApiConfigSchema = z.strictObject({
  listen: z
    .strictObject({
      host: z.string().min(1).default('127.0.0.1'),
      /** 0 picks a free port (tests); the bound one is on the handle. */
      port: z.number().int().min(0).max(65535).default(8774),
    })
    .default({ host: '127.0.0.1', port: 8774 }),
  /** `memory://<bus>` (embedded) or `amqp://user:pass@host:port/vhost`. Ignored when a transport is passed in. */
  transportUrl: z.string().regex(/^(memory|amqps?):\/\//, 'memory://… or amqp(s)://…').default('memory://novakit'),
  exchange: z.string().min(1).default('nova'),
  conductorTopic: z.string().min(1).default('conductor'),
  /** Static tokens (X-Auth-Token) and who they are. At least one: no request is anonymous. */
  auth: z.strictObject({
    tokens: z
      .record(z.string(), TokenIdentitySchema)
      .refine((t) => Object.keys(t).length > 0, 'at least one token')
      .refine((t) => Object.keys(t).every((k) => k.length >= 16), 'every token needs at least 16 characters'),
  }),
  volumes: z.strictObject({
    /** Where volume files (sparse, one per volume) and the volume records live. */
    dataDir: z.string().min(1),
    maxSizeGb: z.number().int().positive().default(1024),
  }),
  /** Larger request bodies are refused with 413 before they are parsed. */
  bodyLimitBytes: z.number().int().positive().default(64 * 1024),
  upgradeLevels: z.strictObject({ compute: capSetting, conductor: capSetting }).default({ compute: 'auto', conductor: 'auto' }),
  rpcTimeoutSeconds: z.number().positive().default(60),
  /**
   * Nova's long_rpc_timeout: how long a conductor compute_task call (live migration) may take.
   * It waits on the conductor's own calls to computes, so it must outlast several of them.
   */
  longRpcTimeoutSeconds: z.number().positive().default(1800),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type ApiConfig = z.output<typeof ApiConfigSchema>;
export type ApiConfigInput = z.input<typeof ApiConfigSchema>;

/** Validates a configuration; ApiConfigInvalid names every bad key. */
export function parseApiConfig(raw: unknown, source = 'configuration'): ApiConfig {
  const parsed = ApiConfigSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(top level)'}: ${i.code === 'unrecognized_keys' ? `unknown key(s) ${i.keys.join(', ')}` : i.message}`);
  throw new ApiConfigInvalid({ source, problems: problems.join('; ') });
}
