// What every operator command shares: the API client (from flags, env or config file), the
// output mode (tables or `--json`), and polling for operations that finish after the API
// answered (casts).
import type { Command } from 'commander';
import { ApiClient } from '../client/api-client.js';
import { resolveTarget, type Env } from '../client/config.js';
import { CliError, ExitCode } from '../exit-codes.js';
import { json, type Io } from '../output/output.js';

export interface GlobalOptions {
  readonly url?: string;
  readonly token?: string;
  readonly config?: string;
  readonly json?: boolean;
}

export interface CliDeps {
  readonly io: Io;
  readonly env: Env;
  readonly cwd: string;
  /** How often waits poll the API (tests shorten it). */
  readonly pollMs?: number;
}

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class CommandContext {
  private api: ApiClient | null = null;

  constructor(
    readonly deps: CliDeps,
    readonly opts: GlobalOptions,
  ) {}

  get io(): Io {
    return this.deps.io;
  }

  async client(): Promise<ApiClient> {
    return (this.api ??= new ApiClient(await resolveTarget(this.opts, this.deps.env, this.deps.cwd)));
  }

  /** `human` for people, `data` as one JSON document with --json. */
  print(human: () => string, data: unknown): void {
    this.io.out(this.opts.json ? json(data) : human());
  }

  /** A short note for people (nothing with --json, so stdout stays one document). */
  note(text: string): void {
    if (!this.opts.json) this.io.out(`${text}\n`);
  }

  /** Polls `probe` until `done` says so; OPERATION_FAILED after `timeoutS`. */
  async waitFor<T>(what: string, probe: () => Promise<T>, done: (v: T) => boolean, timeoutS: number, onTick?: (v: T) => void): Promise<T> {
    const deadline = Date.now() + timeoutS * 1000;
    for (;;) {
      const v = await probe();
      onTick?.(v);
      if (done(v)) return v;
      if (Date.now() > deadline) throw new CliError(`timed out after ${timeoutS} s waiting for ${what}`, ExitCode.OPERATION_FAILED);
      await new Promise((r) => setTimeout(r, this.deps.pollMs ?? 500));
    }
  }
}

/** Makes the context of the command an action runs for (its options with the global ones). */
export function contextFor(deps: CliDeps): (cmd: Command) => CommandContext {
  return (cmd) => new CommandContext(deps, cmd.optsWithGlobals());
}

/** `?a=1&b=2` from the options that were given, or '' when none was. */
export function queryOf(filters: Readonly<Record<string, string | undefined>>): string {
  const q = new URLSearchParams(Object.entries(filters).filter((e): e is [string, string] => e[1] !== undefined));
  return q.size ? `?${q}` : '';
}

/** A positive integer option (`--size 2`); USAGE when it is not one. */
export function intOption(name: string, value: string | undefined, min = 1): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min) throw new CliError(`--${name} must be an integer of at least ${min} (got ${JSON.stringify(value)})`, ExitCode.USAGE);
  return Number(value);
}
