// Test harness for integration tests (vitest projects `integration` and `pglite`).
//
//   import { makeTenant, testApp } from '../test/harness.js';
//   const app = await testApp();                 // Fastify app on this file's database
//   const a = await makeTenant(app);             // { tenantId, adminToken, … }
//   const res = await app.inject({ method: 'GET', url: '/api/v1/…', headers: auth(a.adminToken) });
//
// Each test file gets its own migrated database: on PostgreSQL a database cloned from the
// template the global setup migrated; with MADOGUCHI_TEST_DB=pglite a copy of a migrated PGlite
// data directory. Everything opened here is closed after the file (setup-file.ts).
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import type { buildApp } from '../app.js';
import { type Config, loadConfig } from '../config.js';
import { type Database, openDatabase } from '../db/database.js';
import type { Role } from '../platform/auth/roles.js';
import { onCleanup } from './cleanup.js';
import { databaseUrl, quoteIdent } from './pg-util.js';
import './provided.js';

export type TestApp = Awaited<ReturnType<typeof buildApp>>;
type BuildOptions = Parameters<typeof buildApp>[0];

/** Which database the current project runs on. */
export function testDbKind(): 'pg' | 'pglite' {
  return process.env.MADOGUCHI_TEST_DB === 'pglite' ? 'pglite' : 'pg';
}

let fileDb: Promise<Database> | undefined;
let counter = 0;

/** This test file's migrated database (the same one on every call within the file). */
export function testDatabase(): Promise<Database> {
  fileDb ??= freshDatabase();
  return fileDb;
}

/** Another migrated database, independent of testDatabase(); closed after the file. */
export async function freshDatabase(): Promise<Database> {
  const db = testDbKind() === 'pglite' ? await pgliteCopy() : await pgClone();
  onCleanup(() => db.close());
  return db;
}

async function pgClone(): Promise<Database> {
  const adminUrl = inject('pgAdminUrl');
  const template = inject('pgTemplate');
  if (!adminUrl || !template) throw new Error('no test database: run this file in the `integration` vitest project');
  const name = `${inject('pgDatabasePrefix')}${process.pid}_${++counter}_${randomUUID().slice(0, 8)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(template)}`);
  } finally {
    await admin.end();
  }
  // Pools stay small: two workers × several databases per file share max_connections = 200.
  return openDatabase({ url: databaseUrl(adminUrl, name), poolSize: 5 });
}

async function pgliteCopy(): Promise<Database> {
  const template = inject('pgliteTemplateDir');
  if (!template) throw new Error('no PGlite template: run this file in the `pglite` vitest project');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'madoguchi-pglite-'));
  // The whole data directory but its lock file (openDatabase takes its own).
  fs.cpSync(template, dir, { recursive: true, filter: (src) => path.basename(src) !== 'madoguchi.lock' });
  onCleanup(() => fs.rmSync(dir, { recursive: true, force: true }));
  return openDatabase({ dataDir: dir });
}

/**
 * Configuration for tests: production defaults except no demo tenant, no job worker, silent
 * logs and a login rate limit that ordinary tests do not reach. `env` overrides any of it
 * (a rate-limit test passes LOGIN_RATE_PER_MINUTE, for example).
 */
export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    MADOGUCHI_DEMO: '0',
    JOBS: '0',
    LOG_LEVEL: 'silent',
    LOGIN_RATE_PER_MINUTE: '10000',
    DATA_DIR: path.join(os.tmpdir(), 'madoguchi-test-unused'),
    ...env,
  });
}

export type TestAppOptions = Partial<Omit<BuildOptions, 'config'>> & {
  /** Environment variables for testConfig(). */
  env?: Record<string, string>;
  config?: Config;
};

const appDbs = new WeakMap<object, Database>();

/** A ready Fastify app on this file's database (or opts.db); closed after the file. */
export async function testApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const { env, config, db, ...rest } = opts;
  const database = db ?? (await testDatabase());
  // Imported on first use: files that test only the database do not load the whole app.
  const { buildApp } = await import('../app.js');
  const app = await buildApp({ ...rest, db: database, config: config ?? testConfig(env) } as BuildOptions);
  onCleanup(() => app.close());
  await app.ready();
  appDbs.set(app, database);
  return app;
}

/** The database a testApp() runs on. */
export function dbOf(target: TestApp | Database): Database {
  if (isDatabase(target)) return target;
  const db = appDbs.get(target);
  if (!db) throw new Error('dbOf: this app was not made by testApp()');
  return db;
}

function isDatabase(x: unknown): x is Database {
  return typeof x === 'object' && x !== null && 'withTenant' in x && 'owner' in x;
}

export type TestTenant = {
  tenantId: string;
  name: string;
  /** An API token with the admin role (Bearer). */
  adminToken: string;
  /** Makes another API token of this tenant with the given role; answers the secret. */
  token(role: Role, name?: string): Promise<string>;
  /** Makes a user of this tenant who can sign in at once (no forced password change). */
  user(role: Role, opts?: Partial<Omit<TestUser, 'userId'>>): Promise<TestUser>;
};

export type TestUser = { userId: string; email: string; password: string; name: string; locale: 'ja' | 'en' };

/** A fresh tenant with an admin API token. Takes a testApp() or a Database. */
export async function makeTenant(target: TestApp | Database, opts: { name?: string } = {}): Promise<TestTenant> {
  const db = dbOf(target);
  const name = opts.name ?? `テスト組織 ${randomUUID().slice(0, 8)}`;
  const { createTenant } = await import('../platform/tenants/tenants.service.js');
  const { tenantId } = await createTenant(db, { name });
  const token = (role: Role, tokenName?: string) => makeToken(db, tenantId, role, tokenName);
  const user = (role: Role, userOpts?: Partial<Omit<TestUser, 'userId'>>) => makeUser(db, tenantId, role, userOpts);
  return { tenantId, name, adminToken: await token('admin'), token, user };
}

/** An API token of a tenant, made as the app makes them (hashed at rest, audited); answers the secret. */
export async function makeToken(db: Database, tenantId: string, role: Role, name = `test-${role}`): Promise<string> {
  const { createToken } = await import('../platform/tokens/tokens.service.js');
  const { SYSTEM_ACTOR } = await import('../platform/audit/audit.js');
  const created = await createToken(db, { tenantId, actor: SYSTEM_ACTOR }, { name, role });
  return created.token;
}

/**
 * A user of a tenant with a known password and no forced password change. E-mail addresses are
 * unique across tenants, so the default one is random.
 */
export async function makeUser(
  db: Database,
  tenantId: string,
  role: Role,
  opts: Partial<Omit<TestUser, 'userId'>> = {},
): Promise<TestUser> {
  const { insertUser } = await import('../platform/users/users.service.js');
  const { hashPassword } = await import('../platform/auth/secrets.js');
  const email = opts.email ?? `${role}-${randomUUID().slice(0, 12)}@test.madoguchi.jp`;
  const password = opts.password ?? `pw-${randomUUID()}`;
  const name = opts.name ?? `テスト ${role}`;
  const locale = opts.locale ?? 'ja';
  const passwordHash = await hashPassword(password);
  const row = await db.withTenant(tenantId, (tx) =>
    insertUser(tx, { email, name, role, passwordHash, locale, mustChangePassword: false }),
  );
  return { userId: row.id, email, password, name, locale };
}

/** `headers` for a Bearer token. */
export function auth(token: string): { authorization: string } {
  return { authorization: `Bearer ${token}` };
}
