// Where the CLI finds the API: flags, then NOVAKIT_URL / NOVAKIT_TOKEN, then a config file
// (`--config`, NOVAKIT_CONFIG, ./.novakit/cli.json, then $XDG_CONFIG_HOME/novakit/cli.json).
// `novakit up` writes the last two, so a second terminal finds the node it started.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { CliError, ExitCode } from '../exit-codes.js';
import type { ApiTarget } from './api-client.js';

export const CliConfigSchema = z.strictObject({
  url: z.url(),
  token: z.string().min(1),
  /** The data directory of the node that wrote it (informational). */
  dataDir: z.string().optional(),
});
export type CliConfig = z.output<typeof CliConfigSchema>;

export interface Env {
  readonly [key: string]: string | undefined;
}

export function userConfigPath(env: Env): string {
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(base, 'novakit', 'cli.json');
}

/** The files tried, in order. */
export function configCandidates(env: Env, cwd: string, explicit?: string): string[] {
  if (explicit) return [resolve(cwd, explicit)];
  if (env.NOVAKIT_CONFIG) return [resolve(cwd, env.NOVAKIT_CONFIG)];
  return [join(cwd, '.novakit', 'cli.json'), userConfigPath(env)];
}

async function readConfig(path: string): Promise<CliConfig | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new CliError(`cannot read ${path}: ${(e as Error).message}`, ExitCode.UNREACHABLE);
  }
  const parsed = CliConfigSchema.safeParse((() => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return null;
    }
  })());
  if (!parsed.success) throw new CliError(`${path} is not a novakit CLI config (expected {"url", "token"})`, ExitCode.UNREACHABLE);
  return parsed.data;
}

export async function resolveTarget(flags: { url?: string; token?: string; config?: string }, env: Env, cwd: string): Promise<ApiTarget> {
  let url = flags.url ?? env.NOVAKIT_URL;
  let token = flags.token ?? env.NOVAKIT_TOKEN;
  if (!url || !token) {
    for (const path of configCandidates(env, cwd, flags.config)) {
      const found = await readConfig(path);
      if (!found) continue;
      url ??= found.url;
      token ??= found.token;
      break;
    }
  }
  if (!url || !token) {
    throw new CliError('no novakit API configured: start one with `novakit up`, or pass --url and --token (or set NOVAKIT_URL and NOVAKIT_TOKEN)', ExitCode.UNREACHABLE);
  }
  return { url, token };
}

/** Writes a config file readable by its owner only (it holds the token), atomically. */
export async function writeCliConfig(path: string, config: CliConfig): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  await rename(tmp, path);
}
