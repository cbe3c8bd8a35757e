import {defineConfig} from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // CLI tests spawn the built CLI; two workers match the two cores CI has.
    maxWorkers: 2,
    reporters: ['default', './test/helpers/plain-summary-reporter.ts'],
    // A real Neo4j (src/neo4j/local-server.ts) for the tests that load into one.
    // A real Chromium (Debian's package, installed when missing) for the report's browser tests.
    globalSetup: ['./test/helpers/neo4j-setup.ts', './test/helpers/chromium-setup.ts'],
  },
});
