// Statement imports: parse (全銀 or CSV), check every line, match, and write it all in one
// transaction — or, with any bad line, nothing (422 listing them all). A dry run answers the same
// plan without writing. Lines already imported (same hash) are counted as duplicates and skipped.
import { createHash, randomUUID } from 'node:crypto';
import { tokyoDate } from '../../../shared/calendar.js';
import type { Database } from '../../db/database.js';
import { audit } from '../../platform/audit/audit.js';
import { type Candidate, type Decision, Matcher, type MatchLine } from './payments.match.js';
import type { ImportKind, Payment } from './payments.schema.js';
import { applyPayments, type Ctx, userOf } from './payments.service.js';
import { type ColumnConfig, parseTabular } from './payments.tabular.js';
import { parseZengin, type StatementError } from './payments.zengin.js';

export type ImportLine = MatchLine & { row: number; paidOn: string; hash: string };

export type Parsed = { lines: ImportLine[]; errors: StatementError[]; records: number; skipped: number };

export function parseStatement(body: Buffer, kind: ImportKind, config: ColumnConfig, now: Date): Parsed {
  if (kind === 'zengin') {
    const z = parseZengin(body, tokyoDate(now));
    return {
      lines: z.lines.map((l) => ({ ...l, kind, tracking: null, orderNumber: null })),
      errors: z.errors,
      records: z.records,
      skipped: z.withdrawals,
    };
  }
  const t = parseTabular(body, kind, config);
  return { lines: t.lines.map((l) => ({ ...l, kind })), errors: t.errors, records: t.records, skipped: t.skipped };
}

export type PlanItem = {
  row: number;
  paidOn: string;
  amount: number;
  payerName: string;
  outcome: 'matched' | 'queued' | 'duplicate';
  rule: string | null;
  orderId: string | null;
  orderNumber: number | null;
  queueReason: string | null;
  candidates: Candidate[];
};

export type ImportResult = {
  importId: string | null;
  lines: number;
  imported: number;
  duplicates: number;
  matched: number;
  queued: number;
  skipped: number;
  amount: number;
  items: PlanItem[];
};

const METHOD: Record<ImportKind, Payment['method']> = {
  zengin: 'bank_transfer',
  bank_csv: 'bank_transfer',
  cod: 'cod',
  deferred: 'deferred',
};

/** Plans (dryRun) or imports the parsed lines; the caller has refused files with errors. */
export async function importStatement(
  db: Database,
  ctx: Ctx,
  kind: ImportKind,
  body: Buffer,
  parsed: Parsed,
  dryRun: boolean,
): Promise<ImportResult> {
  return db.withTenant(ctx.tenantId, async (tx) => {
    const importId = dryRun ? null : randomUUID();
    let fresh: (ImportLine & { id: string })[];
    if (dryRun) {
      const seen = await tx.query<{ line_hash: string }>(
        'SELECT line_hash FROM statement_lines WHERE tenant_id = $1 AND line_hash = ANY($2::text[])',
        [tx.tenantId, parsed.lines.map((l) => l.hash)],
      );
      const old = new Set(seen.map((s) => s.line_hash));
      fresh = parsed.lines.filter((l) => !old.has(l.hash)).map((l) => ({ ...l, id: '' }));
    } else {
      await tx.query(
        `INSERT INTO payment_imports (tenant_id, id, kind, file_hash, rows, imported, duplicates, matched, queued, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, 0, 0, 0, 0, $6, $7)`,
        [
          tx.tenantId,
          importId,
          kind,
          createHash('sha256').update(body).digest('hex'),
          parsed.lines.length,
          userOf(ctx.actor),
          ctx.now,
        ],
      );
      // The unique hash decides which lines are new, also against a concurrent import of the file.
      const inserted = await tx.query<{ id: string; line_hash: string }>(
        `INSERT INTO statement_lines (tenant_id, import_id, line_hash, row_no, kind, paid_on, amount, payer_name, reference,
           tracking_number, order_number, status, created_at)
         SELECT $1, $2, r.hash, r.row, $3, r.paid_on, r.amount, r.payer_name, r.reference, r.tracking, r.order_number,
           'unmatched', $5
           FROM jsonb_to_recordset($4::jsonb) AS r(hash text, row int, paid_on date, amount int, payer_name text,
             reference text, tracking text, order_number bigint)
         ON CONFLICT (tenant_id, line_hash) DO NOTHING
         RETURNING id, line_hash`,
        [
          tx.tenantId,
          importId,
          kind,
          JSON.stringify(
            parsed.lines.map((l) => ({
              hash: l.hash,
              row: l.row,
              paid_on: l.paidOn,
              amount: l.amount,
              payer_name: l.payerName.slice(0, 100) || null,
              reference: l.reference.slice(0, 200) || null,
              tracking: l.tracking,
              order_number: l.orderNumber,
            })),
          ),
          ctx.now,
        ],
      );
      const ids = new Map(inserted.map((r) => [r.line_hash, r.id]));
      fresh = parsed.lines.filter((l) => ids.has(l.hash)).map((l) => ({ ...l, id: ids.get(l.hash) as string }));
    }

    const matcher = await Matcher.load(tx, fresh);
    const decisions: Decision[] = [];
    for (const l of fresh) decisions.push(matcher.decide(l));
    for (const [i, l] of fresh.entries()) {
      const d = decisions[i] as Decision;
      if (d.outcome === 'queued' && d.candidates.length === 0 && (l.kind === 'zengin' || l.kind === 'bank_csv'))
        decisions[i] = { ...d, candidates: await matcher.suggest(l) };
    }

    const byHash = new Map(fresh.map((l, i) => [l.hash, decisions[i] as Decision]));
    const items: PlanItem[] = parsed.lines.map((l) => {
      const d = byHash.get(l.hash);
      const base = { row: l.row, paidOn: l.paidOn, amount: l.amount, payerName: l.payerName };
      if (!d)
        return {
          ...base,
          outcome: 'duplicate',
          rule: null,
          orderId: null,
          orderNumber: null,
          queueReason: null,
          candidates: [],
        };
      if (d.outcome === 'matched')
        return {
          ...base,
          outcome: 'matched',
          rule: d.rule,
          orderId: d.order.orderId,
          orderNumber: d.order.number,
          queueReason: null,
          candidates: [],
        };
      return {
        ...base,
        outcome: 'queued',
        rule: null,
        orderId: null,
        orderNumber: null,
        queueReason: d.reason,
        candidates: d.candidates,
      };
    });
    const matched = decisions.filter((d) => d.outcome === 'matched').length;
    const result: ImportResult = {
      importId,
      lines: parsed.lines.length,
      imported: dryRun ? 0 : fresh.length,
      duplicates: parsed.lines.length - fresh.length,
      matched,
      queued: fresh.length - matched,
      skipped: parsed.skipped,
      amount: fresh.reduce((s, l) => s + l.amount, 0),
      items,
    };
    if (dryRun) return result;

    const paymentIds = new Map<string, string>();
    const payments = fresh.flatMap((l, i) => {
      const d = decisions[i] as Decision;
      if (d.outcome !== 'matched') return [];
      const id = randomUUID();
      paymentIds.set(l.id, id);
      return [
        {
          id,
          kind: 'receipt' as const,
          orderId: d.order.orderId,
          customerId: d.order.customerId,
          amount: l.amount,
          method: METHOD[kind],
          paidOn: l.paidOn,
          payerName: l.payerName.slice(0, 100) || null,
          reference: (l.reference || l.tracking || '').slice(0, 200) || null,
          source: 'import' as const,
          statementLineId: l.id,
        },
      ];
    });
    await applyPayments(tx, ctx, payments);
    await tx.query(
      `UPDATE statement_lines s
          SET status = u.status, payment_id = u.payment_id, match_rule = u.rule, queue_reason = u.reason,
              candidates = u.candidates, resolved_at = CASE WHEN u.status = 'matched' THEN $3::timestamptz END
         FROM jsonb_to_recordset($2::jsonb) AS u(id uuid, status text, payment_id uuid, rule text, reason text, candidates jsonb)
        WHERE s.tenant_id = $1 AND s.id = u.id`,
      [
        tx.tenantId,
        JSON.stringify(
          fresh.map((l, i) => {
            const d = decisions[i] as Decision;
            return d.outcome === 'matched'
              ? {
                  id: l.id,
                  status: 'matched',
                  payment_id: paymentIds.get(l.id),
                  rule: d.rule,
                  reason: null,
                  candidates: [],
                }
              : {
                  id: l.id,
                  status: 'unmatched',
                  payment_id: null,
                  rule: null,
                  reason: d.reason,
                  candidates: d.candidates,
                };
          }),
        ),
        ctx.now,
      ],
    );
    await tx.query(
      `UPDATE payment_imports SET imported = $3, duplicates = $4, matched = $5, queued = $6, amount = $7
        WHERE tenant_id = $1 AND id = $2`,
      [tx.tenantId, importId, result.imported, result.duplicates, result.matched, result.queued, result.amount],
    );
    await audit(tx, ctx.actor, {
      action: 'payment_import.create',
      objectType: 'payment_import',
      objectId: importId,
      detail: { kind, lines: result.lines, imported: result.imported, matched, queued: result.queued },
    });
    return result;
  });
}
