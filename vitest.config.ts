import { defineConfig } from 'vitest/config';

// Three projects (`vitest run --project <name>`):
//   unit         src/**/*.test.ts, no database
//   integration  src/**/*.int.test.ts on a real PostgreSQL: DATABASE_URL, or a throw-away cluster
//                from Debian's package (scripts/pg-cluster.mjs); one database per test file,
//                cloned from a migrated template (src/server/test/global-setup.pg.ts)
//   pglite       src/**/*.core.int.test.ts again on the embedded database (PGlite); each file
//                gets a copy of a migrated data directory (src/server/test/global-setup.pglite.ts)
// Test files get their database and app from src/server/test/harness.ts.
//
// This machine has 2 cores: at most 2 workers; forks (the default pool) so native modules
// (argon2) and PGlite's wasm heap stay per process.
export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    passWithNoTests: false,
    restoreMocks: true,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          // Property tests run hundreds of cases: a loaded 2-core machine needs more than 5 s.
          testTimeout: 30_000,
          include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
          exclude: ['**/node_modules/**', '**/dist/**', '**/*.int.test.ts'],
          environment: 'node',
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['src/**/*.int.test.ts', 'scripts/**/*.int.test.ts'],
          exclude: ['**/node_modules/**', '**/dist/**'],
          environment: 'node',
          globalSetup: ['src/server/test/global-setup.pg.ts'],
          setupFiles: ['src/server/test/setup-file.ts'],
          env: { MADOGUCHI_TEST_DB: 'pg' },
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'pglite',
          include: ['src/**/*.core.int.test.ts'],
          exclude: ['**/node_modules/**', '**/dist/**'],
          environment: 'node',
          globalSetup: ['src/server/test/global-setup.pglite.ts'],
          setupFiles: ['src/server/test/setup-file.ts'],
          env: { MADOGUCHI_TEST_DB: 'pglite' },
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
