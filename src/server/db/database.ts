import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import pg from 'pg';
import { lockDataDir } from './datadir-lock.js';

export type Row = Record<string, unknown>;

/** Anything that runs one SQL statement with $1… parameters and returns its rows. */
export interface Queryable {
  query<T = Row>(text: string, params?: unknown[]): Promise<T[]>;
}

export interface OwnerQueryable extends Queryable {
  /** Runs one or more statements without parameters (DDL, migrations). */
  exec(sql: string): Promise<void>;
}

/** A transaction running as the application role with `app.tenant_id` set (RLS applies). */
export interface TenantTx extends Queryable {
  readonly tenantId: string;
}

export interface Database {
  readonly kind: 'pglite' | 'pg';
  /**
   * The owner role: migrations, tenant creation, the job queue's own tables. Never used for
   * work on behalf of a request.
   */
  readonly owner: OwnerQueryable & { transaction<T>(fn: (tx: OwnerQueryable) => Promise<T>): Promise<T> };
  /**
   * The application role with no tenant set: it sees no tenant rows. Used only for the
   * SECURITY DEFINER auth look-ups that find the tenant of a session, token or e-mail.
   */
  readonly app: Queryable;
  /** Runs fn in one transaction as the application role, scoped to the tenant by RLS. */
  withTenant<T>(tenantId: string, fn: (tx: TenantTx) => Promise<T>): Promise<T>;
  /**
   * Server only (PGlite serves one process, which needs no notifications): a connection of the
   * owner pool kept for LISTEN on `channel` until closed. `onLost` is called once when that
   * connection fails; the caller then listens again. close() ends every listener first.
   */
  listen?(channel: string, onPayload: (payload: string) => void, onLost: (err: Error) => void): Promise<Listener>;
  close(): Promise<void>;
}

export type Listener = { close(): Promise<void> };

export const APP_ROLE = 'madoguchi_app';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `unverifiedTenantId` becomes usable SQL only after this check (it is interpolated). */
function tenantSetting(unverifiedTenantId: string): string {
  if (!UUID.test(unverifiedTenantId)) throw new Error('withTenant: tenant id is not a uuid');
  return `SELECT set_config('app.tenant_id', '${unverifiedTenantId.toLowerCase()}', true)`;
}

// DATE columns stay 'YYYY-MM-DD' strings (a Date would shift by the process's time zone).
pg.types.setTypeParser(1082, (v: string) => v);
pg.types.setTypeParser(20, (v: string) => Number(v)); // bigint counts fit in a double here

export type OpenOptions = {
  url?: string;
  /** A login of the application role for the server (APP_DATABASE_URL); derived from url when unset. */
  appUrl?: string;
  dataDir?: string;
  memory?: boolean;
  poolSize?: number;
};

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.url) return openServer(opts.url, opts.appUrl, opts.poolSize ?? 20);
  return openEmbedded(opts);
}

/**
 * The application pool logs in as the RLS-bound role itself (a session that started as a
 * superuser could SET ROLE back). Its password is random, kept in a table only the owner can
 * read, and set on the role at every start, so that every server of one installation shares it.
 */
async function appLoginUrl(ownerPool: pg.Pool, url: string): Promise<string> {
  const client = await ownerPool.connect();
  try {
    await client.query(`
      DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
          CREATE ROLE ${APP_ROLE} NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
        END IF;
      END $$;
      CREATE TABLE IF NOT EXISTS app_role_login (id int PRIMARY KEY CHECK (id = 1), password text NOT NULL);
      REVOKE ALL ON app_role_login FROM PUBLIC;`);
    await client.query('INSERT INTO app_role_login (id, password) VALUES (1, $1) ON CONFLICT (id) DO NOTHING', [
      randomBytes(24).toString('base64url'),
    ]);
    const { rows } = await client.query<{ password: string }>('SELECT password FROM app_role_login WHERE id = 1');
    const password = rows[0]?.password ?? '';
    if (!/^[\w-]+$/.test(password)) throw new Error('app_role_login holds an unexpected password');
    const appUrl = new URL(url);
    appUrl.username = APP_ROLE;
    appUrl.password = password;
    // Alter the role only when its login does not work yet: several processes starting at once
    // would otherwise race on the role's catalogue row ("tuple concurrently updated").
    if (await canLogIn(appUrl.toString())) return appUrl.toString();
    for (let attempt = 1; ; attempt++) {
      try {
        await client.query(`ALTER ROLE ${APP_ROLE} WITH LOGIN PASSWORD '${password}'`);
        break;
      } catch (err) {
        if (attempt >= 5 || !/concurrently/.test((err as Error).message)) throw err;
        await new Promise((r) => setTimeout(r, 50 * attempt));
      }
    }
    return appUrl.toString();
  } finally {
    client.release();
  }
}

async function canLogIn(url: string): Promise<boolean> {
  const probe = new pg.Client({ connectionString: url });
  try {
    await probe.connect();
    return true;
  } catch {
    return false;
  } finally {
    await probe.end().catch(() => {});
  }
}

async function openServer(url: string, appUrl: string | undefined, poolSize: number): Promise<Database> {
  const ownerPool = new pg.Pool({ connectionString: url, max: 4, application_name: 'madoguchi-owner' });
  let appPool: pg.Pool;
  try {
    appPool = new pg.Pool({
      connectionString: appUrl ?? (await appLoginUrl(ownerPool, url)),
      max: poolSize,
      application_name: 'madoguchi',
    });
  } catch (err) {
    await ownerPool.end();
    throw err;
  }
  const listeners = new Set<() => Promise<void>>();
  const errorLog = (err: Error) => console.error('database pool error:', err.message);
  ownerPool.on('error', errorLog);
  appPool.on('error', errorLog);
  const rows = async <T>(p: pg.Pool | pg.PoolClient, text: string, params?: unknown[]) =>
    (await p.query(text, params as unknown[])).rows as T[];
  return {
    kind: 'pg',
    owner: {
      query: (text, params) => rows(ownerPool, text, params),
      exec: async (sql) => {
        await ownerPool.query(sql);
      },
      async transaction(fn) {
        const client = await ownerPool.connect();
        try {
          await client.query('BEGIN');
          const result = await fn({
            query: (text, params) => rows(client, text, params),
            exec: async (sql) => {
              await client.query(sql);
            },
          });
          await client.query('COMMIT');
          client.release();
          return result;
        } catch (err) {
          await client.query('ROLLBACK').then(
            () => client.release(),
            (e: Error) => client.release(e),
          );
          throw err;
        }
      },
    },
    app: { query: (text, params) => rows(appPool, text, params) },
    listen: (channel, onPayload, onLost) => listenOn(ownerPool, listeners, channel, onPayload, onLost),
    async withTenant(tenantId, fn) {
      const setting = tenantSetting(tenantId);
      const client = await appPool.connect();
      try {
        await client.query(`BEGIN; ${setting}`);
        const tx: TenantTx = { tenantId, query: (text, params) => rows(client, text, params) };
        const result = await fn(tx);
        await client.query('COMMIT');
        client.release();
        return result;
      } catch (err) {
        await client.query('ROLLBACK').then(
          () => client.release(),
          (e: Error) => client.release(e),
        );
        throw err;
      }
    },
    async close() {
      await Promise.all([...listeners].map((close) => close()));
      await Promise.all([appPool.end(), ownerPool.end()]);
    },
  };
}

const CHANNEL = /^[a-z_][a-z0-9_]{0,62}$/;

/** LISTEN on a client taken from the pool for as long as the listener lives (see Database.listen). */
async function listenOn(
  pool: pg.Pool,
  listeners: Set<() => Promise<void>>,
  channel: string,
  onPayload: (payload: string) => void,
  onLost: (err: Error) => void,
): Promise<Listener> {
  if (!CHANNEL.test(channel)) throw new Error(`listen: invalid channel name ${channel}`);
  const client = await pool.connect();
  let open = true;
  const onNotification = (m: pg.Notification) => {
    if (open && m.channel === channel) onPayload(m.payload ?? '');
  };
  const detach = () => {
    open = false;
    listeners.delete(close);
    client.off('notification', onNotification);
    client.off('error', lost);
    client.off('end', ended);
  };
  function lost(err: Error) {
    if (!open) return;
    detach();
    client.release(err);
    onLost(err);
  }
  function ended() {
    lost(new Error('the LISTEN connection ended'));
  }
  async function close() {
    if (!open) return;
    detach();
    try {
      await client.query(`UNLISTEN ${channel}`);
      client.release();
    } catch (err) {
      client.release(err as Error);
    }
  }
  client.on('notification', onNotification);
  client.on('error', lost);
  client.on('end', ended);
  try {
    await client.query(`LISTEN ${channel}`);
  } catch (err) {
    detach();
    client.release(err as Error);
    throw err;
  }
  listeners.add(close);
  return { close };
}

async function openEmbedded(opts: OpenOptions): Promise<Database> {
  let release = () => {};
  let dataPath: string | undefined;
  if (!opts.memory) {
    const dir = path.resolve(opts.dataDir ?? './data');
    release = lockDataDir(dir);
    dataPath = path.join(dir, 'pgdata');
  }
  let db: PGlite;
  try {
    db = await PGlite.create(dataPath, {
      extensions: { pg_trgm },
      parsers: { [pgliteTypes.DATE]: (v: string) => v, [pgliteTypes.INT8]: (v: string) => Number(v) },
    });
  } catch (err) {
    release();
    throw err;
  }
  const appQuery = async <T>(text: string, params?: unknown[]) =>
    db.transaction(async (t) => {
      await t.exec(`SET LOCAL ROLE ${APP_ROLE}`);
      return (await t.query<T>(text, params)).rows;
    });
  return {
    kind: 'pglite',
    owner: {
      query: async (text, params) => (await db.query(text, params)).rows as never,
      exec: async (sql) => {
        await db.exec(sql);
      },
      transaction: (fn) =>
        db.transaction((t) =>
          fn({
            query: async (text, params) => (await t.query(text, params)).rows as never,
            exec: async (sql) => {
              await t.exec(sql);
            },
          }),
        ),
    },
    app: { query: appQuery },
    async withTenant(tenantId, fn) {
      const setting = tenantSetting(tenantId);
      return db.transaction(async (t) => {
        await t.exec(`SET LOCAL ROLE ${APP_ROLE}; ${setting}`);
        return fn({ tenantId, query: async (text, params) => (await t.query(text, params)).rows as never });
      });
    },
    async close() {
      try {
        await db.close();
      } finally {
        release();
      }
    },
  };
}
