import { defineConfig } from 'vitest/config';

// Integration tests (*.int.test.ts) run twice: on embedded PGlite and on a real PostgreSQL.
// Unit tests run once; browser flows (test/e2e) run against a server on PGlite.
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    globalSetup: ['test/helpers/global-setup.ts'],
    reporters: ['default', './test/helpers/closing-line-reporter.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.{ts,tsx}', 'test/**/*.test.ts'],
          exclude: ['**/*.int.test.{ts,tsx}', 'test/e2e/**', '**/node_modules/**'],
        },
      },
      {
        extends: true,
        test: { name: 'pglite', include: ['src/**/*.int.test.{ts,tsx}', 'test/**/*.int.test.ts'], env: { TEST_DB: 'pglite' } },
      },
      {
        extends: true,
        test: { name: 'postgres', include: ['src/**/*.int.test.{ts,tsx}', 'test/**/*.int.test.ts'], env: { TEST_DB: 'postgres' } },
      },
      {
        extends: true,
        test: { name: 'e2e', include: ['test/e2e/**/*.e2e.test.ts'], fileParallelism: false },
      },
    ],
  },
});
