// The CLI as tests drive it: `novakit up` in this process (runCli with an abort signal), and
// commands through runCli with captured output.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EmbeddedNode } from '../src/embedded/node.js';
import type { Io } from '../src/output/output.js';
import { runCli } from '../src/program.js';

export interface RunResult {
  readonly code: number;
  readonly out: string;
  readonly err: string;
  /** stdout as JSON (for --json runs). */
  readonly json: any;
}

export function captureIo(): { io: Io; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t) => void out.push(t), err: (t) => void err.push(t), isTty: false }, out, err };
}

export interface InProcessNode {
  readonly node: EmbeddedNode;
  readonly dir: string;
  readonly banner: string;
  /** Runs `novakit <args>` against this node (cwd = the temp dir, config from the data dir). */
  run(...args: string[]): Promise<RunResult>;
  stop(): Promise<number>;
}

export async function upInProcess(hosts = 2, driver: 'fake' | 'qemu' = 'fake'): Promise<InProcessNode> {
  const dir = await mkdtemp(join(tmpdir(), 'novakit-cli-'));
  const abort = new AbortController();
  const cap = captureIo();
  let resolveUp!: (n: EmbeddedNode) => void;
  const up = new Promise<EmbeddedNode>((r) => (resolveUp = r));
  const env = { XDG_CONFIG_HOME: join(dir, 'xdg') };
  const finished = runCli(['up', '--data-dir', join(dir, '.novakit'), '--port', '0', '--hosts', String(hosts), '--driver', driver, '--log-level', 'warn'], {
    io: cap.io,
    env,
    cwd: dir,
    signal: abort.signal,
    onUp: resolveUp,
  });
  const node = await Promise.race([up, finished.then((code) => Promise.reject(new Error(`up exited ${code}: ${cap.err.join('')}`)))]);
  return {
    node,
    dir,
    banner: cap.out.join(''),
    async run(...args) {
      const c = captureIo();
      const code = await runCli(args, { io: c.io, env, cwd: dir, pollMs: 50 });
      const out = c.out.join('');
      let json: unknown = null;
      try {
        json = JSON.parse(out);
      } catch {
        json = null;
      }
      return { code, out, err: c.err.join(''), json };
    },
    async stop() {
      abort.abort();
      const code = await finished;
      await rm(dir, { recursive: true, force: true });
      return code;
    },
  };
}
