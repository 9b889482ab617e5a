import { InjectedFailure, type DriverMethodName } from '@novakit/virt-driver';
import type { FakeDelays, FakeFailure, FakeFailures, FakeMigrationFailure } from './options.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The behaviour options of one driver, changeable at run time. Counters make failures
 * deterministic: the n-th matching call fails or not regardless of timing.
 */
export class FakeScenario {
  private readonly failures = new Map<DriverMethodName, FakeFailure>();
  private readonly seen = new Map<DriverMethodName, number>();
  private readonly delays = new Map<string, number>();
  private readonly callCounts = new Map<DriverMethodName, number>();
  private migrationFailure: FakeMigrationFailure | null = null;
  private migrationFailures = 0;
  /** How a live migration streams: in how many progress steps, how long each takes. */
  migrationPace: { readonly progressSteps: number; readonly stepDelayMs: number } = { progressSteps: 4, stepDelayMs: 0 };

  constructor(opts: { failures?: FakeFailures; delays?: FakeDelays; migrationFailure?: FakeMigrationFailure }) {
    for (const [method, failure] of Object.entries(opts.failures ?? {})) if (failure) this.setFailure(method as DriverMethodName, failure);
    for (const [method, ms] of Object.entries(opts.delays ?? {})) if (ms !== undefined) this.setDelay(method as DriverMethodName, ms);
    this.migrationFailure = opts.migrationFailure ?? null;
  }

  setFailure(method: DriverMethodName, failure: FakeFailure | true | null): void {
    this.seen.delete(method);
    if (failure) this.failures.set(method, failure === true ? {} : failure);
    else this.failures.delete(method);
  }

  setDelay(method: DriverMethodName | 'default', ms: number | null): void {
    if (ms === null || ms <= 0) this.delays.delete(method);
    else this.delays.set(method, ms);
  }

  setMigrationPace(pace: { progressSteps?: number; stepDelayMs?: number }): void {
    this.migrationPace = { ...this.migrationPace, ...pace };
  }

  setMigrationFailure(failure: FakeMigrationFailure | null): void {
    this.migrationFailure = failure;
    this.migrationFailures = 0;
  }

  /** Calls this driver received, by method (failed ones included). */
  calls(method: DriverMethodName): number {
    return this.callCounts.get(method) ?? 0;
  }

  /** Run on entry of every method: the configured delay, then the injected failure if due. */
  async enter(method: DriverMethodName, instanceUuid?: string): Promise<void> {
    this.callCounts.set(method, this.calls(method) + 1);
    const ms = this.delays.get(method) ?? this.delays.get('default');
    if (ms) await sleep(ms);
    const failure = this.failures.get(method);
    if (!failure || (failure.instanceUuid !== undefined && failure.instanceUuid !== instanceUuid)) return;
    const n = (this.seen.get(method) ?? 0) + 1;
    this.seen.set(method, n);
    const after = failure.after ?? 0;
    if (n <= after || (failure.times !== undefined && n > after + failure.times)) return;
    throw failure.error ? failure.error(method) : new InjectedFailure({ method, stage: 'call' });
  }

  /** The migration failure planned for `stage`, counting it when it fires. */
  migrationFailureAt(stage: FakeMigrationFailure['stage']): FakeMigrationFailure | null {
    const f = this.migrationFailure;
    if (!f || f.stage !== stage || (f.times !== undefined && this.migrationFailures >= f.times)) return null;
    return f;
  }

  consumeMigrationFailure(): void {
    this.migrationFailures++;
  }
}
