import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
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
   * One statement in a transaction of its own, exactly as
   * `withTenant(tenantId, (tx) => tx.query(text, params))`, but on a server BEGIN, the tenant,
   * the statement and COMMIT go out together and come back in one round trip (withTenant needs a
   * second one for its COMMIT, since it cannot know that no statement follows).
   */
  queryInTenant<T = Row>(tenantId: string, text: string, params?: unknown[]): Promise<T[]>;
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

/** The tenant id withTenant sets, once checked (PGlite interpolates it into SQL). */
function checkedTenantId(unverifiedTenantId: string): string {
  if (!UUID.test(unverifiedTenantId)) throw new Error('withTenant: tenant id is not a uuid');
  return unverifiedTenantId.toLowerCase();
}

function tenantSetting(unverifiedTenantId: string): string {
  return `SELECT set_config('app.tenant_id', '${checkedTenantId(unverifiedTenantId)}', true)`;
}

/** Statement text → name, for the statements marked with prepared(). */
const preparedNames = new Map<string, string>();
const MAX_PREPARED = 500;

/**
 * Marks a statement to be prepared once per server connection and then run by name: PostgreSQL
 * parses and plans it once instead of on every call (planning was most of PostgreSQL's work per
 * request, docs/performance-history.md). Use it only for statements whose best plan does not depend on
 * the parameter values — look-ups by key, such as `WHERE tenant_id = $1 AND id = $2` — because
 * after five runs PostgreSQL may keep one generic plan for all values: never for searches, LIKE
 * patterns or optional filters (`$2 IS NULL OR …`). It keeps planning again on every run a
 * statement whose plan for the values at hand looks cheaper than the generic one — a key list
 * (`id = ANY($2)`) of one element, against the ten a generic plan assumes: give a single key its
 * own text (`id = $2`, keysIn() below), as the order desk's look-ups do (planning a joined read of an order took
 * 0.8 ms, more than running it). Give it a text that is the same on every
 * call (at module level, or inline around a constant or fixed-column text: the look-up is one Map
 * get); answers that text. PGlite runs it as any other statement.
 */
export function prepared(text: string): string {
  if (!preparedNames.has(text) && preparedNames.size < MAX_PREPARED) {
    preparedNames.set(text, `madoguchi_${preparedNames.size + 1}`);
  }
  return text;
}

/**
 * A key condition for a prepared() text: `column = $n` for one key, `column = ANY($n::uuid[])` for
 * several (a one-element list would be planned again on every run, see prepared()). Answers the
 * SQL and the parameter to pass as $n.
 */
export function keysIn(column: string, n: number, keys: string[]): { sql: string; param: string | string[] } {
  const [only] = keys;
  return keys.length === 1 && only !== undefined
    ? { sql: `${column} = $${n}::uuid`, param: only }
    : { sql: `${column} = ANY($${n}::uuid[])`, param: keys };
}

const SET_TENANT = prepared("SELECT set_config('app.tenant_id', $1, true)");

/**
 * Holds a connection's writes until the current burst of JavaScript is over (process.nextTick runs
 * once the microtasks queued meanwhile have run), then sends them in one write. pg writes each
 * statement by itself, so the statements of a `Promise.all` were one system call and one wake-up
 * of the PostgreSQL backend each; PostgreSQL now reads them together (docs/performance-history.md).
 */
function corkUntilIdle(socket: { cork(): void; uncork(): void }): () => void {
  let corked = false;
  const release = () => {
    corked = false;
    socket.uncork();
  };
  return () => {
    if (corked) return;
    corked = true;
    socket.cork();
    process.nextTick(release);
  };
}

/** Runs one statement on a server connection: by name when it was marked with prepared(). */
function send(client: pg.Pool | pg.PoolClient, text: string, params?: unknown[]) {
  const name = preparedNames.get(text);
  return name ? client.query({ name, text, values: params }) : client.query(text, params);
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

/**
 * A connection string and the session options every connection starts with: `jit = off`, then
 * whatever the URL's own `options` parameter asks (so an operator can still turn JIT on). JIT
 * compiles a statement whose estimated cost is high, and the summaries' trigger statements
 * (0010) are costed as if they read order_lines in full — a branch they never run — so a fresh
 * connection spent 0.7–1.3 s compiling each of their first executions, stalling order placement
 * (docs/performance-history.md, 4 December 2026). Madoguchi's statements are short: JIT only costs them.
 */
export function sessionConfig(url: string): { connectionString: string; options: string } {
  let own = '';
  let connectionString = url;
  try {
    const u = new URL(url);
    own = u.searchParams.get('options') ?? '';
    u.searchParams.delete('options');
    connectionString = u.toString();
  } catch {
    // not a URL (a key=value string): pg reads it as it is, and its options are its own
  }
  return { connectionString, options: ['-c jit=off', own].filter(Boolean).join(' ') };
}

async function openServer(url: string, appUrl: string | undefined, poolSize: number): Promise<Database> {
  const ownerPool = new pg.Pool({ ...sessionConfig(url), max: 4, application_name: 'madoguchi-owner' });
  let appPool: pg.Pool;
  try {
    appPool = new pg.Pool({
      ...sessionConfig(appUrl ?? (await appLoginUrl(ownerPool, url))),
      max: poolSize,
      application_name: 'madoguchi',
      // Statements go out without waiting for the previous answer (withTenant sends BEGIN, the
      // tenant and the first statement together); PostgreSQL still runs them in order.
      pipeline: true,
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
  const appRows = async <T>(p: pg.Pool | pg.PoolClient, text: string, params?: unknown[]) =>
    (await send(p, text, params)).rows as T[];
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
    app: { query: (text, params) => appRows(appPool, text, params) },
    listen: (channel, onPayload, onLost) => listenOn(ownerPool, listeners, channel, onPayload, onLost),
    async withTenant(tenantId, fn) {
      const tenant = checkedTenantId(tenantId);
      const client = await appPool.connect();
      // BEGIN and the tenant go out with the transaction's first statement, and PostgreSQL answers
      // all three in one round trip (pipeline mode). No statement, no transaction.
      let begun: Promise<unknown> | null = null;
      const writeTogether = corkUntilIdle(client.connection.stream);
      const tx: TenantTx = {
        tenantId,
        async query<T>(text: string, params?: unknown[]) {
          // Every statement sent before the process next waits for input goes out in one write.
          writeTogether();
          let sent: Promise<pg.QueryResult>;
          if (begun) {
            sent = send(client, text, params);
          } else {
            begun = Promise.all([client.query('BEGIN'), send(client, SET_TENANT, [tenant])]);
            sent = send(client, text, params);
          }
          // A result counts only once BEGIN and the tenant setting have succeeded.
          const [, result] = await Promise.all([begun, sent]);
          return result.rows as T[];
        },
      };
      try {
        const result = await fn(tx);
        if (begun) {
          await begun;
          await client.query('COMMIT');
        }
        client.release();
        return result;
      } catch (err) {
        if (!begun) {
          client.release();
          throw err;
        }
        await client.query('ROLLBACK').then(
          () => client.release(),
          (e: Error) => client.release(e),
        );
        throw err;
      }
    },
    async queryInTenant<T>(tenantId: string, text: string, params?: unknown[]) {
      const tenant = checkedTenantId(tenantId);
      const client = await appPool.connect();
      const socket = client.connection.stream;
      socket.cork();
      let sent: Promise<pg.QueryResult>[];
      try {
        // After a failed statement PostgreSQL answers the COMMIT with a rollback.
        sent = [
          client.query('BEGIN'),
          send(client, SET_TENANT, [tenant]),
          send(client, text, params),
          client.query('COMMIT'),
        ];
      } finally {
        socket.uncork();
      }
      // Every answer is in before the connection goes back to the pool.
      const [begin, setting, statement, commit] = await Promise.allSettled(sent);
      const failed = [begin, setting, statement, commit].find((r) => r?.status === 'rejected');
      if (!failed) {
        client.release();
        return (statement as PromiseFulfilledResult<pg.QueryResult>).value.rows as T[];
      }
      // The transaction is over either way unless the COMMIT itself got no answer (a lost connection).
      if (commit?.status === 'rejected') client.release(commit.reason as Error);
      else client.release();
      throw failed.reason;
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
    // Loaded only for the embedded database: a start on a server skips it.
    const [{ PGlite, types: pgliteTypes }, { pg_trgm }] = await Promise.all([
      import('@electric-sql/pglite'),
      import('@electric-sql/pglite/contrib/pg_trgm'),
    ]);
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
  const withTenant: Database['withTenant'] = async (tenantId, fn) => {
    const setting = tenantSetting(tenantId);
    return db.transaction(async (t) => {
      await t.exec(`SET LOCAL ROLE ${APP_ROLE}; ${setting}`);
      return fn({ tenantId, query: async (text, params) => (await t.query(text, params)).rows as never });
    });
  };
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
    queryInTenant: (tenantId, text, params) => withTenant(tenantId, (tx) => tx.query(text, params)),
    withTenant,
    async close() {
      try {
        await db.close();
      } finally {
        release();
      }
    },
  };
}
