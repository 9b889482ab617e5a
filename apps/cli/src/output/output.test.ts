import { describe, expect, it } from 'vitest';
import { fields, table, type Io } from './output.js';
import { ProgressBar } from './progress.js';
import { exitCodeForStatus } from '../exit-codes.js';
import { percentOf } from '../commands/server-migrate.js';

const capture = (isTty: boolean) => {
  const err: string[] = [];
  const io: Io = { out: () => undefined, err: (t) => void err.push(t), isTty };
  return { io, err };
};

describe('output', () => {
  it('draws tables and field lists', () => {
    expect(table(['A', 'Long header'], [[1, null], ['wide cell', { x: 1 }]])).toBe('A          Long header\n---------  -----------\n1\nwide cell  {"x":1}\n');
    expect(fields([['id', 'x'], ['status', 'ACTIVE']])).toBe('id      x\nstatus  ACTIVE\n');
  });

  it('prints a progress bar in place on a terminal, one line per change otherwise', () => {
    const tty = capture(true);
    const bar = new ProgressBar(tty.io, 'migrating');
    bar.update(50, 'running');
    bar.done('migrated');
    expect(tty.err[0]).toBe(`\rmigrating [${'='.repeat(15)}>${' '.repeat(14)}]  50% running\u001b[K`);
    expect(tty.err[1]).toBe('\rmigrated\x1b[K\n');
    const piped = capture(false);
    const p = new ProgressBar(piped.io, 'm');
    p.update(5, 'preparing');
    p.update(5, 'preparing');
    p.update(null, 'running');
    expect(piped.err).toHaveLength(2);
    expect(piped.err[1]).toMatch(/\.\.% running\n$/);
  });

  it('maps HTTP statuses to exit codes', () => {
    expect([400, 401, 403, 404, 409, 413, 500, 503].map(exitCodeForStatus)).toEqual([7, 4, 4, 5, 6, 7, 8, 8]);
  });

  it('measures migration progress from what the compute recorded', () => {
    const server = (progress: number) => ({ progress }) as never;
    expect(percentOf({ server: server(0), migration: { status: 'running', dest_compute: 'b', memory_total_bytes: 200, memory_processed_bytes: 50 } })).toBe(25);
    expect(percentOf({ server: server(40), migration: null })).toBe(40);
    expect(percentOf({ server: server(0), migration: { status: 'preparing', dest_compute: 'b', memory_total_bytes: null, memory_processed_bytes: null } })).toBe(5);
    expect(percentOf({ server: server(0), migration: { status: 'running', dest_compute: 'b', memory_total_bytes: null, memory_processed_bytes: null } })).toBeNull();
  });
});
