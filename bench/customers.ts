// Customers benchmark: `npm run bench:customers [-- --customers N]` (= tsx bench/customers.ts).
//
//  1. A throw-away PostgreSQL 15 server (scripts/pg-cluster.mjs), a tenant and an admin API token
//     made with the CLI, then N customers (default 1,000,000) with 3N phone numbers and Japanese
//     names seeded in bulk (bench/customers-seed.ts); the seed time is reported.
//  2. The Madoguchi server as a separate process. Over HTTP with autocannon at each concurrency
//     (--connections, default 1, 8 and 32), p50/p95/p99 of GET /customers/lookup?phone= for the five
//     ways of writing a number (target p99 ≤ 10 ms) and of GET /customers?q= for two-character
//     and three-or-more-character names (target p95 ≤ 50 ms); each beside the same SQL run with
//     `pg` as the application role in a tenant transaction (bench/customers-runs.ts).
//  3. POST /telephony/events → the `call` frame on an open GET /telephony/stream, one event at a
//     time (--events, default 200; target p99 ≤ 50 ms), beside the look-up's SQL.
//  4. A CSV of 100,000 rows (--import-rows) through POST /customers/import (target ≤ 60 s), beside
//     the module's insert statements run directly.
//
// Prints one JSON object (figures, targets, pass/fail) on stdout; progress goes to stderr. Stops
// everything it started, also on error or Ctrl+C. Options: --customers N, --connections 1,8,32,
// --duration S (measured seconds per run, default 8), --warmup S (default 2), --events N,
// --import-rows N, --log-level L (the server's LOG_LEVEL, default warn), --explain (EXPLAIN
// ANALYZE of the slowest searches and a look-up on stderr), --out FILE (also writes the JSON).
// `npm run -s bench:customers` prints bare JSON.
import fs from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { type Cluster, startCluster } from '../scripts/pg-cluster.mjs';
import { nameSearchOf } from '../src/server/modules/customers/customers.validate.js';
import { normalizePhone } from '../src/shared/japanese/phone.js';
import { FAMILY_NAMES, GIVEN_NAMES } from './customers-data.js';
import { explainSlowest } from './customers-explain.js';
import { type Ctx, csvImport, FORMATS, lookupsAndSearches, type Sample, screenPop, toCsv } from './customers-runs.js';
import { generatedRows, seedCustomers } from './customers-seed.js';
import {
  appRoleUrl,
  cleanupAll,
  cli,
  clusterDbUrl,
  log,
  machineInfo,
  onCleanup,
  round,
  SERVER_ARGS,
  sleep,
  startServer,
  stopOnSignals,
} from './lib.js';

const { values: opts } = parseArgs({
  options: {
    customers: { type: 'string', default: '1000000' },
    connections: { type: 'string', default: '1,8,32' },
    duration: { type: 'string', default: '8' },
    warmup: { type: 'string', default: '2' },
    events: { type: 'string', default: '200' },
    'import-rows': { type: 'string', default: '100000' },
    'log-level': { type: 'string', default: 'warn' },
    explain: { type: 'boolean', default: false },
    out: { type: 'string' },
  },
});
const CUSTOMERS = Number(opts.customers);
const CONNECTIONS = opts.connections.split(',').map(Number);
const IMPORT_ROWS = Number(opts['import-rows']);
const EVENTS = Number(opts.events);
const TARGETS = { lookupP99Ms: 10, searchP95Ms: 50, screenPopP99Ms: 50, importSeconds: 60 };

/** Two-character names, and names of three or more characters (kanji, katakana, full names). */
function nameQueries() {
  const all = [...FAMILY_NAMES, ...GIVEN_NAMES];
  const chars = (s: string) => Array.from(s).length;
  const name2 = [...new Set(all.map((n) => n.kanji).filter((k) => chars(k) === 2))];
  const long = [...new Set(all.map((n) => n.kanji).filter((k) => chars(k) >= 3))];
  const kana = [...new Set(FAMILY_NAMES.map((n) => n.kana).filter((k) => chars(k) >= 3))].slice(0, 60);
  const full = Array.from({ length: 60 }, (_, i) => {
    const f = FAMILY_NAMES[(i * 7) % 40] ?? FAMILY_NAMES[0];
    const g = GIVEN_NAMES[(i * 13) % GIVEN_NAMES.length] ?? GIVEN_NAMES[0];
    return `${f?.kanji}${g?.kanji}`;
  });
  return { name2, name3plus: [...long, ...kana, ...full] };
}

/** Random phones of the seed; each checked against the application's own normalisation. */
async function phoneSamples(db: pg.Client, tenantId: string, phones: number): Promise<Sample[]> {
  const pct = Math.min(100, (4000 / Math.max(1, phones)) * 100);
  const { rows } = await db.query<{ number: string; e164: string; national: string; customer_id: string }>(
    'SELECT number, e164, national, customer_id FROM customer_phones TABLESAMPLE BERNOULLI ($2) WHERE tenant_id = $1',
    [tenantId, pct],
  );
  const bad = rows.filter((r) => {
    const n = normalizePhone(r.number);
    return n?.e164 !== r.e164 || n.national !== r.national;
  });
  if (bad.length > 0)
    throw new Error(`seeded phones the application reads otherwise: ${JSON.stringify(bad.slice(0, 5))}`);
  const { rows: people } = await db.query<{
    name: string;
    name_kana: string | null;
    family_name_kana: string | null;
    given_name_kana: string | null;
    name_search: string;
  }>(
    `SELECT name, name_kana, family_name_kana, given_name_kana, name_search FROM customers TABLESAMPLE BERNOULLI (1)
      WHERE tenant_id = $1 LIMIT 2000`,
    [tenantId],
  );
  const wrong = people.filter((p) => nameSearchOf(p) !== p.name_search);
  if (wrong.length > 0) throw new Error(`seeded search forms differ: ${JSON.stringify(wrong.slice(0, 5))}`);
  log(`checked ${rows.length} seeded phones and ${people.length} search forms against the application's normalisation`);
  const samples = rows.map((r) => ({ e164: r.e164, national: r.national, customerId: r.customer_id }));
  for (let i = samples.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [samples[i], samples[j]] = [samples[j] as Sample, samples[i] as Sample];
  }
  return samples.slice(0, 2000);
}

/** Each format of a few numbers finds its customer; a common name finds someone. */
async function probe(ctx: Ctx, samples: Sample[]) {
  const get = async (path: string) => {
    const res = await fetch(`${ctx.baseUrl}${path}`, { headers: { authorization: `Bearer ${ctx.token}` } });
    if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as { items: { id: string }[] };
  };
  for (const s of samples.slice(0, 10)) {
    for (const [format, render] of Object.entries(FORMATS)) {
      const body = await get(`/api/v1/customers/lookup?phone=${encodeURIComponent(render(s))}`);
      if (!body.items.some((c) => c.id === s.customerId)) throw new Error(`lookup ${format} ${render(s)} missed`);
    }
  }
  if ((await get(`/api/v1/customers?q=${encodeURIComponent('佐藤')}`)).items.length === 0) throw new Error('no 佐藤');
}

async function waitPostalCodes(db: pg.Client) {
  for (let i = 0; i < 600; i++) {
    const { rows } = await db.query('SELECT 1 FROM postal_code_source');
    if (rows.length > 0) return;
    await sleep(200);
  }
  throw new Error('postal codes not loaded after 120 s');
}

async function main() {
  const startedAt = new Date().toISOString();
  const load = { before: os.loadavg().map((x) => round(x)), afterSeed: [] as number[], after: [] as number[] };
  log(`load average ${load.before.join(' ')} on ${os.cpus().length} CPUs; ${CUSTOMERS.toLocaleString('en')} customers`);

  const cluster: Cluster = await startCluster({
    settings: {
      shared_buffers: "'1GB'",
      effective_cache_size: "'4GB'",
      maintenance_work_mem: "'1GB'",
      max_wal_size: "'8GB'",
    },
  });
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

  log('seeding');
  const seed = await seedCustomers(dbUrl, tenantId, CUSTOMERS);
  load.afterSeed = os.loadavg().map((x) => round(x));
  log(`seeded in ${seed.seconds.total} s`);

  const server = await startServer(SERVER_ARGS, { ...env, LOG_LEVEL: opts['log-level'] });
  const owner = new pg.Client({ connectionString: dbUrl, application_name: 'bench-owner' });
  await owner.connect();
  onCleanup(() => owner.end());
  await waitPostalCodes(owner);
  const appUrl = await appRoleUrl(dbUrl);
  const samples = await phoneSamples(owner, tenantId, seed.phones);
  const ctx: Ctx = {
    baseUrl: server.baseUrl,
    token,
    tenantId,
    appUrl,
    pgDataDir: cluster.dataDir,
    serverPid: server.proc.child.pid,
    seconds: Number(opts.duration),
    warmupSeconds: Number(opts.warmup),
  };
  await probe(ctx, samples);
  const names = nameQueries();

  const rows = await lookupsAndSearches(ctx, CONNECTIONS, samples, names);
  log(`screen pop: ${EVENTS} events`);
  const pop = await screenPop(ctx, samples, EVENTS);
  log('import: generating the CSVs');
  const csvFirst = CUSTOMERS + 1_000_001;
  const httpCsv = toCsv(await generatedRows(dbUrl, csvFirst, IMPORT_ROWS));
  const sqlCsv = toCsv(await generatedRows(dbUrl, csvFirst + IMPORT_ROWS, IMPORT_ROWS));
  const imported = await csvImport(ctx, httpCsv, sqlCsv, IMPORT_ROWS);
  await server.stop();

  let slowestSearches: Awaited<ReturnType<typeof explainSlowest>> | undefined;
  if (opts.explain) {
    const print = (text: string) => process.stderr.write(`${text}\n`);
    slowestSearches = await explainSlowest(appUrl, dbUrl, tenantId, names, samples[0]?.e164 ?? '', print);
  }
  load.after = os.loadavg().map((x) => round(x));

  const worst = (scenario: (s: string) => boolean, c: number, p: 'p95' | 'p99') =>
    rows.filter((r) => scenario(r.scenario) && r.connections === c).reduce((m, r) => Math.max(m, r.http[p]), 0);
  const targets: Record<string, { target: string; value: number; pass: boolean }> = {};
  for (const c of CONNECTIONS) {
    const lookup = worst((s) => s.startsWith('lookup.'), c, 'p99');
    targets[`lookup p99 (worst format) @${c}`] = {
      target: `<= ${TARGETS.lookupP99Ms} ms`,
      value: lookup,
      pass: lookup <= TARGETS.lookupP99Ms,
    };
    for (const kind of ['name2', 'name3plus']) {
      const v = worst((s) => s === `search.${kind}`, c, 'p95');
      targets[`search ${kind} p95 @${c}`] = {
        target: `<= ${TARGETS.searchP95Ms} ms`,
        value: v,
        pass: v <= TARGETS.searchP95Ms,
      };
    }
  }
  targets['screen pop p99'] = {
    target: `<= ${TARGETS.screenPopP99Ms} ms`,
    value: pop.eventToFrameMs.p99,
    pass: pop.eventToFrameMs.p99 <= TARGETS.screenPopP99Ms,
  };
  targets[`import ${IMPORT_ROWS} rows`] = {
    target: `<= ${TARGETS.importSeconds} s`,
    value: imported.seconds,
    pass: imported.seconds <= TARGETS.importSeconds,
  };
  const result = {
    benchmark: 'madoguchi customers',
    startedAt,
    machine: { ...machineInfo(), postgres: ver[0]?.v ?? '', loadAverage: load },
    settings: {
      customers: CUSTOMERS,
      connections: CONNECTIONS,
      durationS: ctx.seconds,
      warmupS: ctx.warmupSeconds,
      serverLogLevel: opts['log-level'],
      serverDbPool: 20,
      postgres: 'fsync off, shared_buffers 1GB (scripts/pg-cluster.mjs)',
    },
    seed,
    requests: rows,
    screenPop: pop,
    import: imported,
    ...(slowestSearches ? { searchesOneByOneSqlMs: slowestSearches } : {}),
    targets,
    pass: Object.values(targets).every((t) => t.pass),
  };
  const text = `${JSON.stringify(result, null, 2)}\n`;
  if (opts.out) fs.writeFileSync(opts.out, text);
  process.stdout.write(text);
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
