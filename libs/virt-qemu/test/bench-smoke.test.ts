// The benchmark must keep working between the runs people quote from it: one run prints one
// JSON object with the spawn time, both migrations and the idle guest's memory. Nothing here
// asserts a speed.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { describeWithQemu } from './real-qemu.js';

const PACKAGE = fileURLToPath(new URL('..', import.meta.url));

describeWithQemu('bench:qemu', () => {
  it('--json prints spawn, live migration and idle RSS figures', { timeout: 180_000 }, async () => {
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile('npm', ['run', '-s', 'bench', '--', '--json'], { cwd: PACKAGE }, (err, out) => (err ? reject(err) : resolve(out))),
    );
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const report = JSON.parse(lines[0]!);
    expect(report.spawn_s).toBeGreaterThan(0);
    for (const mb of ['64', '256']) {
      expect(report.live_migration[mb].total_s, `${mb} MB`).toBeGreaterThan(0);
      expect(report.live_migration[mb].downtime_ms).toBeGreaterThanOrEqual(0);
    }
    expect(report.idle_guest_rss_mb).toBeGreaterThan(0);
  });
});
