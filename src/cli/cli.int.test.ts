// The `madoguchi` CLI as CONTRACTS.md gives it, run as a user runs it (a child process).
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { lockDataDir } from '../server/db/datadir-lock.js';
import { databaseUrl } from '../server/test/pg-util.js';
import '../server/test/provided.js';

const BIN = fileURLToPath(new URL('../../bin/madoguchi.mjs', import.meta.url));

type Run = { code: number; stdout: string; stderr: string };

function run(args: string[], env: Record<string, string>, stdin?: string): Promise<Run> {
  return new Promise((resolve) => {
    const { DATABASE_URL: _drop, ...base } = process.env;
    const child = execFile(
      process.execPath,
      [BIN, ...args],
      { env: { ...base, ...env }, timeout: 60_000 },
      (err, stdout, stderr) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
      },
    );
    child.stdin?.end(stdin ?? '');
  });
}

const lastJson = (s: string) => JSON.parse(s.trim().split('\n').pop() ?? '{}');

describe('madoguchi CLI on the embedded database', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'madoguchi-cli-'));
  const env = { DATA_DIR: dataDir };

  it('migrates, creates a tenant, a user and tokens, with --json output and clear errors', async () => {
    const migrated = await run(['db', 'migrate', '--json'], env);
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(lastJson(migrated.stdout)).toMatchObject({ ok: true });
    expect(lastJson(migrated.stdout).applied).toContain('0001_platform');

    const tenant = await run(['tenant', 'create', '--name', '窓口テスト', '--json'], env);
    expect(tenant.code, tenant.stderr).toBe(0);
    const { tenantId } = lastJson(tenant.stdout);
    expect(tenantId).toMatch(/^[0-9a-f-]{36}$/);

    const token = await run(
      ['token', 'create', '--tenant', tenantId, '--role', 'admin', '--name', 'ci', '--json'],
      env,
    );
    expect(token.code, token.stderr).toBe(0);
    expect(lastJson(token.stdout).token).toMatch(/^mdg_/);

    const user = await run(
      [
        'user',
        'create',
        '--tenant',
        tenantId,
        '--email',
        `cli-${randomUUID().slice(0, 8)}@example.jp`,
        '--role',
        'operator',
        '--password-stdin',
        '--json',
      ],
      env,
      'a-good-password\n',
    );
    expect(user.code, user.stderr).toBe(0);
    expect(lastJson(user.stdout).userId).toMatch(/^[0-9a-f-]{36}$/);

    const badRole = await run(['token', 'create', '--tenant', tenantId, '--role', 'boss', '--json'], env);
    expect(badRole.code).toBe(2);
    expect(badRole.stderr).toMatch(/Unknown role "boss"\. Roles: admin, supervisor/);
    expect(lastJson(badRole.stdout).error.code).toBe('unknown_role');

    const noTenant = await run(['token', 'create', '--tenant', randomUUID(), '--role', 'admin'], env);
    expect(noTenant.code).toBe(4);
    expect(noTenant.stderr).toMatch(/No tenant with id/);

    const weak = await run(
      ['user', 'create', '--tenant', tenantId, '--email', 'weak@example.jp', '--role', 'operator', '--password-stdin'],
      env,
      'short\n',
    );
    expect(weak.code).toBe(2);
    expect(weak.stderr).toMatch(/8–200 characters/);

    const unknownCommand = await run(['frobnicate'], env);
    expect(unknownCommand.code).toBe(2);
    expect(unknownCommand.stderr).toMatch(/unknown command/);
  }, 180_000);

  it('says clearly that the data directory is in use while a server holds it', async () => {
    const release = lockDataDir(dataDir);
    try {
      const r = await run(['tenant', 'create', '--name', 'X', '--json'], env);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/in use by process \d+/);
      expect(r.stderr).toMatch(/while the server is stopped/);
    } finally {
      release();
    }
  });
});

describe('madoguchi CLI on a PostgreSQL server', () => {
  it('uses DATABASE_URL', async () => {
    const adminUrl = inject('pgAdminUrl');
    const name = `cli_${randomUUID().slice(0, 8)}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const env = { DATABASE_URL: databaseUrl(adminUrl, name) };
    const tenant = await run(['tenant', 'create', '--name', 'サーバー', '--json'], env);
    expect(tenant.code, tenant.stderr).toBe(0);
    const token = await run(
      ['token', 'create', '--tenant', lastJson(tenant.stdout).tenantId, '--role', 'operator', '--json'],
      env,
    );
    expect(token.code, token.stderr).toBe(0);
    expect(lastJson(token.stdout).token).toMatch(/^mdg_/);
  });
});
