import fs from 'node:fs';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { startCluster } from './pg-cluster.mjs';

describe('pg-cluster', () => {
  it('starts a throw-away PostgreSQL 15 with test settings, then stops and removes it', async () => {
    const cluster = await startCluster();
    try {
      expect(cluster.url).toBe(`postgres://postgres@127.0.0.1:${cluster.port}/postgres`);
      const client = new pg.Client({ connectionString: cluster.url });
      await client.connect();
      const { rows } = await client.query(
        `SELECT current_setting('server_version_num')::int / 10000 AS major,
                current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS sc,
                current_setting('full_page_writes') AS fpw, current_setting('max_connections') AS mc,
                current_setting('server_encoding') AS enc, current_setting('lc_collate') AS coll,
                current_user AS usr`,
      );
      await client.end();
      expect(rows[0]).toEqual({
        major: 15,
        fsync: 'off',
        sc: 'off',
        fpw: 'off',
        mc: '200',
        enc: 'UTF8',
        coll: 'C.UTF-8',
        usr: 'postgres',
      });
    } finally {
      await cluster.stop();
    }
    expect(fs.existsSync(cluster.dataDir)).toBe(false);
    const after = new pg.Client({ connectionString: cluster.url, connectionTimeoutMillis: 2000 });
    await expect(after.connect()).rejects.toThrow();
  });
});
