import { spawnSync } from 'node:child_process';

/** Whether CI demands that every external dependency of a test be present. */
export const REQUIRE_SERVICES = process.env.NOVAKIT_REQUIRE_SERVICES === '1';

/**
 * Probe an optional dependency. Absent: skip with a printed reason, or fail in CI.
 * Returns true when the tests may run.
 */
export function available(what: string, probe: () => boolean): boolean {
  let ok = false;
  try {
    ok = probe();
  } catch {
    ok = false;
  }
  if (ok) return true;
  if (REQUIRE_SERVICES) throw new Error(`${what} is required (NOVAKIT_REQUIRE_SERVICES=1) but not available`);
  console.warn(`[skip] ${what} is not available; its tests are skipped`);
  return false;
}

export const PYTHON = '/usr/bin/python3';

export function hasPythonModule(module: string): boolean {
  return spawnSync(PYTHON, ['-c', `import ${module}`], { stdio: 'ignore' }).status === 0;
}
