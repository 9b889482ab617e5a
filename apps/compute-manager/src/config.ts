/**
 * The compute manager's configuration file (JSON), validated with zod. Every key is
 * documented here; unknown keys are refused so a typo never silently falls back to a default.
 *
 * ```json
 * {
 *   "host": "compute1",
 *   "driver": { "name": "fake", "options": { "vcpus": 8 } },
 *   "transportUrl": "amqp://guest:guest@127.0.0.1:5672/",
 *   "conductorTopic": "conductor",
 *   "periodic": { "resourceReportSeconds": 60, "powerStateSyncSeconds": 600, "heartbeatSeconds": 10, "orphanCleanupSeconds": 300 },
 *   "upgradeLevels": { "compute": "auto", "conductor": "release-1" }
 * }
 * ```
 */
import { readFile } from 'node:fs/promises';
import { COMPUTE_RPC_API } from '@novakit/compute-api';
import { z } from 'zod';
import { ConfigError } from './errors.js';

const seconds = (def: number) => z.number().nonnegative().default(def);
const hostName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/, 'a host name: letters, digits, ".", "_" and "-"');
/** `auto` (minimum version among live services), a release alias or an explicit version. */
const capSetting = z.string().min(1).default('auto');

export const ComputeManagerConfigSchema = z.strictObject({
  /** This compute's host name: its RPC server is `compute.<host>`, its Service and ComputeNode carry it. */
  host: hostName,
  driver: z
    .strictObject({
      /** Which virt driver: the in-memory reference driver or QEMU over QMP. */
      name: z.enum(['fake', 'qemu']),
      /** Driver-specific settings, handed to the driver factory as they are. */
      options: z.record(z.string(), z.unknown()).default({}),
    })
    .default({ name: 'fake', options: {} }),
  /** `memory://<bus>` (embedded, one process) or `amqp://user:pass@host:port/vhost`. */
  transportUrl: z.string().regex(/^(memory|amqps?):\/\//, 'memory://… or amqp(s)://…'),
  /** The AMQP exchange (oslo's control_exchange); default the transport's (`openstack`). */
  exchange: z.string().min(1).optional(),
  conductorTopic: z.string().min(1).default('conductor'),
  periodic: z
    .strictObject({
      /** driver.getAvailableResource → ComputeNode, with instance usage. 0 disables a task. */
      resourceReportSeconds: seconds(60),
      /** Driver power state vs the database (Nova's sync_power_states). */
      powerStateSyncSeconds: seconds(600),
      /** Service.report_count and version (Nova's report_interval). */
      heartbeatSeconds: seconds(10),
      /** Hypervisor instances unknown to the database, and volume connections left behind. */
      orphanCleanupSeconds: seconds(300),
    })
    .default({ resourceReportSeconds: 60, powerStateSyncSeconds: 600, heartbeatSeconds: 10, orphanCleanupSeconds: 300 }),
  /** `[upgrade_levels]`: per RPC API, `auto` or a pinned version/alias. */
  upgradeLevels: z.strictObject({ compute: capSetting, conductor: capSetting }).default({ compute: 'auto', conductor: 'auto' }),
  /** Timeout of calls to the conductor and other computes. */
  rpcTimeoutSeconds: z.number().positive().default(60),
  /** How long a graceful shutdown waits for operations in flight before abandoning them to init_host. */
  shutdownGraceSeconds: z.number().nonnegative().default(30),
  /** Orphans found by the cleanup task: only log them, or destroy them on the hypervisor (Nova's running_deleted_instance_action). */
  orphanAction: z.enum(['log', 'reap']).default('reap'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type ComputeManagerConfig = z.output<typeof ComputeManagerConfigSchema>;
export type ComputeManagerConfigInput = z.input<typeof ComputeManagerConfigSchema>;

/** Validates a parsed configuration; ConfigError names every bad key with what was wrong. */
export function parseConfig(raw: unknown, source = 'configuration'): ComputeManagerConfig {
  const parsed = ComputeManagerConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => {
      const key = i.path.length ? i.path.join('.') : '(top level)';
      const unknown = i.code === 'unrecognized_keys' ? `: unknown key(s) ${i.keys.map((k) => JSON.stringify(k)).join(', ')}` : `: ${i.message}`;
      return `${key}${unknown}`;
    });
    throw new ConfigError({ source, problems: problems.join('; ') });
  }
  const config = parsed.data;
  for (const api of ['compute', 'conductor'] as const) {
    const setting = config.upgradeLevels[api];
    if (setting === 'auto') continue;
    try {
      // The conductor API lives in another lib; its aliases share the version syntax, so check the form here.
      if (api === 'compute') COMPUTE_RPC_API.versionCap(setting);
      else if (!/^(\d+\.\d+|[A-Za-z][\w-]*)$/.test(setting)) throw new Error('not a version or release alias');
    } catch (e) {
      throw new ConfigError({ source, problems: `upgradeLevels.${api}: ${JSON.stringify(setting)} is not auto, a version or a release alias (${(e as Error).message})` });
    }
  }
  return config;
}

/** Reads and validates a JSON configuration file. */
export async function loadConfigFile(path: string): Promise<ComputeManagerConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new ConfigError({ source: path, problems: `cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ConfigError({ source: path, problems: `not valid JSON (${(e as Error).message})` });
  }
  return parseConfig(raw, path);
}
