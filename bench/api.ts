// API benchmark: `npm run bench:api` (= tsx bench/api.ts). Takes about three minutes. Results: docs/performance.md.
//
//  1. A throw-away PostgreSQL 15 server (scripts/pg-cluster.mjs), a database, a tenant and an admin
//     API token made with the CLI, 10,000 users seeded with one INSERT … SELECT generate_series.
//  2. The Madoguchi server as a separate process (`node dist/server/main.mjs`, as `npm start`), timed
//     from spawn to the first 200 from GET /api/health (three starts, median).
//  3. GET /api/v1/users/:id with a random seeded id, bearer token, 50 connections, 3 s warm-up then
//     15 s measured, with autocannon: requests/s, p50, p99; then the same with wrk (Debian's `wrk`)
//     when installed, on which the targets are judged: it takes about a third of autocannon's CPU from
//     the two cores the server and PostgreSQL share with it.
//  4. The same SELECT straight through `pg` (a Pool of 50 as the application role) at the same
//     concurrency and duration, inside BEGIN/set_config/COMMIT as withTenant does it, and plain.
//  5. Start to healthy on an existing embedded (PGlite) data directory: the same server command
//     (what `npm start` runs once the web app is built) once with demo data, stopped, then started
//     again three times (median). dist/web is built first, untimed, when missing.
//
// Prints one JSON object with the figures, the targets and pass/fail; stops everything it started,
// even on error. Options (environment): BENCH_DURATION (s, default 15), BENCH_WARMUP (s, default 3),
// BENCH_CONNECTIONS (default 50), BENCH_USERS (default 10000), BENCH_LOG_LEVEL (the server's
// LOG_LEVEL, default warn), BENCH_SKIP_EMBEDDED=1, BENCH_CPU_PROF=<dir> (runs the server with
// --cpu-prof into that directory), BENCH_OUT=<file> (also writes the JSON there).
// `npm run` prints its own header on stdout: use `npm run -s bench:api` for bare JSON.
//
// The machine may be shared: cpu.perRequestMs says how much CPU each request cost in the server,
// in PostgreSQL and in this process (the load generator), and restOfMachine how much everything
// else on the machine used meanwhile; a run with restOfMachine well above zero was disturbed.
// cpuCeilingPerSecond = cores × 1000 / (our CPU ms per request): what the stack could do with the
// whole machine to itself, load generator included.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { ensureServerBuild } from '../scripts/build-server.mjs';
import { type Cluster, startCluster } from '../scripts/pg-cluster.mjs';
import {
  type AutocannonOptions,
  appRoleUrl,
  autocannon,
  CLK_TCK,
  cleanupAll,
  cli,
  clusterDbUrl,
  Latencies,
  log,
  machineCpuMs,
  onCleanup,
  procCpuMs,
  ROOT,
  round,
  startServer,
  stopOnSignals,
} from './lib.js';

const DURATION = Number(process.env.BENCH_DURATION ?? 15);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const USERS = Number(process.env.BENCH_USERS ?? 10_000);
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'warn';
const CPU_PROF = process.env.BENCH_CPU_PROF;
const START_RUNS = 3;

const TARGETS = { requestsPerSecond: 3000, p99Ms: 25, embeddedStartS: 8, serverStartS: 2 };

/** The server with this benchmark's LOG_LEVEL (lib's startServer: spawn → healthy in `ms`). */
const startAppServer = (args: string[], env: Record<string, string>) => startServer(args, { LOG_LEVEL, ...env });

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)] ?? Number.NaN;
};

/**
 * The server serves dist/web when it exists. Build it once when it is missing (not timed); the
 * timed starts run dist/server/main.mjs directly, so `npm start`'s own rebuild of a stale build
 * (scripts/start.mjs) never lands inside a timing.
 */
function ensureWebBuild(): boolean {
  if (fs.existsSync(path.join(ROOT, 'dist/web/index.html'))) return false;
  log('building the web app once (vite build), not timed');
  const res = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (res.status !== 0) throw new Error('vite build failed');
  return true;
}

// ---------------------------------------------------------------------------------------------
// Database set-up

async function seedUsers(dbUrl: string, tenantId: string, count: number): Promise<string[]> {
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO users (tenant_id, email, name, role, locale, password_hash, created_at, last_login_at)
       SELECT $1::uuid,
              'user' || g || '@bench.example.jp',
              (ARRAY['佐藤','鈴木','高橋','田中','伊藤','渡辺','山本','中村','小林','加藤'])[1 + g % 10] || ' ' ||
                (ARRAY['太郎','花子','一郎','美咲','健太','陽菜','翔','結衣','大輔','さくら'])[1 + (g / 10) % 10] || ' ' || g,
              (ARRAY['operator','operator','operator','appointer','closer','supervisor','technician','admin'])[1 + g % 8],
              CASE WHEN g % 5 = 0 THEN 'en' ELSE 'ja' END,
              '$argon2id$v=19$m=19456,t=2,p=1$YmVuY2hzYWx0YmVuY2g$ZmFrZWhhc2hmb3JiZW5jaG1hcmtvbmx5MDAwMDAwMA',
              now() - (g || ' minutes')::interval,
              CASE WHEN g % 3 = 0 THEN NULL ELSE now() - (g % 1000 || ' hours')::interval END
         FROM generate_series(1, $2::int) AS g
       RETURNING id`,
      [tenantId, count],
    );
    await client.query('COMMIT');
    await client.query('ANALYZE users');
    return rows.map((r) => r.id);
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------------
// CPU accounting: on a shared 2-core machine, CPU milliseconds per request are steadier than
// requests/s and say where the time goes (server process, PostgreSQL backends, load generator).

/** Measures CPU over a run: this process, one other process (the server), and the database's backends. */
async function cpuMeter(monitor: pg.Client, otherPid?: number) {
  const { rows } = await monitor.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
  );
  const backends = rows.map((r) => r.pid);
  const sum = () => backends.reduce((a, pid) => a + procCpuMs(pid), 0);
  const self0 = process.cpuUsage();
  const other0 = procCpuMs(otherPid);
  const pg0 = sum();
  const m0 = machineCpuMs();
  return (count: number) => {
    const self = process.cpuUsage(self0);
    const selfMs = (self.user + self.system) / 1000;
    const otherMs = procCpuMs(otherPid) - other0;
    const pgMs = sum() - pg0;
    const m1 = machineCpuMs();
    const busy = m1.busy - m0.busy;
    const per = (ms: number) => round(ms / Math.max(1, count), 3);
    return {
      perRequestMs: {
        ...(otherPid ? { server: per(otherMs) } : {}),
        postgres: per(pgMs),
        benchProcess: per(selfMs),
        restOfMachine: per(Math.max(0, busy - selfMs - otherMs - pgMs)),
      },
      cpuCeilingPerSecond: Math.round((os.cpus().length * 1000 * count) / Math.max(1, selfMs + otherMs + pgMs)),
      postgresBackends: backends.length,
      machineBusyPercent: round((100 * busy) / Math.max(1, m1.total - m0.total), 0),
    };
  };
}

// ---------------------------------------------------------------------------------------------
// Load

const pick = (ids: string[]) => ids[Math.floor(Math.random() * ids.length)] as string;

async function loadApi(baseUrl: string, token: string, ids: string[], monitor: pg.Client, serverPid?: number) {
  const opts = (duration: number, lat?: Latencies, statuses?: Map<number, number>): AutocannonOptions => ({
    url: baseUrl,
    connections: CONNECTIONS,
    duration,
    headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
    requests: [
      {
        method: 'GET',
        setupRequest: (req) => ({ ...req, path: `/api/v1/users/${pick(ids)}` }),
      },
    ],
    setupClient: (client) => {
      client.on('response', (status, _bytes, ms) => {
        if (status === 200) lat?.add(ms);
        statuses?.set(status, (statuses.get(status) ?? 0) + 1);
      });
    },
  });
  log(`API: warm-up ${WARMUP} s`);
  await autocannon(opts(WARMUP));
  log(`API: ${DURATION} s at ${CONNECTIONS} connections`);
  const lat = new Latencies();
  const statuses = new Map<number, number>();
  const meter = await cpuMeter(monitor, serverPid);
  const r = await autocannon(opts(DURATION, lat, statuses));
  const cpu = meter(r.requests.total);
  return {
    requestsPerSecond: round(r.requests.total / r.duration, 0),
    latencyMs: lat.summary(),
    autocannon: {
      reqPerSecAverage: r.requests.average,
      p50: r.latency.p50,
      p99: r.latency.p99,
      total: r.requests.total,
    },
    ok: lat.count,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    statuses: Object.fromEntries(statuses),
    cpu,
  };
}

/** wrk (C, Debian's `wrk` package) when installed: the same load at about a third of autocannon's CPU per request. */
function wrkPath(): string | undefined {
  const r = spawnSync('sh', ['-c', 'command -v wrk'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/**
 * The same load as loadApi, generated by wrk: one thread, CONNECTIONS connections, a random seeded
 * id per request (a Lua script). On two shared cores the load generator's CPU is taken from the
 * server and PostgreSQL; wrk's latencies are its own (from the request's write to the response's
 * last byte, to the microsecond). Its CPU comes from the shell that waited for it (/proc cutime).
 */
async function loadWrk(
  wrk: string,
  baseUrl: string,
  token: string,
  ids: string[],
  monitor: pg.Client,
  serverPid?: number,
) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'madoguchi-wrk-'));
  onCleanup(async () => fs.rmSync(dir, { recursive: true, force: true }));
  const script = path.join(dir, 'users.lua');
  fs.writeFileSync(
    script,
    `local ids = { ${ids.map((id) => `"${id}"`).join(',')} }
local n = #ids
init = function() math.randomseed(os.time()) end
request = function() return wrk.format(nil, "/api/v1/users/" .. ids[math.random(n)]) end
done = function(s, latency)
  local e = s.errors
  io.write(string.format('WRK {"requests":%d,"durationUs":%d,"non2xx":%d,"socketErrors":%d,"timeouts":%d,'
    .. '"p50":%d,"p90":%d,"p99":%d,"p999":%d,"max":%d,"mean":%.1f}\\n', s.requests, s.duration, e.status,
    e.connect + e.read + e.write, e.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency:percentile(99.9), latency.max, latency.mean))
end
`,
  );
  const run = async (seconds: number) => {
    const args = ['-t1', `-c${CONNECTIONS}`, `-d${seconds}s`, '--timeout', '10s', '-s', script];
    const headers = ['-H', `authorization: Bearer ${token}`, '-H', 'accept: application/json'];
    // The shell's cutime/cstime (fields 16 and 17) count the CPU of wrk, which it waited for.
    const child = spawn('sh', ['-c', '"$@"; cat /proc/$$/stat', 'sh', wrk, ...args, ...headers, baseUrl], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const json = out.match(/^WRK (.*)$/m)?.[1];
    if (code !== 0 || !json) throw new Error(`wrk failed (${code}): ${out.slice(0, 1000)}`);
    const stat = (out.trim().split('\n').at(-1) ?? '').split(') ')[1]?.split(' ') ?? [];
    const cpuMs = ((Number(stat[13]) + Number(stat[14])) * 1000) / CLK_TCK;
    const figures = JSON.parse(json) as Record<string, number>;
    figures.cpuMs = cpuMs;
    return figures;
  };
  log(`API (wrk): warm-up ${WARMUP} s`);
  await run(WARMUP);
  log(`API (wrk): ${DURATION} s at ${CONNECTIONS} connections`);
  const meter = await cpuMeter(monitor, serverPid);
  const r = await run(DURATION);
  const count = r.requests as number;
  const cpu = meter(count);
  // This process idled meanwhile: what the meter counts outside it is wrk's, measured apart.
  const wrkMs = round((r.cpuMs as number) / Math.max(1, count), 3);
  const us = (k: string) => round((r[k] as number) / 1000, 2);
  return {
    requestsPerSecond: round(count / ((r.durationUs as number) / 1e6), 0),
    latencyMs: {
      count,
      p50: us('p50'),
      p90: us('p90'),
      p99: us('p99'),
      p999: us('p999'),
      max: us('max'),
      mean: us('mean'),
    },
    non2xx: r.non2xx,
    socketErrors: r.socketErrors,
    timeouts: r.timeouts,
    cpu: {
      ...cpu,
      perRequestMs: {
        ...cpu.perRequestMs,
        wrk: wrkMs,
        restOfMachine: round(Math.max(0, cpu.perRequestMs.restOfMachine - wrkMs), 3),
      },
    },
  };
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const startedAt = new Date().toISOString();
  const load = { before: os.loadavg().map((x) => round(x)), after: [] as number[] };
  log(`load average ${load.before.join(' ')} on ${os.cpus().length} CPUs`);

  // 1. PostgreSQL server, database, tenant, token, users.
  const cluster: Cluster = await startCluster();
  onCleanup(() => cluster.stop());
  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  await admin.query('CREATE DATABASE madoguchi_bench');
  const { rows: ver } = await admin.query<{ v: string }>("SELECT current_setting('server_version') AS v");
  await admin.end();
  const dbUrl = clusterDbUrl(cluster, 'madoguchi_bench');
  const env = { DATABASE_URL: dbUrl, MADOGUCHI_DEMO: '0' };
  log('tenant and token (CLI)');
  const tenantId = String(cli(['tenant', 'create', '--name', 'bench'], env).tenantId);
  const token = String(cli(['token', 'create', '--tenant', tenantId, '--role', 'admin', '--name', 'bench'], env).token);
  log(`seeding ${USERS} users`);
  const ids = await seedUsers(dbUrl, tenantId, USERS);
  const monitor = new pg.Client({ connectionString: dbUrl, application_name: 'bench-monitor' });
  await monitor.connect();
  onCleanup(() => monitor.end());

  // 2. Start to healthy on the server database (median of START_RUNS), keeping the last one.
  // What `npm start` runs (scripts/start.mjs) once the web app and the server are built; the
  // server's build, like the web app's, is made here first and not timed.
  const serverEntry = await ensureServerBuild();
  const serverArgs = [
    ...(CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF}`] : []),
    '--enable-source-maps',
    serverEntry,
  ];
  const serverStarts: number[] = [];
  let server: Awaited<ReturnType<typeof startAppServer>> | undefined;
  for (let i = 0; i < START_RUNS; i++) {
    if (server) await server.stop();
    server = await startAppServer(serverArgs, env);
    serverStarts.push(round(server.ms / 1000));
    log(`server start → healthy: ${serverStarts.at(-1)} s`);
  }
  if (!server) throw new Error('unreachable');

  // A sanity check before the load: the route answers the seeded row.
  const probe = await fetch(`${server.baseUrl}/api/v1/users/${ids[0]}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (probe.status !== 200) throw new Error(`GET /api/v1/users/:id answered ${probe.status}: ${await probe.text()}`);

  // 3. The API.
  const api = await loadApi(server.baseUrl, token, ids, monitor, server.proc.child.pid);
  const wrk = wrkPath();
  const apiWrk = wrk ? await loadWrk(wrk, server.baseUrl, token, ids, monitor, server.proc.child.pid) : undefined;
  if (!wrk) log('wrk is not installed (apt-get install wrk): the targets are judged on the autocannon run');
  await server.stop();
  // The targets are judged on the run whose load generator took least from the shared cores.
  const judged = apiWrk ?? api;

  // 4. Direct pg.
  const appUrl = await appRoleUrl(dbUrl);
  const direct = {
    transaction: await directRun('transaction', appUrl, tenantId, ids, monitor),
    plain: await directRun('plain', appUrl, tenantId, ids, monitor),
  };

  // 5. Embedded data directory.
  let embedded: Record<string, unknown> = { skipped: true };
  if (process.env.BENCH_SKIP_EMBEDDED !== '1') {
    try {
      embedded = await embeddedStarts(serverArgs);
    } catch (err) {
      log(`embedded start failed: ${(err as Error).stack ?? err}`);
      embedded = { error: (err as Error).message.slice(0, 2000) };
    }
  }

  load.after = os.loadavg().map((x) => round(x));
  const serverStartS = median(serverStarts);
  const embeddedStartS = typeof embedded.medianS === 'number' ? embedded.medianS : Number.NaN;
  const result = {
    benchmark: 'madoguchi api',
    startedAt,
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? '',
      memoryGiB: round(os.totalmem() / 2 ** 30, 1),
      node: process.version,
      postgres: ver[0]?.v ?? '',
      loadAverage: load,
    },
    settings: { connections: CONNECTIONS, durationS: DURATION, warmupS: WARMUP, users: USERS, logLevel: LOG_LEVEL },
    serverStart: { medianS: serverStartS, runsS: serverStarts },
    api: { route: 'GET /api/v1/users/:id (bearer token, admin)', loadGenerator: 'autocannon', ...api },
    apiWrk: apiWrk
      ? { route: 'GET /api/v1/users/:id (bearer token, admin)', loadGenerator: 'wrk -t1', ...apiWrk }
      : { skipped: 'wrk is not installed (apt-get install wrk)' },
    direct,
    ratio: {
      apiToDirectTransaction: round(api.requestsPerSecond / direct.transaction.queriesPerSecond),
      apiToDirectPlain: round(api.requestsPerSecond / direct.plain.queriesPerSecond),
    },
    embeddedStart: embedded,
    targets: {
      judgedOn: apiWrk ? 'apiWrk' : 'api',
      requestsPerSecond: {
        target: `>= ${TARGETS.requestsPerSecond}`,
        value: judged.requestsPerSecond,
        pass: judged.requestsPerSecond >= TARGETS.requestsPerSecond,
        autocannon: api.requestsPerSecond,
      },
      p99Ms: {
        target: `<= ${TARGETS.p99Ms}`,
        value: judged.latencyMs.p99,
        pass: judged.latencyMs.p99 <= TARGETS.p99Ms,
        autocannon: api.latencyMs.p99,
      },
      embeddedStartS: {
        target: `<= ${TARGETS.embeddedStartS}`,
        value: Number.isNaN(embeddedStartS) ? null : embeddedStartS,
        pass: Number.isNaN(embeddedStartS) ? null : embeddedStartS <= TARGETS.embeddedStartS,
      },
      serverStartS: {
        target: `<= ${TARGETS.serverStartS}`,
        value: serverStartS,
        pass: serverStartS <= TARGETS.serverStartS,
      },
    },
  };
  const text = `${JSON.stringify(result, null, 2)}\n`;
  if (process.env.BENCH_OUT) fs.writeFileSync(process.env.BENCH_OUT, text);
  process.stdout.write(text);
}

async function directRun(
  kind: 'transaction' | 'plain',
  appUrl: string,
  tenantId: string,
  ids: string[],
  monitor: pg.Client,
) {
  const pool = new pg.Pool({
    connectionString: appUrl,
    max: CONNECTIONS,
    application_name: `bench-direct-${kind}`,
    ...(kind === 'plain' ? { options: `-c app.tenant_id=${tenantId}` } : {}),
  });
  const end = onCleanup(() => pool.end());
  pool.on('error', (err) => log(`pool error: ${err.message}`));
  const sql = `SELECT id, email, name, role, locale, active, totp_secret IS NOT NULL AS totp_enabled,
    locked_until, must_change_password, last_login_at, created_at FROM users WHERE tenant_id = $1 AND id = $2`;
  const setting = `SELECT set_config('app.tenant_id', '${tenantId}', true)`;
  const one = async () => {
    const id = pick(ids);
    if (kind === 'plain') {
      const { rows } = await pool.query(sql, [tenantId, id]);
      if (rows.length !== 1) throw new Error('direct plain: no row');
      return;
    }
    const client = await pool.connect();
    try {
      await client.query(`BEGIN; ${setting}`);
      const { rows } = await client.query(sql, [tenantId, id]);
      await client.query('COMMIT');
      if (rows.length !== 1) throw new Error('direct transaction: no row');
    } finally {
      client.release();
    }
  };
  const run = async (seconds: number, lat?: Latencies) => {
    const stopAt = performance.now() + seconds * 1000;
    let n = 0;
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
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
  log(`direct pg (${kind}): warm-up ${WARMUP} s, then ${DURATION} s at ${CONNECTIONS} concurrency`);
  await run(WARMUP);
  const lat = new Latencies();
  const meter = await cpuMeter(monitor);
  const t0 = performance.now();
  const n = await run(DURATION, lat);
  const cpu = meter(n);
  const elapsedS = (performance.now() - t0) / 1000;
  await end();
  return {
    statement: kind === 'plain' ? 'SELECT (app.tenant_id set for the session)' : 'BEGIN; set_config → SELECT → COMMIT',
    queriesPerSecond: round(n / elapsedS, 0),
    latencyMs: lat.summary(),
    total: n,
    cpu,
  };
}

async function embeddedStarts(args: string[]) {
  const built = ensureWebBuild();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'madoguchi-bench-data-'));
  onCleanup(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
  const env = { DATA_DIR: dataDir, MADOGUCHI_DEMO: '1', DATABASE_URL: '', APP_DATABASE_URL: '' };
  log('embedded: first start (creates the data directory and demo data)');
  const first = await startAppServer(args, env);
  const firstS = round(first.ms / 1000);
  await first.stop();
  const runs: number[] = [];
  for (let i = 0; i < START_RUNS; i++) {
    const s = await startAppServer(args, env);
    runs.push(round(s.ms / 1000));
    log(`embedded start → healthy: ${runs.at(-1)} s`);
    await s.stop();
  }
  return {
    command: `node ${args.join(' ')} with an existing DATA_DIR`,
    webBuiltFirst: built,
    firstStartS: firstS,
    medianS: median(runs),
    runsS: runs,
  };
}

stopOnSignals();
try {
  await main();
} catch (err) {
  log(`failed: ${(err as Error).stack ?? err}`);
  process.exitCode = 1;
} finally {
  await cleanupAll();
}
