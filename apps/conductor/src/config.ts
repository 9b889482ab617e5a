// The conductor's configuration: a JSON file, then environment variables, then command-line
// flags, each overriding the one before, validated as a whole with zod. Every problem is
// reported with the key, where its value came from and what is wrong; unknown keys are errors
// (a typo must not silently fall back to a default).
//
// {
//   "host": "ctl-1",                                   // default: the machine's hostname
//   "database": { "url": "postgres://nova@db/nova" },  // NOVAKIT_DB_URL
//   "transport": { "url": "amqp://guest:guest@mq:5672/", "exchange": "nova" },   // NOVAKIT_TRANSPORT_URL
//   "workers": 2,                                      // conductor processes consuming the topic
//   "log": { "level": "info" },                        // NOVAKIT_LOG_LEVEL
//   "scheduler": { "ram_allocation_ratio": 1.5, "disk_allocation_ratio": 1.0, "cpu_allocation_ratio": 16.0 }
// }
// Any key can also be set as NOVAKIT_CONDUCTOR__<SECTION>__<KEY> (JSON value, else a string),
// e.g. NOVAKIT_CONDUCTOR__SCHEDULER__RAM_ALLOCATION_RATIO=2.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { redactUrl } from '@novakit/db';
import { z } from 'zod';
import { ConfigError } from './errors.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const ConductorConfigSchema = z.strictObject({
  /** This conductor's host: its Service record and its `conductor.<host>` queue. */
  host: z.string().min(1).prefault(() => hostname()),
  topic: z.string().min(1).default('conductor'),
  /** Conductor processes on this host, all consuming the topic. */
  workers: z.number().int().min(1).max(64).default(1),
  database: z.strictObject({ url: z.string().min(1) }),
  transport: z.strictObject({
    url: z.string().min(1),
    /** oslo's control_exchange; default the rpc lib's. */
    exchange: z.string().min(1).optional(),
    connect_timeout_s: z.number().positive().default(30),
  }),
  /** Seconds between Service heartbeats. */
  report_interval_s: z.number().positive().default(10),
  /** On SIGTERM, how long calls in flight may take to finish. */
  shutdown_grace_s: z.number().positive().default(30),
  /** Requests one worker handles at once. */
  max_concurrency: z.number().int().min(1).max(1024).default(64),
  log: z.strictObject({ level: z.enum(LOG_LEVELS).default('info') }).prefault({}),
  scheduler: z
    .strictObject({
      ram_allocation_ratio: z.number().positive().default(1.5),
      disk_allocation_ratio: z.number().positive().default(1.0),
      cpu_allocation_ratio: z.number().positive().default(16.0),
      service_down_time_s: z.number().positive().default(60),
      max_migration_attempts: z.number().int().min(1).max(20).default(3),
    })
    .prefault({}),
});

export type ConductorConfig = z.output<typeof ConductorConfigSchema>;

/** Environment variables with a name of their own (shared with the other novakit services). */
const NAMED_ENV: Readonly<Record<string, string>> = {
  NOVAKIT_DB_URL: 'database.url',
  NOVAKIT_TRANSPORT_URL: 'transport.url',
  NOVAKIT_LOG_LEVEL: 'log.level',
};
const GENERIC_ENV = 'NOVAKIT_CONDUCTOR__';

export interface ConfigSources {
  /** Path of a JSON file. */
  readonly file?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Command-line values by dotted key (`database.url`), as typed. */
  readonly flags?: Readonly<Record<string, string | undefined>>;
}

type Tree = Record<string, unknown>;

/** Strips default/optional wrappers down to the schema that checks the value. */
function unwrap(schema: z.core.$ZodType | undefined): z.core.$ZodType | undefined {
  let s = schema;
  while (s && ['default', 'prefault', 'optional', 'nullable'].includes(s._zod.def.type)) s = (s._zod.def as unknown as { innerType: z.core.$ZodType }).innerType;
  return s;
}

/** Whether the key takes text (a string or one of a set of words), by the schema. */
function takesText(path: string): boolean {
  let node = unwrap(ConductorConfigSchema);
  for (const key of path.split('.')) {
    if (node?._zod.def.type !== 'object') return false;
    node = unwrap((node._zod.def as unknown as { shape: Record<string, z.core.$ZodType> }).shape[key]);
  }
  return node?._zod.def.type === 'string' || node?._zod.def.type === 'enum';
}

/**
 * Text from the environment or a flag, typed the same way for both: kept as text where the
 * key takes text (a host named `007`), else a JSON number, boolean or null is taken as such.
 */
function parseText(path: string, text: string): unknown {
  if (!takesText(path) && /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)$/.test(text.trim())) return JSON.parse(text);
  return text;
}

function setPath(tree: Tree, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = tree;
  for (const key of keys.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null || Array.isArray(node[key])) node[key] = {};
    node = node[key] as Tree;
  }
  node[keys[keys.length - 1]!] = value;
}

function readFile(file: string): Tree {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError({ problems: [`cannot read ${file}: ${(err as Error).message}`] });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new ConfigError({ problems: [`${file} is not valid JSON: ${(err as Error).message}`] });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ConfigError({ problems: [`${file} must hold a JSON object`] });
  return parsed as Tree;
}

/** Merges the sources, validates, and returns the configuration or throws ConfigError listing every problem. */
export function loadConfig(sources: ConfigSources = {}): ConductorConfig {
  const tree: Tree = sources.file ? readFile(sources.file) : {};
  const origin = new Map<string, string>();
  const env = sources.env ?? {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    const path = NAMED_ENV[name] ?? (name.startsWith(GENERIC_ENV) ? name.slice(GENERIC_ENV.length).toLowerCase().split('__').join('.') : undefined);
    if (!path) continue;
    setPath(tree, path, parseText(path, value));
    origin.set(path, `environment variable ${name}`);
  }
  for (const [path, value] of Object.entries(sources.flags ?? {})) {
    if (value === undefined) continue;
    setPath(tree, path, parseText(path, value));
    origin.set(path, `flag --${path.replace(/[._]/g, '-')}`);
  }
  const result = ConductorConfigSchema.safeParse(tree);
  if (!result.success) {
    const where = (path: string) => origin.get(path) ?? (sources.file ? `in ${sources.file}` : 'no value given');
    throw new ConfigError({ problems: result.error.issues.map((issue) => describeIssue(issue, where)) });
  }
  return result.data;
}

function describeIssue(issue: z.core.$ZodIssue, where: (path: string) => string): string {
  const path = issue.path.join('.');
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((k) => `${path ? `${path}.` : ''}${k}: unknown key (${where(path ? `${path}.${k}` : k)})`).join('; ');
  }
  return `${path || '(top level)'}: ${issue.message} (${where(path)})`;
}

/** The standalone service talks to computes on other hosts: the in-process transport cannot reach them. */
export function checkStandalone(config: ConductorConfig): void {
  if (!/^amqps?:\/\//.test(config.transport.url)) {
    throw new ConfigError({
      problems: [
        `transport.url: ${redactUrl(config.transport.url)} is not an AMQP URL; the standalone conductor needs amqp:// or amqps:// ` +
          '(memory:// is the in-process transport of the embedded mode, `novakit up`)',
      ],
    });
  }
}

/** The configuration as logs may show it: credentials in URLs masked. */
export function redactedConfig(config: ConductorConfig): ConductorConfig {
  return { ...config, database: { url: redactUrl(config.database.url) }, transport: { ...config.transport, url: redactUrl(config.transport.url) } };
}

/**
 * Settings that are valid but work against the operator. Several processes writing one
 * SQLite file wait on each other's write lock (the busy handler sleeps); measured with 8
 * concurrent callers: about 900 saves/s with one worker, 375–630/s with two.
 */
export function configWarnings(config: ConductorConfig): string[] {
  const warnings: string[] = [];
  if (config.workers > 1 && /^sqlite:/.test(config.database.url)) {
    warnings.push(
      `workers: ${config.workers} processes would share one SQLite file and wait on each other's write lock, which serves fewer calls than 1 worker; ` +
        'use 1 worker with SQLite, or PostgreSQL/MariaDB for several',
    );
  }
  return warnings;
}
