import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // each file gets its own database and server; files run in parallel on the one cluster
    fileParallelism: true,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
