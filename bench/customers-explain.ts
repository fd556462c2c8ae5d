// `--explain`: each search query timed in SQL, and EXPLAIN (ANALYZE, BUFFERS) of the slowest of
// each group and of a look-up, printed on stderr. A name search runs inside customer_ids_by_name
// (SECURITY DEFINER, EXECUTE … USING, planned with the actual values); the outer statement's plan
// only shows a Function Scan, so the inner statement is explained too, as the owner with the
// tenant set, exactly as the function runs it.
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import type { TenantTx } from '../src/server/db/database.js';
import { customersByPhone, searchCustomers } from '../src/server/modules/customers/customers.queries.js';
import { planSearch } from '../src/server/modules/customers/customers.search.js';
import { Latencies, type LatencySummary, round, withTenantTx } from './lib.js';

type Captured = { text: string; params: unknown[] };

/** The statement a query function sends, without running it. */
async function capture(tenantId: string, fn: (tx: TenantTx) => Promise<unknown>): Promise<Captured> {
  let captured: Captured | undefined;
  await fn({
    tenantId,
    query: async (text, params) => {
      captured ??= { text, params: params ?? [] };
      return [];
    },
  });
  if (!captured) throw new Error('no statement captured');
  return captured;
}

const INNER_NAME_SQL = `SELECT s.customer_id, s.seq FROM customer_search s
  WHERE s.tenant_id = $1 AND s.name_grams @> $2 AND strpos(s.name_search, $3) > 0 AND s.seq > $4
  ORDER BY s.seq LIMIT $5`;

export async function explainSlowest(
  appUrl: string,
  ownerUrl: string,
  tenantId: string,
  groups: Record<string, string[]>,
  lookupE164: string,
  print: (text: string) => void,
  slowest = 2,
): Promise<Record<string, { all: LatencySummary; slowest: { query: string; ms: number }[] }>> {
  const app = new pg.Pool({ connectionString: appUrl, max: 1 });
  const owner = new pg.Client({ connectionString: ownerUrl });
  await owner.connect();
  try {
    const time = async (q: string) => {
      const plan = planSearch(q);
      // Twice: the first warms the buffers and the plan cache of the function.
      let ms = 0;
      for (let i = 0; i < 2; i++) {
        const t0 = performance.now();
        await withTenantTx(app, tenantId, (tx) => searchCustomers(tx, plan, null, 50));
        ms = performance.now() - t0;
      }
      return { query: q, ms: round(ms) };
    };
    const byGroup: Record<string, { query: string; ms: number }[]> = {};
    for (const [group, queries] of Object.entries(groups)) {
      const timed: { query: string; ms: number }[] = [];
      for (const q of queries) timed.push(await time(q));
      byGroup[group] = timed.sort((a, b) => b.ms - a.ms);
    }
    const explain = async (title: string, run: () => Promise<{ rows: Record<string, unknown>[] }>) => {
      const { rows } = await run();
      print(`\n=== ${title}\n${rows.map((r) => String(r['QUERY PLAN'])).join('\n')}`);
    };
    for (const { query, ms } of Object.values(byGroup).flatMap((timed) => timed.slice(0, slowest))) {
      const plan = planSearch(query);
      const outer = await capture(tenantId, (tx) => searchCustomers(tx, plan, null, 50));
      await explain(`search "${query}" (${ms} ms in SQL): the route's statement, application role`, () =>
        withTenantTx(app, tenantId, async (tx) => ({
          rows: await tx.query(`EXPLAIN (ANALYZE, BUFFERS) ${outer.text}`, outer.params),
        })),
      );
      if (plan.kind === 'name') {
        await owner.query('BEGIN');
        await owner.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
        await explain(`search "${query}": inside customer_ids_by_name`, () =>
          owner.query(`EXPLAIN (ANALYZE, BUFFERS) ${INNER_NAME_SQL}`, [tenantId, plan.grams, plan.text, 0, 51]),
        );
        await owner.query('COMMIT');
      }
    }
    const lookup = await capture(tenantId, (tx) => customersByPhone(tx, lookupE164, 100));
    await explain(`look-up ${lookupE164}: the route's statement, application role`, () =>
      withTenantTx(app, tenantId, async (tx) => ({
        rows: await tx.query(`EXPLAIN (ANALYZE, BUFFERS) ${lookup.text}`, lookup.params),
      })),
    );
    return Object.fromEntries(
      Object.entries(byGroup).map(([g, timed]) => {
        const all = new Latencies();
        for (const t of timed) all.add(t.ms);
        return [g, { all: all.summary(), slowest: timed.slice(0, 8) }];
      }),
    );
  } finally {
    await app.end();
    await owner.end();
  }
}
