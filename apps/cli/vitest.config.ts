import { defineConfig } from 'vitest/config';

// The suites run whole nodes (in this process, and as child processes for the end-to-end
// tour): the limits bound hangs, they measure nothing.
export default defineConfig({
  test: { environment: 'node', include: ['src/**/*.test.ts', 'test/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000 },
});
