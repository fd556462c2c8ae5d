// Helpers shared by the benchmarks (bench/api.ts, bench/customers.ts): a registry of things to
// stop (also on Ctrl+C), the server as a child process, the CLI, exact latency percentiles, HTTP
// load with autocannon, closed-loop load through `pg`, a tenant transaction as the server makes
// it, and CPU accounting on a shared machine.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { freePort } from '../scripts/pg-cluster.mjs';
import type { TenantTx } from '../src/server/db/database.js';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

export const log = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Drops the tables' non-unique indexes (not those of constraints); answers how to build them again. */
export async function dropIndexes(c: pg.Client, tables: string[]): Promise<{ name: string; def: string }[]> {
  const { rows: indexes } = await c.query<{ name: string; def: string }>(
    `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
       FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
      WHERE t.relnamespace = 'public'::regnamespace AND t.relname = ANY($1) AND NOT i.indisunique
        AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)`,
    [tables],
  );
  for (const ix of indexes) await c.query(`DROP INDEX ${ix.name}`);
  log(
    `seed: dropped ${indexes.length} indexes of ${tables.join(', ')} (${indexes.map((i) => i.name).join(', ')}) for the load`,
  );
  return indexes;
}

export type LatencySummary = {
  count: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
};

/** Latencies in ms, kept exactly (no histogram buckets). */
export class Latencies {
  private values: number[] = [];
  add(ms: number) {
    this.values.push(ms);
  }
  get count() {
    return this.values.length;
  }
  summary(): LatencySummary {
    const s = Float64Array.from(this.values).sort();
    const at = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? Number.NaN;
    const mean = s.reduce((a, b) => a + b, 0) / (s.length || 1);
    return {
      count: s.length,
      p50: round(at(50)),
      p90: round(at(90)),
      p95: round(at(95)),
      p99: round(at(99)),
      max: round(at(100)),
      mean: round(mean),
    };
  }
}

// ---------------------------------------------------------------------------------------------
// Cleanup: everything started registers how to stop it; run in reverse order, also on signals.

const cleanups: (() => Promise<void>)[] = [];

export function onCleanup(fn: () => Promise<void>): () => Promise<void> {
  cleanups.push(fn);
  return async () => {
    const i = cleanups.indexOf(fn);
    if (i >= 0) cleanups.splice(i, 1);
    await fn();
  };
}

export async function cleanupAll(): Promise<void> {
  while (cleanups.length > 0) {
    const fn = cleanups.pop();
    try {
      await fn?.();
    } catch (err) {
      log(`cleanup failed: ${(err as Error).message}`);
    }
  }
}

export function stopOnSignals(): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      log(`${signal}: stopping`);
      void cleanupAll().finally(() => process.exit(130));
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Child processes: the server and the CLI

export type Proc = { child: ChildProcess; output: string[]; exited: Promise<number | null> };

function startProcess(args: string[], env: Record<string, string>): Proc {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 200) output.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output, exited };
}

async function stopProcess(p: Proc, timeoutMs = 15_000): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill('SIGTERM');
  const done = await Promise.race([p.exited.then(() => true), sleep(timeoutMs).then(() => false)]);
  if (!done) {
    log(`pid ${p.child.pid} did not stop in ${timeoutMs} ms; SIGKILL`);
    p.child.kill('SIGKILL');
    await p.exited;
  }
}

/** Milliseconds from t0 until GET /api/health answers 200 (or throws with the server's output). */
async function waitHealthy(baseUrl: string, p: Proc, t0: number, timeoutMs = 120_000): Promise<number> {
  while (performance.now() - t0 < timeoutMs) {
    if (p.child.exitCode !== null) throw new Error(`server exited with ${p.child.exitCode}:\n${p.output.join('')}`);
    try {
      const res = await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(1000) });
      if (res.status === 200) return performance.now() - t0;
    } catch {
      // not listening yet
    }
    await sleep(20);
  }
  throw new Error(`server not healthy after ${timeoutMs} ms:\n${p.output.join('')}`);
}

/** What `npm start` runs once the web app is built, without its rebuild check. */
export const SERVER_ARGS = ['--import', 'tsx', 'src/server/main.ts'];

export type Server = { proc: Proc; baseUrl: string; ms: number; stop: () => Promise<void> };

/**
 * `node <args>` (SERVER_ARGS, or with profiling flags) on a free port, waited for until healthy:
 * `ms` from spawn to the first 200 of GET /api/health. Stopped by cleanupAll too.
 */
export async function startServer(args: string[], env: Record<string, string>): Promise<Server> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const t0 = performance.now();
  const proc = startProcess(args, { HOST: '127.0.0.1', PORT: String(port), JOBS: '0', ...env });
  const stop = onCleanup(() => stopProcess(proc));
  try {
    const ms = await waitHealthy(baseUrl, proc, t0);
    return { proc, baseUrl, ms, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Runs `madoguchi <args> --json` and answers its last line as JSON. */
export function cli(args: string[], env: Record<string, string>): Record<string, unknown> {
  const res = spawnSync(process.execPath, ['bin/madoguchi.mjs', ...args, '--json'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 180_000,
  });
  if (res.status !== 0)
    throw new Error(`madoguchi ${args.join(' ')} failed (${res.status}):\n${res.stdout}${res.stderr}`);
  return JSON.parse(res.stdout.trim().split('\n').pop() ?? '') as Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------------
// Databases

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * How the benchmark's processes reach the throw-away server: BENCH_PG=socket (its Unix-domain
 * socket, as a PostgreSQL on the same machine is usually reached) or tcp (127.0.0.1).
 */
export const PG_TRANSPORT: 'socket' | 'tcp' = process.env.BENCH_PG === 'tcp' ? 'tcp' : 'socket';

/** The URL of database `name` on the cluster, over PG_TRANSPORT. */
export function clusterDbUrl(cluster: { url: string; dataDir: string }, name: string): string {
  const u = new URL(withDatabase(cluster.url, name));
  // pg-cluster.mjs puts the socket in the directory above the data directory.
  if (PG_TRANSPORT === 'socket') u.searchParams.set('host', path.dirname(cluster.dataDir));
  return u.toString();
}

/** A login URL of the application role (RLS applies), from the password the server keeps. */
export async function appRoleUrl(ownerUrl: string): Promise<string> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ password: string }>('SELECT password FROM app_role_login WHERE id = 1');
    const u = new URL(ownerUrl);
    u.username = 'madoguchi_app';
    u.password = rows[0]?.password ?? '';
    return u.toString();
  } finally {
    await client.end();
  }
}

/**
 * What Database.withTenant does on a server, over a plain pool: BEGIN and set_config in one round
 * trip, the work, COMMIT (ROLLBACK on error).
 */
export async function withTenantTx<T>(pool: pg.Pool, tenantId: string, fn: (tx: TenantTx) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query(`BEGIN; SELECT set_config('app.tenant_id', '${tenantId}', true)`);
    const tx: TenantTx = {
      tenantId,
      query: async <R>(text: string, params?: unknown[]) => (await client.query(text, params)).rows as R[],
    };
    const result = await fn(tx);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

// ---------------------------------------------------------------------------------------------
// Load

// autocannon ships no types; the part used here.
type AutocannonClient = { on(event: 'response', fn: (status: number, bytes: number, ms: number) => void): void };
export type AutocannonResult = {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
};
export type AutocannonOptions = {
  url: string;
  connections: number;
  duration: number;
  headers?: Record<string, string>;
  requests?: { method?: string; setupRequest?: (req: { path?: string }) => { path?: string } }[];
  setupClient?: (client: AutocannonClient) => void;
};
export const autocannon = createRequire(import.meta.url)('autocannon') as (
  opts: AutocannonOptions,
) => Promise<AutocannonResult>;

export type HttpRun = {
  latencyMs: LatencySummary;
  requestsPerSecond: number;
  non2xx: number;
  errors: number;
  statuses: Record<string, number>;
};

/** GET requests at a fixed number of connections: a warm-up, then `seconds` measured. */
export async function httpLoad(opts: {
  baseUrl: string;
  connections: number;
  seconds: number;
  warmupSeconds: number;
  headers: Record<string, string>;
  path: () => string;
  /** Called after the warm-up, right before the measured run (to start meters). */
  beforeMeasure?: () => void;
}): Promise<HttpRun> {
  const run = (duration: number, lat?: Latencies, statuses?: Map<number, number>) =>
    autocannon({
      url: opts.baseUrl,
      connections: opts.connections,
      duration,
      headers: opts.headers,
      requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: opts.path() }) }],
      setupClient: (client) =>
        client.on('response', (status, _bytes, ms) => {
          if (status === 200) lat?.add(ms);
          statuses?.set(status, (statuses.get(status) ?? 0) + 1);
        }),
    });
  if (opts.warmupSeconds > 0) await run(opts.warmupSeconds);
  opts.beforeMeasure?.();
  const lat = new Latencies();
  const statuses = new Map<number, number>();
  const r = await run(opts.seconds, lat, statuses);
  return {
    latencyMs: lat.summary(),
    requestsPerSecond: round(r.requests.total / r.duration, 0),
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
    statuses: Object.fromEntries([...statuses].map(([k, v]) => [String(k), v])),
  };
}

/** `concurrency` loops calling `one` back to back: a warm-up, then `seconds` measured. */
export async function closedLoop(
  concurrency: number,
  seconds: number,
  warmupSeconds: number,
  one: () => Promise<void>,
): Promise<{ latencyMs: LatencySummary; perSecond: number }> {
  const run = async (s: number, lat?: Latencies) => {
    const stopAt = performance.now() + s * 1000;
    let n = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < stopAt) {
          const t = performance.now();
          await one();
          lat?.add(performance.now() - t);
          n++;
        }
      }),
    );
    return n;
  };
  if (warmupSeconds > 0) await run(warmupSeconds);
  const lat = new Latencies();
  const t0 = performance.now();
  const n = await run(seconds, lat);
  return { latencyMs: lat.summary(), perSecond: round(n / ((performance.now() - t0) / 1000), 0) };
}

// ---------------------------------------------------------------------------------------------
// CPU accounting: how busy the machine was during a run, and how much of that was ours (this
// process, the server, PostgreSQL) rather than other work sharing the machine.

export const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** user+system CPU of a process in ms (0 when it is gone or /proc is missing). */
export function procCpuMs(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
  } catch {
    return 0;
  }
}

function parentOf(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return -1;
  }
}

/** Busy and total CPU of the whole machine in ms (all cores), from /proc/stat. */
export function machineCpuMs(): { busy: number; total: number } {
  try {
    const v = (fs.readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
    const total = v.reduce((a, b) => a + b, 0);
    const idle = (v[3] ?? 0) + (v[4] ?? 0);
    return { busy: ((total - idle) * 1000) / CLK_TCK, total: (total * 1000) / CLK_TCK };
  } catch {
    return { busy: 0, total: 0 };
  }
}

/** The PostgreSQL postmaster's pid and its children (backends, writers) on this machine. */
function postgresPids(dataDir: string): number[] {
  let postmaster = -1;
  try {
    postmaster = Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return [];
  }
  const children = fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
    .filter((pid) => parentOf(pid) === postmaster);
  return [postmaster, ...children];
}

export type CpuShare = {
  machineBusyPercent: number;
  oursPercent: number;
  othersPercent: number;
  /** CPU milliseconds in the measured span: the server process, PostgreSQL, this process. */
  ms: { server: number; postgres: number; bench: number };
};

/**
 * Starts measuring; the function returned answers the shares of all cores since then. Processes
 * are counted by their own growth (a backend that ended meanwhile is left out, one that started
 * counts whole), so that a pool closing just before the run does not make the figure negative.
 */
export function cpuMeter(pgDataDir: string, serverPid?: number): () => CpuShare {
  const snapshot = () => {
    const pids = [...postgresPids(pgDataDir), ...(serverPid ? [serverPid] : [])];
    return new Map(pids.map((pid) => [pid, procCpuMs(pid)]));
  };
  const grown = (p0: Map<number, number>, p1: Map<number, number>, pid: number) =>
    Math.max(0, (p1.get(pid) ?? 0) - (p0.get(pid) ?? 0));
  const self0 = process.cpuUsage();
  const m0 = machineCpuMs();
  const p0 = snapshot();
  return () => {
    const m1 = machineCpuMs();
    const self = process.cpuUsage(self0);
    const bench = (self.user + self.system) / 1000;
    const p1 = snapshot();
    const server = serverPid ? grown(p0, p1, serverPid) : 0;
    let postgres = 0;
    for (const [pid, ms] of p1) if (ms > 0 && pid !== serverPid) postgres += grown(p0, p1, pid);
    let mine = bench + server + postgres;
    const total = Math.max(1, m1.total - m0.total);
    const busy = m1.busy - m0.busy;
    mine = Math.min(busy, mine);
    return {
      machineBusyPercent: round((100 * busy) / total, 0),
      oursPercent: round((100 * mine) / total, 0),
      othersPercent: round((100 * (busy - mine)) / total, 0),
      ms: { server: round(server, 0), postgres: round(postgres, 0), bench: round(bench, 0) },
    };
  };
}

export function machineInfo() {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? '',
    memoryGiB: round(os.totalmem() / 2 ** 30, 1),
    node: process.version,
    postgresVia: PG_TRANSPORT === 'socket' ? 'unix socket' : 'tcp 127.0.0.1',
  };
}
