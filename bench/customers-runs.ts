// The measured parts of the customers benchmark (bench/customers.ts): each HTTP figure next to
// the same SQL run straight through `pg` as the application role in a tenant transaction — the
// module's own query functions over a plain pool (withTenantTx), so the statements are the
// route's, byte for byte.
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import pg from 'pg';
import type { TenantTx } from '../src/server/db/database.js';
import { checkImport } from '../src/server/modules/customers/customers.import.js';
import {
  customersByPhone,
  insertCustomers,
  searchCustomers,
  takeNumbers,
} from '../src/server/modules/customers/customers.queries.js';
import { planSearch, type SearchPlan } from '../src/server/modules/customers/customers.search.js';
import { SseClient } from '../src/server/modules/telephony/sse-client.test-util.js';
import type { CsvSource } from './customers-seed.js';
import {
  type CpuShare,
  closedLoop,
  cpuMeter,
  httpLoad,
  Latencies,
  type LatencySummary,
  log,
  round,
  withTenantTx,
} from './lib.js';

/** What the screen pop and the route's LOOKUP_LIMIT use; the list's default page. */
const LOOKUP_LIMIT = 100;
const PAGE = 50;

export type Ctx = {
  baseUrl: string;
  token: string;
  tenantId: string;
  appUrl: string;
  pgDataDir: string;
  serverPid: number | undefined;
  seconds: number;
  warmupSeconds: number;
};

export type Sample = { e164: string; national: string; customerId: string };

const fullWidth = (s: string) => s.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));
const parsed = (e164: string) => {
  const p = parsePhoneNumberFromString(e164);
  if (!p) throw new Error(`sample ${e164} does not parse`);
  return p;
};

/** The five ways a caller's number reaches the look-up. */
export const FORMATS: Record<string, (s: Sample) => string> = {
  hyphenated: (s) => parsed(s.e164).formatNational(),
  fullWidth: (s) => fullWidth(s.national),
  international: (s) => parsed(s.e164).formatInternational(),
  digits: (s) => s.national,
  withoutTrunkZero: (s) => s.national.slice(1),
};

const pick = <T>(xs: T[]): T => xs[Math.floor(Math.random() * xs.length)] as T;

export type Row = {
  scenario: string;
  connections: number;
  example: string;
  http: LatencySummary & { requestsPerSecond: number; non2xx: number; errors: number };
  sql: LatencySummary & { perSecond: number };
  /** HTTP ÷ SQL at each percentile. */
  ratio: { p50: number; p95: number; p99: number };
  cpu: CpuShare & { oursMsPerRequest: number };
};

const ratio = (a: LatencySummary, b: LatencySummary) => ({
  p50: round(a.p50 / b.p50, 1),
  p95: round(a.p95 / b.p95, 1),
  p99: round(a.p99 / b.p99, 1),
});

function pool(ctx: Ctx, max: number): pg.Pool {
  const p = new pg.Pool({ connectionString: ctx.appUrl, max, application_name: 'bench-direct' });
  p.on('error', (err) => log(`pool error: ${err.message}`));
  return p;
}

async function sqlLoop(ctx: Ctx, connections: number, fn: (tx: TenantTx) => Promise<unknown>) {
  const p = pool(ctx, connections);
  try {
    const r = await closedLoop(connections, ctx.seconds, ctx.warmupSeconds, async () => {
      await withTenantTx(p, ctx.tenantId, fn);
    });
    return { ...r.latencyMs, perSecond: r.perSecond };
  } finally {
    await p.end();
  }
}

async function http(ctx: Ctx, connections: number, paths: string[]) {
  let meter = cpuMeter(ctx.pgDataDir, ctx.serverPid);
  const r = await httpLoad({
    baseUrl: ctx.baseUrl,
    connections,
    seconds: ctx.seconds,
    warmupSeconds: ctx.warmupSeconds,
    headers: { authorization: `Bearer ${ctx.token}`, accept: 'application/json' },
    path: () => pick(paths),
    beforeMeasure: () => {
      meter = cpuMeter(ctx.pgDataDir, ctx.serverPid);
    },
  });
  if (r.non2xx > 0 || r.errors > 0) log(`  ${r.non2xx} non-2xx, ${r.errors} errors: ${JSON.stringify(r.statuses)}`);
  return {
    http: { ...r.latencyMs, requestsPerSecond: r.requestsPerSecond, non2xx: r.non2xx, errors: r.errors },
    cpu: perRequest(meter(), r.requestsPerSecond),
  };
}

/** The share of the machine, and what it comes to per request: our CPU ms (all processes) ÷ requests. */
function perRequest(share: CpuShare, perSecond: number) {
  return {
    ...share,
    oursMsPerRequest: round(((share.oursPercent / 100) * os.cpus().length * 1000) / Math.max(1, perSecond), 2),
  };
}

/** Look-ups in each format and name searches, at each concurrency, over HTTP and in SQL. */
export async function lookupsAndSearches(
  ctx: Ctx,
  connections: number[],
  samples: Sample[],
  names: Record<'name2' | 'name3plus', string[]>,
): Promise<Row[]> {
  const rows: Row[] = [];
  const plans = new Map<string, SearchPlan>();
  for (const q of [...names.name2, ...names.name3plus]) plans.set(q, planSearch(q));
  for (const c of connections) {
    log(`SQL look-up at ${c} connections`);
    const lookupSql = await sqlLoop(ctx, c, (tx) => customersByPhone(tx, pick(samples).e164, LOOKUP_LIMIT));
    for (const [format, render] of Object.entries(FORMATS)) {
      log(`HTTP look-up (${format}) at ${c} connections`);
      const paths = samples.map((s) => `/api/v1/customers/lookup?phone=${encodeURIComponent(render(s))}`);
      const h = await http(ctx, c, paths);
      rows.push({
        scenario: `lookup.${format}`,
        connections: c,
        example: render(samples[0] as Sample),
        ...h,
        sql: lookupSql,
        ratio: ratio(h.http, lookupSql),
      });
    }
    for (const kind of ['name2', 'name3plus'] as const) {
      const queries = names[kind];
      log(`SQL search (${kind}) at ${c} connections`);
      const sql = await sqlLoop(ctx, c, (tx) =>
        searchCustomers(tx, plans.get(pick(queries)) as SearchPlan, null, PAGE),
      );
      log(`HTTP search (${kind}) at ${c} connections`);
      const h = await http(
        ctx,
        c,
        queries.map((q) => `/api/v1/customers?q=${encodeURIComponent(q)}`),
      );
      rows.push({
        scenario: `search.${kind}`,
        connections: c,
        example: queries.slice(0, 4).join(' '),
        ...h,
        sql,
        ratio: ratio(h.http, sql),
      });
    }
  }
  return rows;
}

/** POST /telephony/events → its `call` frame on an open stream, one event at a time. */
export async function screenPop(ctx: Ctx, samples: Sample[], events: number) {
  const client = await SseClient.open(`${ctx.baseUrl}/api/v1/telephony/stream`, {
    authorization: `Bearer ${ctx.token}`,
  });
  if (client.response.status !== 200) throw new Error(`GET /telephony/stream answered ${client.response.status}`);
  const formats = Object.values(FORMATS);
  const frame = new Latencies();
  const post = new Latencies();
  let wrong = 0;
  const warm = 20;
  const meter = cpuMeter(ctx.pgDataDir, ctx.serverPid);
  try {
    for (let i = 0; i < warm + events; i++) {
      const s = samples[i % samples.length] as Sample;
      const callId = `bench-${i}-${randomUUID()}`;
      const from = (formats[i % formats.length] as (s: Sample) => string)(s);
      const t0 = performance.now();
      const res = await fetch(`${ctx.baseUrl}/api/v1/telephony/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ctx.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ event: 'ringing', callId, from, to: '0312345678', direction: 'inbound' }),
      });
      const tPost = performance.now();
      await res.arrayBuffer();
      if (res.status !== 202) throw new Error(`POST /telephony/events answered ${res.status}`);
      const { pop, at } = await client.call((p) => p.callId === callId, 5_000);
      if (i < warm) continue;
      frame.add(at - t0);
      post.add(tPost - t0);
      if (!pop.items.some((c) => c.id === s.customerId)) wrong++;
    }
  } finally {
    client.close();
  }
  const cpu = meter();
  // The same look-up the bus makes for each event, sequentially.
  const p = pool(ctx, 1);
  const sql = new Latencies();
  try {
    for (let i = 0; i < warm + events; i++) {
      const s = samples[i % samples.length] as Sample;
      const t0 = performance.now();
      await withTenantTx(p, ctx.tenantId, (tx) => customersByPhone(tx, s.e164, LOOKUP_LIMIT));
      if (i >= warm) sql.add(performance.now() - t0);
    }
  } finally {
    await p.end();
  }
  const f = frame.summary();
  const q = sql.summary();
  return {
    events,
    eventToFrameMs: f,
    postAcceptedMs: post.summary(),
    sqlLookupMs: q,
    ratio: ratio(f, q),
    framesWithoutTheCaller: wrong,
    cpu,
  };
}

const CSV_HEADER = [
  '氏名',
  'フリガナ',
  '電話番号1',
  '電話番号2',
  '電話番号3',
  'メールアドレス',
  '郵便番号',
  '都道府県',
  '市区町村',
  '住所1',
  '生年月日',
  '性別',
];
const cell = (v: string | null | undefined) => {
  const s = v ?? '';
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

/** An Excel-style CSV (UTF-8 with BOM, CRLF) of generated customers. */
export function toCsv(rows: CsvSource[]): Buffer {
  const lines = [CSV_HEADER.join(',')];
  for (const r of rows) {
    const phones = [r.phones[0], r.phones[1], r.phones[2]];
    lines.push(
      [r.name, r.kana, ...phones, r.email, r.postal, r.prefecture, r.city, r.address1, r.birth, r.gender]
        .map(cell)
        .join(','),
    );
  }
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${lines.join('\r\n')}\r\n`)]);
}

type ImportResponse = { rows: number; valid: number; imported: number; errors: unknown[] };

async function postImport(ctx: Ctx, body: Buffer, dryRun: boolean) {
  const t0 = performance.now();
  const res = await fetch(`${ctx.baseUrl}/api/v1/customers/import${dryRun ? '?dryRun=true' : ''}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ctx.token}`, 'content-type': 'text/csv' },
    body: new Uint8Array(body),
  });
  const json = (await res.json()) as ImportResponse;
  const seconds = (performance.now() - t0) / 1000;
  if (res.status !== (dryRun ? 200 : 201)) {
    throw new Error(`import answered ${res.status}: ${JSON.stringify(json).slice(0, 2000)}`);
  }
  return { seconds, json };
}

/**
 * A CSV through POST /customers/import (a dry run first: decoding, parsing and checking alone),
 * then another CSV of the same size inserted with the module's statements directly: the numbers
 * taken at once, jsonb_to_recordset batches of 1,000 in one transaction.
 */
export async function csvImport(ctx: Ctx, httpCsv: Buffer, sqlCsv: Buffer, rows: number) {
  log(`import: dry run of ${rows} rows (${round(httpCsv.length / 2 ** 20, 1)} MiB)`);
  const dry = await postImport(ctx, httpCsv, true);
  log(`import: ${rows} rows`);
  const meter = cpuMeter(ctx.pgDataDir, ctx.serverPid);
  const real = await postImport(ctx, httpCsv, false);
  const cpu = meter();
  if (real.json.imported !== rows) throw new Error(`import: ${real.json.imported} of ${rows} imported`);

  log('import: the same statements straight through pg');
  const checked = checkImport(sqlCsv, 'ja', new Date());
  if (checked.records.length !== rows) throw new Error(`direct import: ${checked.result.errors.length} errors`);
  const p = pool(ctx, 1);
  const t0 = performance.now();
  try {
    await withTenantTx(p, ctx.tenantId, async (tx) => {
      const first = await takeNumbers(tx, checked.records.length);
      checked.records.forEach((r, i) => {
        r.id = randomUUID();
        r.seq = first + i;
      });
      for (let i = 0; i < checked.records.length; i += 1000)
        await insertCustomers(tx, checked.records.slice(i, i + 1000));
    });
  } finally {
    await p.end();
  }
  const sqlSeconds = (performance.now() - t0) / 1000;
  return {
    rows,
    csvMiB: round(httpCsv.length / 2 ** 20, 1),
    seconds: round(real.seconds, 1),
    rowsPerSecond: Math.round(rows / real.seconds),
    dryRunSeconds: round(dry.seconds, 1),
    sqlInsertSeconds: round(sqlSeconds, 1),
    ratio: round(real.seconds / sqlSeconds, 2),
    cpu,
  };
}
