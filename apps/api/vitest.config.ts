import { defineConfig } from 'vitest/config';

// The suites drive a whole embedded node over HTTP: on a loaded machine one test can take
// several seconds, so the per-test limit is generous (it bounds hangs, it measures nothing).
export default defineConfig({
  test: { environment: 'node', include: ['src/**/*.test.ts', 'test/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 },
});
