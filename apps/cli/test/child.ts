// Child processes for the end-to-end suites: the `novakit` bin run by node (as a user runs it),
// a long-running `up` whose banner is awaited, and clean stops. Every child started here is
// stopped by its own pid (or its own process group), never by name.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../bin/novakit.mjs', import.meta.url));
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface Finished {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly out: string;
  readonly err: string;
}

export function novakitArgs(args: readonly string[]): string[] {
  return ['--conditions=development', BIN, ...args];
}

/** Runs `novakit <args>` to completion. */
export function novakit(args: readonly string[], opts: { cwd: string; env: NodeJS.ProcessEnv }): Promise<Finished & { json: any }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, novakitArgs(args), { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      let json: unknown = null;
      try {
        json = JSON.parse(out);
      } catch {
        json = null;
      }
      resolve({ code, signal, out, err, json });
    });
  });
}

export interface Running {
  readonly child: ChildProcess;
  /** stdout so far. */
  output(): string;
  /** Resolves when stdout contains `text` (rejects if the process exits first or time runs out). */
  waitFor(text: string | RegExp, timeoutMs: number): Promise<string>;
  /** SIGINT (Ctrl-C) and wait for the exit; SIGKILL if it does not stop in time. */
  interrupt(timeoutMs?: number): Promise<Finished>;
}

/** Starts a long-running command; `group` puts it in its own process group (npm → sh → node). */
export function start(command: string, args: readonly string[], opts: { cwd: string; env: NodeJS.ProcessEnv; group?: boolean }): Running {
  const child = spawn(command, [...args], { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'], detached: opts.group ?? false });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<Finished>((r) => child.on('close', (code, signal) => r({ code, signal, out, err })));
  const kill = (signal: NodeJS.Signals) => {
    try {
      if (opts.group) process.kill(-child.pid!, signal);
      else child.kill(signal);
    } catch {
      // Already gone.
    }
  };
  return {
    child,
    output: () => out,
    async waitFor(text, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      const found = () => (typeof text === 'string' ? out.includes(text) : text.test(out));
      while (!found()) {
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`exited (${child.exitCode ?? child.signalCode}) before printing ${text}:\n${out}\n${err}`);
        if (Date.now() > deadline) throw new Error(`no ${text} after ${timeoutMs} ms:\n${out}\n${err}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      return out;
    },
    async interrupt(timeoutMs = 30_000) {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      kill('SIGINT');
      const timer = setTimeout(() => kill('SIGKILL'), timeoutMs);
      const done = await exited;
      clearTimeout(timer);
      return done;
    },
  };
}

/** The API URL from `novakit up`'s banner. */
export function apiUrlOf(banner: string): string {
  const m = /novakit is up: API (http:\/\/[^\s/]+)\/v2\.1/.exec(banner);
  if (!m) throw new Error(`no API URL in:\n${banner}`);
  return m[1]!;
}
