// The benchmark must keep working between the runs people quote from it: a very short run on
// SQLite (PostgreSQL is the suites' business) prints one JSON object with both rates.
// Nothing here asserts a speed.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const PACKAGE = fileURLToPath(new URL('..', import.meta.url));

it('bench --json prints the save and raw-update rates', { timeout: 120_000 }, async () => {
  const stdout = await new Promise<string>((resolve, reject) =>
    execFile('npm', ['run', '-s', 'bench', '--', '--json', '--seconds', '0.3', '--backends', 'sqlite'], { cwd: PACKAGE }, (err, out) => (err ? reject(err) : resolve(out))),
  );
  const lines = stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  const { sqlite } = JSON.parse(lines[0]!);
  expect(sqlite.save_per_s).toBeGreaterThan(0);
  expect(sqlite.raw_update_per_s).toBeGreaterThan(0);
  expect(sqlite.ratio).toBeCloseTo(sqlite.save_per_s / sqlite.raw_update_per_s, 1);
});
