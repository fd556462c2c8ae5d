// Likely duplicate customers, as pairs, keyset-paginated, found by indexed SQL:
//   phone         two customers hold the same number (E.164: every format typed folds to it);
//                 walks customer_phones_e164_idx in order, grouping equal numbers
//   name_address  same name (the folded search form: width, kana, spaces, variant kanji) and same
//                 address (postal code + the folded address1): the stored keys dupe_name and
//                 dupe_address (0006); walks customers_dupe_name_address_idx
// A group of more than MAX_GROUP customers (a company switchboard, a placeholder number) is not
// reported: those are shared, not duplicates. A request reads at most SCAN_ROWS index entries
// from its cursor on: when duplicates are rare a page may come back short (even empty) with a
// nextCursor to go on from — follow it until it is null. Walking every page reads each index once.
import { z } from 'zod';
import type { Database, TenantTx } from '../../db/database.js';
import { decodeCursor, encodeCursor } from '../../platform/http/pagination.js';

export const REASONS = ['phone', 'name_address'] as const;
export type Reason = (typeof REASONS)[number];
const MAX_GROUP = 20;
const NIL = '00000000-0000-0000-0000-000000000000';

export const duplicateCustomerSchema = z.object({
  id: z.uuid(),
  code: z.string(),
  name: z.string(),
  nameKana: z.string().nullable(),
  phones: z.array(z.string()),
  postalCode: z.string().nullable(),
  prefecture: z.string().nullable(),
  city: z.string().nullable(),
  address1: z.string().nullable(),
  createdAt: z.string(),
});
export const duplicatePairSchema = z.object({
  reason: z.enum(REASONS),
  /** What they share: the E.164 number, or "postal code|name|address" in folded form. */
  key: z.string(),
  customers: z.tuple([duplicateCustomerSchema, duplicateCustomerSchema]),
});
type Pair = z.infer<typeof duplicatePairSchema>;
type PairRow = { k1: string; k2: string; k3: string; a_id: string; b_id: string };
type After = { k1: string; k2: string; k3: string; a: string; b: string };

// [reason index, k1, k2, k3, a, b]: the last pair shown.
const uuidShape = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
const cursorShape = z.tuple([
  z.number().int().min(0).max(1),
  z.string().max(300),
  z.string().max(300),
  z.string().max(300),
  uuidShape,
  uuidShape,
]);

const SCAN_ROWS = 20_000;
const MAX = 'ffffffff-ffff-ffff-ffff-ffffffffffff';

/** What a reason scans: its index columns (k1…k3) and the customer id, under the index's conditions. */
const SOURCES: Record<Reason, { keys: [string, string, string]; id: string; from: string }> = {
  phone: { keys: ['p.e164', "''", "''"], id: 'p.customer_id', from: 'customer_phones p WHERE p.tenant_id = $1' },
  name_address: {
    keys: ['c.postal_code', 'c.dupe_name', 'c.dupe_address'],
    id: 'c.id',
    // The partial index's WHERE (dupe_name, dupe_address: stored keys, see 0006).
    from: `customers c WHERE c.tenant_id = $1 AND c.postal_code IS NOT NULL AND c.dupe_name IS NOT NULL
             AND c.dupe_address IS NOT NULL AND c.merged_into IS NULL`,
  },
};

type Scan = { rows: PairRow[]; resume: After | null };

/**
 * The pairs after `after` (at most `need`), reading at most `scanRows` index entries. When the
 * read stopped early, `resume` is where the next read starts: the last key read, whose group may
 * have been cut (a group longer than the whole read is skipped: it is far above MAX_GROUP).
 */
async function scanPairs(
  tx: TenantTx,
  reason: Reason,
  after: After | null,
  need: number,
  scanRows: number,
): Promise<Scan> {
  const { keys, id, from } = SOURCES[reason];
  const real = keys.filter((k) => k !== "''");
  const skip = after?.a === MAX && after?.b === MAX;
  const rows = await tx.query<PairRow & { kind: number }>(
    `WITH scanned AS (
       SELECT ${keys[0]} AS k1, ${keys[1]} AS k2, ${keys[2]} AS k3, ${id} AS cid FROM ${from}
          AND (${real.join(', ')}) ${skip ? '>' : '>='} (${real.map((_, i) => `$${i + 2}`).join(', ')})
        ORDER BY ${real.join(', ')} LIMIT $8),
     edge AS (SELECT k1, k2, k3 FROM scanned ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 1),
     cut AS (SELECT count(*) = $8 AS yes FROM scanned),
     groups AS (
       SELECT s.k1, s.k2, s.k3 FROM scanned s
        WHERE NOT ((SELECT yes FROM cut) AND (s.k1, s.k2, s.k3) = (SELECT k1, k2, k3 FROM edge))
        GROUP BY 1, 2, 3 HAVING count(DISTINCT s.cid) BETWEEN 2 AND ${MAX_GROUP}
        ORDER BY 1, 2, 3 LIMIT $7),
     members AS (SELECT DISTINCT s.k1, s.k2, s.k3, s.cid FROM scanned s JOIN groups g USING (k1, k2, k3)),
     pairs AS (
       SELECT a.k1, a.k2, a.k3, a.cid AS a_id, b.cid AS b_id
         FROM members a JOIN members b ON (b.k1, b.k2, b.k3) = (a.k1, a.k2, a.k3) AND b.cid > a.cid
        WHERE (a.k1, a.k2, a.k3, a.cid, b.cid) > ($2, $3, $4, $5::uuid, $6::uuid)
        ORDER BY 1, 2, 3, 4, 5 LIMIT $7)
     SELECT 0 AS kind, k1, k2, k3, a_id, b_id FROM pairs
     UNION ALL
     SELECT 1, e.k1, e.k2, e.k3, NULL, NULL FROM edge e, cut WHERE cut.yes
     ORDER BY 1, 2, 3, 4, 5, 6`,
    [tx.tenantId, after?.k1 ?? '', after?.k2 ?? '', after?.k3 ?? '', after?.a ?? NIL, after?.b ?? NIL, need, scanRows],
  );
  const edge = rows.find((r) => r.kind === 1);
  let resume: After | null = null;
  if (edge) {
    // A read that never left its first key: that group is longer than the read, skip it whole.
    const stuck = edge.k1 === (after?.k1 ?? '') && edge.k2 === (after?.k2 ?? '') && edge.k3 === (after?.k3 ?? '');
    resume = { k1: edge.k1, k2: edge.k2, k3: edge.k3, a: stuck ? MAX : NIL, b: stuck ? MAX : NIL };
  }
  return { rows: rows.filter((r) => r.kind === 0), resume };
}

type SummaryRow = {
  id: string;
  code: string;
  name: string;
  name_kana: string | null;
  phones: string[];
  postal_code: string | null;
  prefecture: string | null;
  city: string | null;
  address1: string | null;
  created_at: Date;
};

/** The customers of a page, one statement. */
async function summaries(tx: TenantTx, ids: string[]): Promise<Map<string, Pair['customers'][number]>> {
  const rows = await tx.query<SummaryRow>(
    `SELECT c.id, c.code, c.name, c.name_kana, c.postal_code, c.prefecture, c.city, c.address1, c.created_at,
            coalesce((SELECT array_agg(p.number ORDER BY p.position) FROM customer_phones p
                       WHERE p.tenant_id = c.tenant_id AND p.customer_id = c.id), '{}') AS phones
       FROM customers c WHERE c.tenant_id = $1 AND c.id = ANY($2::uuid[])`,
    [tx.tenantId, ids],
  );
  return new Map(
    rows.map((r) => [
      r.id,
      {
        id: r.id,
        code: r.code,
        name: r.name,
        nameKana: r.name_kana,
        phones: r.phones,
        postalCode: r.postal_code,
        prefecture: r.prefecture,
        city: r.city,
        address1: r.address1,
        createdAt: r.created_at.toISOString(),
      },
    ]),
  );
}

export async function listDuplicates(
  db: Database,
  ctx: { tenantId: string },
  q: { reason?: Reason; limit: number; cursor?: string },
  scanRows = SCAN_ROWS,
): Promise<{ items: Pair[]; nextCursor: string | null }> {
  const cursor = decodeCursor(q.cursor, cursorShape);
  const from = cursor?.[0] ?? 0;
  const after: After | null = cursor
    ? { k1: cursor[1], k2: cursor[2], k3: cursor[3], a: cursor[4], b: cursor[5] }
    : null;
  return db.withTenant(ctx.tenantId, async (tx) => {
    const found: { reason: number; row: PairRow }[] = [];
    let resumeAt: unknown[] | null = null;
    for (const [i, reason] of REASONS.entries()) {
      if (i < from || (q.reason && q.reason !== reason)) continue;
      const need = q.limit + 1 - found.length;
      const scan = await scanPairs(tx, reason, i === from ? after : null, need, scanRows);
      found.push(...scan.rows.map((row) => ({ reason: i, row })));
      if (found.length > q.limit) break;
      if (scan.resume) {
        const r = scan.resume;
        resumeAt = [i, r.k1, r.k2, r.k3, r.a, r.b];
        break;
      }
    }
    const pageRows = found.slice(0, q.limit);
    const people = await summaries(
      tx,
      pageRows.flatMap(({ row }) => [row.a_id, row.b_id]),
    );
    const items: Pair[] = [];
    for (const { reason, row } of pageRows) {
      const a = people.get(row.a_id);
      const b = people.get(row.b_id);
      if (!a || !b) continue;
      const key = reason === 0 ? row.k1 : `${row.k1}|${row.k2}|${row.k3}`;
      items.push({ reason: REASONS[reason] as Reason, key, customers: [a, b] });
    }
    const last = pageRows[pageRows.length - 1];
    let nextCursor: string | null = resumeAt ? encodeCursor(resumeAt) : null;
    if (found.length > q.limit && last) {
      nextCursor = encodeCursor([last.reason, last.row.k1, last.row.k2, last.row.k3, last.row.a_id, last.row.b_id]);
    }
    return { items, nextCursor };
  });
}
