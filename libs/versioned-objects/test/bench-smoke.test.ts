// The benchmark must keep working between the runs people quote from it: a very short run
// prints one JSON object with every operation measured. Nothing here asserts a speed.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const PACKAGE = fileURLToPath(new URL('..', import.meta.url));

it('bench --json prints one object with a rate for every operation', { timeout: 120_000 }, async () => {
  const stdout = await new Promise<string>((resolve, reject) =>
    execFile('npm', ['run', '-s', 'bench', '--', '--json', '--seconds', '0.1'], { cwd: PACKAGE, env: { ...process.env, NOVAKIT_ANCHORS: '/nonexistent' } }, (err, out) => (err ? reject(err) : resolve(out))),
  );
  const lines = stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  const report = JSON.parse(lines[0]!);
  for (const op of ['build', 'to_json', 'from_json', 'backport_1_0', 'changes', 'json_dumps_plain', 'json_loads_plain']) {
    expect(report.results[op].ops_per_s, op).toBeGreaterThan(0);
  }
});
