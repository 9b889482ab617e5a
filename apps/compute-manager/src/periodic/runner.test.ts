import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { InFlight } from '../manager/env.js';
import { ComputeShuttingDown } from '../errors.js';
import { PeriodicRunner } from './runner.js';

const log = pino({ level: 'silent' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('PeriodicRunner', () => {
  it('never overlaps a task with itself, and a failing run does not stop it', async () => {
    let running = 0;
    let maxRunning = 0;
    let runs = 0;
    const runner = new PeriodicRunner(
      [
        {
          name: 'slow',
          intervalMs: 5,
          run: async () => {
            running++;
            maxRunning = Math.max(maxRunning, running);
            runs++;
            await sleep(30);
            running--;
            if (runs === 1) throw new Error('first run fails');
          },
        },
      ],
      log,
    );
    runner.start();
    await Promise.all([runner.runNow('slow'), runner.runNow('slow')]);
    await sleep(100);
    await runner.stop();
    expect(maxRunning).toBe(1);
    expect(runs).toBeGreaterThanOrEqual(2);
  });

  it('a disabled task (interval 0) runs only when asked', async () => {
    let runs = 0;
    const runner = new PeriodicRunner([{ name: 'off', intervalMs: 0, run: async () => void runs++ }], log);
    runner.start();
    await sleep(20);
    expect(runs).toBe(0);
    await runner.runNow('off');
    expect(runs).toBe(1);
    await runner.stop();
  });
});

describe('PeriodicRunner.runSoon', () => {
  it('runs an idle task at once, even with interval 0', async () => {
    let runs = 0;
    const runner = new PeriodicRunner([{ name: 'report', intervalMs: 0, run: async () => void runs++ }], log);
    runner.start();
    runner.runSoon('report');
    await sleep(10);
    expect(runs).toBe(1);
    await runner.stop();
  });

  it('asked during a run: exactly one more run after it, however often it was asked', async () => {
    const started: number[] = [];
    let release: () => void = () => undefined;
    const runner = new PeriodicRunner(
      [
        {
          name: 'report',
          intervalMs: 0,
          run: async () => {
            started.push(Date.now());
            if (started.length === 1) await new Promise<void>((r) => (release = r));
          },
        },
      ],
      log,
    );
    runner.runSoon('report');
    await sleep(5);
    for (let i = 0; i < 5; i++) runner.runSoon('report');
    await sleep(20);
    expect(started).toHaveLength(1);
    release();
    await sleep(20);
    expect(started).toHaveLength(2);
    await runner.stop();
  });

  it('does nothing after stop, or for a task it does not have', async () => {
    let runs = 0;
    const runner = new PeriodicRunner([{ name: 'report', intervalMs: 0, run: async () => void runs++ }], log);
    await runner.stop();
    runner.runSoon('report');
    runner.runSoon('unknown');
    await sleep(10);
    expect(runs).toBe(0);
  });
});

describe('InFlight', () => {
  it('waits for operations at close, reports the ones it abandons, and refuses new work', async () => {
    const inflight = new InFlight('h');
    void inflight.run(() => sleep(10));
    void inflight.run(() => sleep(500));
    expect(await inflight.close(50)).toBe(1);
    await expect(inflight.run(async () => 1)).rejects.toBeInstanceOf(ComputeShuttingDown);
  });
});
