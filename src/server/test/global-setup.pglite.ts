// globalSetup of the `pglite` project: one migrated embedded data directory; each test file
// opens a copy of it (copying is far faster than initialising PGlite and migrating again).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import './provided.js';

export default async function setup(project: TestProject): Promise<() => void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'madoguchi-pglite-template-'));
  const db = await openDatabase({ dataDir: dir });
  try {
    await migrate(db);
  } finally {
    await db.close();
  }
  project.provide('pgliteTemplateDir', dir);
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
