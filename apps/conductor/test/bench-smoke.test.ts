// The benchmark must keep working between the runs people quote from it: a very short run
// (no Python anchor) prints one JSON object in the shape the issue fixed. Nothing here
// asserts a speed.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { probeRabbitMq, servicesRequired } from '@novakit/rpc/testing';
import { describe, expect, it } from 'vitest';

const PACKAGE = fileURLToPath(new URL('..', import.meta.url));
const unavailable = await probeRabbitMq();
if (unavailable && servicesRequired()) throw new Error(`RabbitMQ required (NOVAKIT_REQUIRE_SERVICES=1) but unavailable: ${unavailable}`);
if (unavailable) console.warn(`skipping the conductor bench smoke test: ${unavailable}`);

describe.skipIf(unavailable !== null)('bench:conductor', () => {
  it('--json prints the object_action save rate, the concurrent rate and the DB-only floor', { timeout: 120_000 }, async () => {
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile('npm', ['run', '-s', 'bench', '--', '--json', '--calls', '40', '--rounds', '1', '--no-python'], { cwd: PACKAGE }, (err, out) => (err ? reject(err) : resolve(out))),
    );
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const report = JSON.parse(lines[0]!);
    expect(report.object_action_save.calls_per_s).toBeGreaterThan(0);
    expect(report.object_action_save.p99_ms).toBeGreaterThanOrEqual(report.object_action_save.p50_ms);
    expect(report.object_action_save_concurrent.calls_per_s).toBeGreaterThan(0);
    expect(report.db_only_save_per_s).toBeGreaterThan(0);
    expect(report.anchor).toEqual({ unavailable: 'skipped (--no-python)' });
  });
});
