// Values the global setups hand to test files (vitest `provide`/`inject`).
declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the PostgreSQL server the integration project uses. */
    pgAdminUrl: string;
    /** Migrated database every test file's database is cloned from. */
    pgTemplate: string;
    /** Prefix of the databases this run creates (dropped at the end on a shared server). */
    pgDatabasePrefix: string;
    /** Migrated PGlite data directory (DATA_DIR layout) copied for each test file. */
    pgliteTemplateDir: string;
  }
}

export {};
