import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Database } from './database.js';

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));
// Any fixed number: serialises concurrent migrators (two servers, server + CLI) on one database.
const LOCK_KEY = 7_305_112_001;

export type MigrationResult = { applied: string[]; total: number };

export function migrationFiles(): string[] {
  return fs
    .readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d{4}_[\w-]+\.sql$/.test(f))
    .sort();
}

/**
 * Applies the committed SQL migrations in order, each in its own transaction, as the owner role.
 * Idempotent: applied versions are recorded in schema_migrations.
 */
export async function migrate(db: Database): Promise<MigrationResult> {
  const files = migrationFiles();
  const applied: string[] = [];
  await db.owner.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
  );
  for (const file of files) {
    const version = file.replace(/\.sql$/, '');
    const sql = fs.readFileSync(MIGRATIONS_DIR + file, 'utf8');
    const done = await db.owner.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
      const seen = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [version]);
      if (seen.length > 0) return true;
      try {
        await tx.exec(sql);
      } catch (err) {
        throw new Error(`Migration ${file} failed: ${(err as Error).message}`);
      }
      await tx.query('INSERT INTO schema_migrations (version) VALUES ($1)', [version]);
      return false;
    });
    if (!done) applied.push(version);
  }
  return { applied, total: files.length };
}

/** True when every committed migration is applied (the health check's readiness). */
export async function isMigrated(db: Database): Promise<boolean> {
  const rows = await db.owner.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations');
  return (rows[0]?.n ?? 0) >= migrationFiles().length;
}
