// The benchmark must keep working between the runs people quote from it: a very short run
// (no Python anchor) prints one JSON object in the shape the issue fixed. Nothing here
// asserts a speed.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { probeRabbitMq, servicesRequired } from '../src/testing.js';

const PACKAGE = fileURLToPath(new URL('..', import.meta.url));
const unavailable = await probeRabbitMq();
if (unavailable && servicesRequired()) throw new Error(`RabbitMQ required (NOVAKIT_REQUIRE_SERVICES=1) but unavailable: ${unavailable}`);
if (unavailable) console.warn(`skipping the rpc bench smoke test: ${unavailable}`);

const SHORT = ['--calls', '30', '--obj-calls', '30', '--casts', '60', '--obj-casts', '30', '--rounds', '1', '--warmup', '30', '--no-python'];

describe.skipIf(unavailable !== null)('bench:rpc', () => {
  it('--json prints amqp, inprocess and raw_amqplib results for every scenario', { timeout: 120_000 }, async () => {
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile('npm', ['run', '-s', 'bench', '--', '--json', ...SHORT], { cwd: PACKAGE }, (err, out) => (err ? reject(err) : resolve(out))),
    );
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const report = JSON.parse(lines[0]!);
    for (const transport of ['amqp', 'inprocess', 'raw_amqplib']) {
      for (const call of ['call_tiny', 'call_instance']) {
        const r = report[transport][call];
        expect(r.calls_per_s, `${transport} ${call}`).toBeGreaterThan(0);
        expect(r.p99_ms).toBeGreaterThanOrEqual(r.p50_ms);
      }
      for (const cast of ['cast_tiny', 'cast_instance']) {
        const r = report[transport][cast];
        expect(r.received, `${transport} ${cast}`).toBe(r.n);
        expect(r.end_to_end_per_s).toBeGreaterThan(0);
      }
    }
    expect(report.ratios.amqp_vs_raw_amqplib.call_tiny).toBeGreaterThan(0);
    expect(report.oslo_messaging).toEqual({ skipped: '--no-python' });
  });
});
