// Subscriptions benchmark: `npm run bench:subscriptions [-- --subscriptions N --kill-subscriptions N --kill-runs N]`.
//
//  1. A throw-away PostgreSQL 15 server (scripts/pg-cluster.mjs) and two tenants made by the CLI.
//  2. Tenant A: N customers (bench/customers-seed.ts) with one monthly subscription each (one or two
//     products), begun a month before day D: last month's run makes every first delivery (timed and
//     reported, not the target: it writes into an empty orders table), then VACUUM ANALYZE as
//     autovacuum would. Generation for D — every second delivery — in this process (generateDue, as the daily
//     job runs it): wall time and deliveries/s (target: 100,000 in ≤ 30 s), then a second run (must
//     make 0), then the check below.
//  3. Tenant B (the kill test): M weekly subscriptions, first delivery D + 7. Run k (1 … R) is two
//     CLI processes (`madoguchi subscriptions generate --date D+7(k−1) --tenant B`) started together,
//     each killed with SIGKILL at a random moment: every run has a new week of deliveries due, and
//     the ones a killed run did not make are still due. Then one full run for D + 7R, which must
//     catch up every delivery missed. Then the check: each subscription has exactly one order per
//     weekly delivery from D + 7 to D + 7R + 7 (R + 1 orders).
//  Check: orders per (subscription, delivery date) > 1 → duplicates (must be 0); deliveries due
//  without their order → missing (must be 0).
// Prints one JSON object on stdout; progress on stderr; --out FILE also writes it.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { type Cluster, startCluster } from '../scripts/pg-cluster.mjs';
import { openDatabase } from '../src/server/db/database.js';
import { generateDue } from '../src/server/modules/subscriptions/generate.js';
import { seedCustomers } from './customers-seed.js';
import {
  appRoleUrl,
  cleanupAll,
  cli,
  clusterDbUrl,
  log,
  machineInfo,
  onCleanup,
  ROOT,
  round,
  stopOnSignals,
} from './lib.js';

// BENCH_PG_STATS=1: pg_stat_statements on, the generation's 25 costliest statements in the JSON.
const PG_STATS = process.env.BENCH_PG_STATS === '1';
const { values: opts } = parseArgs({
  options: {
    subscriptions: { type: 'string', default: process.env.BENCH_SUBSCRIPTIONS ?? '100000' },
    'kill-subscriptions': { type: 'string', default: '5000' },
    'kill-runs': { type: 'string', default: '20' },
    out: { type: 'string' },
  },
});
const N = Number(opts.subscriptions);
const M = Number(opts['kill-subscriptions']);
const KILL_RUNS = Number(opts['kill-runs']);
const DAY = '2030-06-03'; // the generation day (a Monday); deliveries on DAY + 7 (lead days 7)
const DELIVERY = '2030-06-10';
// Tenant A's subscriptions began a month earlier: their first delivery (PREVIOUS, made on
// PREVIOUS_DAY) is history when DAY's run is measured, as in a running 定期 business.
const PREVIOUS_DAY = '2030-05-03';
const PREVIOUS = '2030-05-10';

async function seedSubscriptions(
  owner: pg.Client,
  tenantId: string,
  count: number,
  unit: 'month' | 'week',
  firstDelivery: string,
) {
  await owner.query('BEGIN');
  await owner.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
  const { rows: products } = await owner.query<{ id: string }>(
    `INSERT INTO products (tenant_id, code, name, name_search, kind, tax_rate, unit_price, first_price, unit_cost)
     VALUES ($1, 'SUB-A', '青汁 定期便', 'sub-a 青汁定期便', 'subscription', 8, 3240, 1980, 800),
            ($1, 'SUB-B', 'サプリ 定期便', 'sub-b さぷり定期便', 'subscription', 8, 4320, NULL, 1200)
     RETURNING id`,
    [tenantId],
  );
  const [a, b] = products.map((p) => p.id);
  await owner.query(
    `INSERT INTO subscriptions (tenant_id, number, customer_id, cycle_every, cycle_unit, first_delivery_date, anchor_date,
                                next_n, next_delivery_date, carrier, created_at, updated_at)
     SELECT $1, row_number() OVER (ORDER BY c.seq), c.id, 1, $4, $3::date, $3::date, 0, $3::date, 'yamato', now(), now()
       FROM (SELECT id, seq FROM customers WHERE tenant_id = $1 ORDER BY seq LIMIT $2) c`,
    [tenantId, count, firstDelivery, unit],
  );
  await owner.query(
    `INSERT INTO subscription_lines (tenant_id, subscription_id, line_no, product_id, quantity)
     SELECT $1::uuid, s.id, 1, $2::uuid, 1 FROM subscriptions s WHERE s.tenant_id = $1
     UNION ALL
     SELECT $1::uuid, s.id, 2, $3::uuid, 2 FROM subscriptions s WHERE s.tenant_id = $1 AND s.number % 3 = 0`,
    [tenantId, a, b],
  );
  await owner.query(`INSERT INTO subscription_counters (tenant_id, last_number) VALUES ($1, $2)`, [tenantId, count]);
  await owner.query('COMMIT');
  await owner.query('ANALYZE subscriptions; ANALYZE subscription_lines; ANALYZE products');
}

/** Duplicates, and deliveries up to `lastDelivery` (weekly from DELIVERY, or DELIVERY only) without their order. */
async function check(owner: pg.Client, tenantId: string, lastDelivery = DELIVERY) {
  await owner.query('BEGIN');
  await owner.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
  const { rows } = await owner.query<{
    subs: number;
    orders: number;
    duplicates: number;
    missing: number;
    still_due: number;
  }>(
    `SELECT (SELECT count(*)::int FROM subscriptions WHERE tenant_id = $1) AS subs,
            (SELECT count(*)::int FROM orders WHERE tenant_id = $1 AND subscription_id IS NOT NULL
                AND subscription_delivery_date >= $2::date) AS orders,
            (SELECT count(*)::int FROM (SELECT 1 FROM orders WHERE tenant_id = $1 AND subscription_id IS NOT NULL
                GROUP BY subscription_id, subscription_delivery_date HAVING count(*) > 1) d) AS duplicates,
            (SELECT count(*)::int FROM subscriptions s
               CROSS JOIN generate_series($2::date, $3::date, CASE WHEN s.cycle_unit = 'week' THEN interval '7 days' ELSE interval '1 month' END) AS d(day)
              WHERE s.tenant_id = $1 AND NOT EXISTS (
                SELECT 1 FROM orders o WHERE o.tenant_id = s.tenant_id AND o.subscription_id = s.id
                  AND o.subscription_delivery_date = d.day::date)) AS missing,
            (SELECT count(*)::int FROM subscriptions WHERE tenant_id = $1 AND next_delivery_date <= $3::date) AS still_due`,
    [tenantId, DELIVERY, lastDelivery],
  );
  await owner.query('COMMIT');
  return rows[0];
}

const plusDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

function runCli(env: Record<string, string>, tenantId: string, date: string) {
  const child = spawn(
    process.execPath,
    ['bin/madoguchi.mjs', 'subscriptions', 'generate', '--date', date, '--tenant', tenantId, '--json'],
    { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => out };
}

/** Where the WAL is, and how many checkpoints have begun. */
async function walPosition(owner: pg.Client) {
  const { rows } = await owner.query<{ lsn: string; checkpoints: string }>(
    'SELECT pg_current_wal_lsn()::text AS lsn, (SELECT checkpoints_timed + checkpoints_req FROM pg_stat_bgwriter) AS checkpoints',
  );
  return rows[0] as { lsn: string; checkpoints: string };
}

/** WAL written per delivery since `before`, and the checkpoints in between (each makes pages log in full again). */
async function walSince(owner: pg.Client, before: { lsn: string; checkpoints: string }, deliveries: number) {
  const after = await walPosition(owner);
  const { rows } = await owner.query<{ bytes: string }>('SELECT pg_wal_lsn_diff($1::pg_lsn, $2::pg_lsn) AS bytes', [
    after.lsn,
    before.lsn,
  ]);
  return {
    megabytes: round(Number(rows[0]?.bytes) / 1048576, 1),
    bytesPerDelivery: Math.round(Number(rows[0]?.bytes) / Math.max(deliveries, 1)),
    checkpoints: Number(after.checkpoints) - Number(before.checkpoints),
  };
}

/** The generation's costliest statements (pg_stat_statements), per delivery made. */
async function topStatements(owner: pg.Client, deliveries: number) {
  const { rows } = await owner.query<{ query: string; calls: string; total: number }>(
    `SELECT left(regexp_replace(query, '\\s+', ' ', 'g'), 160) AS query, calls, total_exec_time AS total
       FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 25`,
  );
  return rows.map((r) => ({
    query: r.query,
    calls: Number(r.calls),
    msPer1000: round((r.total / Math.max(deliveries, 1)) * 1000, 1),
  }));
}

async function main() {
  stopOnSignals();
  const load = { before: os.loadavg().map((x) => round(x)), after: [] as number[] };
  log(
    `${N.toLocaleString('en')} subscriptions due on one day; kill test ${M.toLocaleString('en')} × ${KILL_RUNS} runs`,
  );
  const cluster: Cluster = await startCluster({
    settings: {
      shared_buffers: "'1GB'",
      work_mem: "'64MB'",
      max_wal_size: "'8GB'",
      ...(PG_STATS ? { shared_preload_libraries: "'pg_stat_statements'", 'pg_stat_statements.track': "'all'" } : {}),
    },
  });
  onCleanup(() => cluster.stop());
  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  await admin.query('CREATE DATABASE madoguchi_bench');
  await admin.end();
  const dbUrl = clusterDbUrl(cluster, 'madoguchi_bench');
  const env = { DATABASE_URL: dbUrl, MADOGUCHI_DEMO: '0' };
  const tenantA = String(cli(['tenant', 'create', '--name', 'bench-a'], env).tenantId);
  const tenantB = String(cli(['tenant', 'create', '--name', 'bench-b'], env).tenantId);
  const owner = new pg.Client({ connectionString: dbUrl });
  await owner.connect();
  onCleanup(() => owner.end());

  log('seeding');
  await seedCustomers(dbUrl, tenantA, N);
  await seedSubscriptions(owner, tenantA, N, 'month', PREVIOUS);
  await seedCustomers(dbUrl, tenantB, M);
  await seedSubscriptions(owner, tenantB, M, 'week', DELIVERY);

  // 2. One run for tenant A, in this process, as the daily job makes it.
  const db = await openDatabase({ url: dbUrl, appUrl: await appRoleUrl(dbUrl), poolSize: 4 });
  onCleanup(() => db.close());
  // Last month's run, unmeasured for the target: the first deliveries, into an empty orders table.
  log('history: the first deliveries (tenant A)');
  const h0 = performance.now();
  const history = await generateDue(db, {
    date: PREVIOUS_DAY,
    now: new Date(`${PREVIOUS_DAY}T05:00:00+09:00`),
    tenantId: tenantA,
  });
  const historySeconds = (performance.now() - h0) / 1000;
  log(`history: ${history.generated} in ${round(historySeconds)} s`);
  // What autovacuum has long done on a running database (it would here too, a minute or two in):
  // the tables the run wrote vacuumed, and statistics for them — PostgreSQL plans afresh once
  // those change. Otherwise autovacuum would do it during the measured run.
  await owner.query('VACUUM ANALYZE');
  if (PG_STATS) {
    await owner.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    await owner.query('SELECT pg_stat_statements_reset()');
  }
  log('generating (tenant A)');
  const walBefore = await walPosition(owner);
  const t0 = performance.now();
  const first = await generateDue(db, { date: DAY, now: new Date(`${DAY}T05:00:00+09:00`), tenantId: tenantA });
  const seconds = (performance.now() - t0) / 1000;
  const wal = await walSince(owner, walBefore, first.generated);
  const statements = PG_STATS ? await topStatements(owner, first.generated) : undefined;
  const t1 = performance.now();
  const second = await generateDue(db, { date: DAY, now: new Date(`${DAY}T05:00:00+09:00`), tenantId: tenantA });
  const secondSeconds = (performance.now() - t1) / 1000;
  const checkA = await check(owner, tenantA);
  log(`A: ${first.generated} in ${round(seconds)} s; again ${second.generated}; ${JSON.stringify(checkA)}`);

  // 3. The kill test on tenant B: each run a new week due; pairs of CLI processes killed at random moments; then a full run.
  const rate = first.generated / seconds;
  const fullRunMs = 1500 + (M / rate) * 1000; // process start + generation at the measured rate
  const kills: { run: number; killedAfterMs: number[]; exitCodes: (number | null)[] }[] = [];
  for (let run = 1; run <= KILL_RUNS; run++) {
    const date = plusDays(DAY, 7 * (run - 1));
    const procs = [runCli(env, tenantB, date), runCli(env, tenantB, date)];
    const delays = procs.map(() => Math.round(500 + Math.random() * fullRunMs));
    procs.forEach((p, i) => {
      setTimeout(() => p.child.kill('SIGKILL'), delays[i]);
    });
    const codes = await Promise.all(procs.map((p) => p.exited));
    kills.push({ run, killedAfterMs: delays, exitCodes: codes });
    const partial = await check(owner, tenantB, plusDays(DELIVERY, 7 * (run - 1)));
    log(
      `kill run ${run} (${date}): killed after ${delays.join(' / ')} ms (exit ${codes.map(String).join(' / ')}); orders ${partial?.orders}, not yet made ${partial?.missing}, duplicates ${partial?.duplicates}`,
    );
  }
  const finalDate = plusDays(DAY, 7 * KILL_RUNS);
  const full = runCli(env, tenantB, finalDate);
  const fullCode = await full.exited;
  const fullOut = full.output().trim().split('\n').pop() ?? '';
  const checkB = await check(owner, tenantB, plusDays(DELIVERY, 7 * KILL_RUNS));
  log(`B: full run exit ${fullCode} ${fullOut}; ${JSON.stringify(checkB)}`);

  load.after = os.loadavg().map((x) => round(x));
  const report = {
    bench: 'subscriptions',
    at: new Date().toISOString(),
    machine: machineInfo(),
    load,
    generation: {
      ...(statements ? { statements } : {}),
      subscriptions: N,
      delivery: 2,
      history: {
        delivery: 1,
        generated: history.generated,
        seconds: round(historySeconds),
        note: 'into an empty orders table, before PostgreSQL has statistics for it',
      },
      generated: first.generated,
      exceptions: first.exceptions,
      seconds: round(seconds),
      perSecond: round(rate),
      targetSeconds: 30,
      wal,
      secondRun: { generated: second.generated, seconds: round(secondSeconds) },
      check: checkA,
    },
    killTest: {
      subscriptions: M,
      expectedOrders: M * (KILL_RUNS + 1),
      runs: kills,
      fullRun: { date: finalDate, exitCode: fullCode, output: fullOut },
      check: checkB,
    },
  };
  const json = JSON.stringify(report, null, 2);
  console.log(json);
  if (opts.out) fs.writeFileSync(opts.out, json);
}

main()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(cleanupAll);
