import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Each scan builds a TypeScript program (about a second on a busy 2-core machine).
  test: { environment: 'node', include: ['src/**/*.test.ts', 'test/**/*.test.ts'], testTimeout: 60_000 },
});
