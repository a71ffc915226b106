import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['server/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['node_modules', 'dist'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Browser and integration tests start real servers on free ports; two workers fit 2 cores.
    maxWorkers: 2,
  },
});
