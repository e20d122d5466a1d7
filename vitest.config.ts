import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // each file gets its own database and server; files run in parallel on the one cluster
    fileParallelism: true,
    // Most of a file's time is waiting on its server, PostgreSQL or a browser: three files at once
    // on two cores took a run from ~1,200 to ~800 s. Vitest's default is one worker per core but one.
    maxWorkers: 3,
    // A worker keeps the modules it loaded for its next file: each file importing the server
    // afresh cost ~3.6 s of CPU (550 s a run). State that must not leak between files lives in
    // each file's own server; a file that changes a global puts it back (actioncable-client.test.ts)
    isolate: false,
    // expect.poll's default of 1 s was what a browser page took to show a picker while two other
    // files ran (CI's external run of 982f754): a poll ends as soon as its condition holds, so a
    // longer bound only matters to a run under load
    expect: { poll: { timeout: 10_000 } },
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
