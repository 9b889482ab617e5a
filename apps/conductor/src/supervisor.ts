// `workers` > 1: this process forks one worker process per slot and watches them. Every
// worker consumes the same topic (RabbitMQ round-robins between them). A worker that dies is
// restarted, unless it died before saying it had started (bad config, old schema: restarting
// cannot help), in which case the whole service stops. SIGTERM is passed to every worker; each finishes
// its calls in flight before exiting.
import { fork, type ChildProcess } from 'node:child_process';
import type { Logger } from 'pino';

/** What a worker sends its supervisor once it serves (cli.ts). */
export const WORKER_STARTED = 'conductor-worker-started';

export interface SupervisorOptions {
  readonly entry: string;
  readonly args: readonly string[];
  readonly workers: number;
  /** How long workers may take to stop before they are killed. */
  readonly graceMs: number;
  readonly log: Logger;
}

export function superviseWorkers(options: SupervisorOptions): Promise<number> {
  const { log } = options;
  const children = new Map<number, ChildProcess>();
  let stopping = false;
  let exitCode = 0;
  let resolve!: (code: number) => void;
  const done = new Promise<number>((r) => (resolve = r));

  const spawnWorker = (slot: number): void => {
    let started = false;
    const child = fork(options.entry, [...options.args, '--worker', String(slot)], { execArgv: process.execArgv, stdio: 'inherit' });
    children.set(slot, child);
    log.info({ worker: slot, worker_pid: child.pid }, 'worker forked');
    child.on('message', (m: { type?: string }) => {
      if (m?.type === WORKER_STARTED) started = true;
    });
    child.on('exit', (code, signal) => {
      children.delete(slot);
      if (stopping) {
        if (children.size === 0) resolve(exitCode);
        return;
      }
      const failedStart = !started;
      log.warn({ worker: slot, worker_pid: child.pid, code, signal }, failedStart ? 'worker failed to start; stopping' : 'worker died; restarting');
      if (failedStart) {
        exitCode = code ?? 1;
        stop();
      } else {
        setTimeout(() => !stopping && spawnWorker(slot), 1000).unref();
      }
    });
  };

  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    if (children.size === 0) return resolve(exitCode);
    for (const child of children.values()) child.kill('SIGTERM');
    setTimeout(() => {
      for (const child of children.values()) child.kill('SIGKILL');
    }, options.graceMs + 5000).unref();
  };

  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  for (let slot = 0; slot < options.workers; slot++) spawnWorker(slot);
  return done;
}
