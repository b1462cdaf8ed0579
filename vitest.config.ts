import { defineConfig } from 'vitest/config';

export default defineConfig({
  // graphql ships CommonJS and ESM builds; pin the one Node itself loads, so that
  // errors made by graphql-tools are instances of the GraphQLError our code imports.
  resolve: { alias: { graphql: 'graphql/index.js' } },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    pool: 'forks',
    // Safety nets, not measurements: on a busy machine a test that spawns a server and hashes
    // passwords on its lowest-priority threads can take a minute; a hung one still fails.
    testTimeout: 120_000,
    // expect.poll waits for something the app does (a page render, a log line); on a busy
    // machine that can take many seconds, so wait up to 60 s (a correct run stops as soon as it holds).
    expect: { poll: { timeout: 60_000 } },
    hookTimeout: 180_000,
  },
});
