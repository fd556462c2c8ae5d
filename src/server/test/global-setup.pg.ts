// globalSetup of the `integration` project: a PostgreSQL server (DATABASE_URL, or a throw-away
// cluster from Debian's package), and a migrated template database that each test file clones
// (CREATE DATABASE … TEMPLATE …: tens of milliseconds).
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startCluster } from '../../../scripts/pg-cluster.mjs';
import { openDatabase } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import { databaseUrl, quoteIdent } from './pg-util.js';
import './provided.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.DATABASE_URL;
  const cluster = external ? undefined : await startCluster();
  const adminUrl = external ?? (cluster as { url: string }).url;
  // On our own cluster the names are fixed; on a shared server they carry the process id so two
  // runs do not trample each other.
  const suffix = external ? `_${process.pid}` : '';
  const template = `madoguchi_template${suffix}`;
  const prefix = `madoguchi_t${suffix}_`;

  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(template)} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${quoteIdent(template)}`);
    const db = await openDatabase({ url: databaseUrl(adminUrl, template), poolSize: 2 });
    try {
      await migrate(db);
    } finally {
      await db.close();
    }
    // A template must have no other sessions when it is cloned; refuse new ones from now on.
    await admin.query(`ALTER DATABASE ${quoteIdent(template)} WITH ALLOW_CONNECTIONS false`);
  } finally {
    await admin.end();
  }

  project.provide('pgAdminUrl', adminUrl);
  project.provide('pgTemplate', template);
  project.provide('pgDatabasePrefix', prefix);

  return async () => {
    if (cluster) {
      await cluster.stop();
      return;
    }
    // Shared server: drop what this run created.
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      const rows = await client.query<{ datname: string }>(
        'SELECT datname FROM pg_database WHERE datname = $1 OR starts_with(datname, $2)',
        [template, prefix],
      );
      for (const { datname } of rows.rows) {
        await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(datname)} WITH (FORCE)`);
      }
    } finally {
      await client.end();
    }
  };
}
