// Periodic tasks on their own timers (Nova's periodic_task): each task runs every
// `intervalMs`, never overlapping itself, off the RPC dispatch path (a slow task delays only
// its own next run). A failing run is logged and the task goes on.
import type { Logger } from 'pino';

export interface PeriodicTask {
  readonly name: string;
  /** 0 disables the task. */
  readonly intervalMs: number;
  run(): Promise<void>;
}

export class PeriodicRunner {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly rerun = new Set<string>();
  private stopped = false;

  constructor(
    private readonly tasks: readonly PeriodicTask[],
    private readonly log: Logger,
  ) {}

  start(): void {
    for (const task of this.tasks) if (task.intervalMs > 0) this.schedule(task, task.intervalMs);
  }

  /** Runs one task now (tests, and init_host's first report); waits for a run already going. */
  async runNow(name: string): Promise<void> {
    const task = this.tasks.find((t) => t.name === name);
    if (!task) throw new Error(`no periodic task ${name}`);
    await this.running.get(name);
    await this.runOnce(task);
  }

  /**
   * Asks for one more run of `name` without waiting for it: now when it is idle, else once
   * the current run ends (that run may have read what the request is about too early).
   * Requests arriving meanwhile share that one run. Runs even when the task's interval is 0.
   */
  runSoon(name: string): void {
    const task = this.tasks.find((t) => t.name === name);
    if (!task || this.stopped) return;
    if (this.running.has(name)) this.rerun.add(name);
    else void this.runOnce(task);
  }

  /** Cancels the timers and waits for the runs in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.running.values()]);
  }

  private schedule(task: PeriodicTask, delayMs: number): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      void this.runOnce(task).finally(() => this.schedule(task, task.intervalMs));
    }, delayMs);
    timer.unref();
    this.timers.set(task.name, timer);
  }

  private async runOnce(task: PeriodicTask): Promise<void> {
    if (this.running.has(task.name)) return;
    const run = (async () => {
      try {
        await task.run();
      } catch (err) {
        this.log.error({ err, task: task.name }, 'periodic task failed');
      }
    })();
    this.running.set(task.name, run);
    try {
      await run;
    } finally {
      this.running.delete(task.name);
    }
    // runSoon asked during that run: once more, for all the requests it collected.
    if (this.rerun.delete(task.name) && !this.stopped) await this.runOnce(task);
  }
}
