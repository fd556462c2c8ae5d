// The inquiry report (seed 001: サポート履歴の整理と分析 → FAQ更新, 週次・月次対応報告): interactions
// per kind and FAQ uses per category, per week (Monday first) or month of their Asia/Tokyo date,
// aggregated in SQL.
import { z } from 'zod';
import { tokyoDate } from '../../../shared/calendar.js';
import type { Database } from '../../db/database.js';
import { interactionKindCounts } from '../interactions/interactions.service.js';
import { fieldError } from './faq.service.js';

const date = z.iso.date();
export const inquiryReportQuery = z.object({
  period: z.enum(['week', 'month']).default('week'),
  /** First day (Asia/Tokyo), inclusive; by default 12 weeks or 12 months before `to`. */
  from: date.optional(),
  /** Last day, inclusive; by default today. */
  to: date.optional(),
});
export type InquiryReportQuery = z.infer<typeof inquiryReportQuery>;

const countRow = z.object({ periodStart: z.string(), id: z.uuid().nullable(), name: z.string(), count: z.number() });
const totalRow = countRow.omit({ periodStart: true });

export const inquiryReportSchema = z.object({
  period: z.enum(['week', 'month']),
  from: z.string(),
  to: z.string(),
  /** Interactions (対応履歴) per kind and period, periods in order, the biggest first within one. */
  kinds: z.array(countRow),
  /** FAQ uses per category and period (`id` null: uncategorised, 未分類). */
  categories: z.array(countRow),
  totals: z.object({ kinds: z.array(totalRow), categories: z.array(totalRow) }),
});
export type InquiryReport = z.infer<typeof inquiryReportSchema>;

const MAX_DAYS = 3 * 366;
const UNCATEGORISED = '未分類';

function addDays(d: string, days: number): string {
  return new Date(Date.parse(`${d}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** The report's days: defaults filled, `from` ≤ `to`, at most three years (400 otherwise). */
export function reportRange(q: InquiryReportQuery, now: Date): { from: string; to: string } {
  const to = q.to ?? tokyoDate(now);
  const from = q.from ?? addDays(to, q.period === 'week' ? -(12 * 7 - 1) : -365);
  if (from > to) throw fieldError('from', 'after_to', 'faq.report_range');
  if ((Date.parse(to) - Date.parse(from)) / 86_400_000 > MAX_DAYS)
    throw fieldError('to', 'too_long', 'faq.report_range');
  return { from, to };
}

function totals(rows: z.infer<typeof countRow>[]) {
  const byId = new Map<string, z.infer<typeof totalRow>>();
  for (const r of rows) {
    const key = r.id ?? '';
    const t = byId.get(key) ?? { id: r.id, name: r.name, count: 0 };
    t.count += r.count;
    byId.set(key, t);
  }
  return [...byId.values()].sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
}

export async function inquiryReport(
  db: Database,
  ctx: { tenantId: string; now: Date },
  q: InquiryReportQuery,
): Promise<InquiryReport> {
  const { from, to } = reportRange(q, ctx.now);
  return db.withTenant(ctx.tenantId, async (tx) => {
    const kinds = (await interactionKindCounts(tx, { from, to, interval: q.period })).map((k) => ({
      periodStart: k.periodStart,
      id: k.kindId,
      name: k.kindName,
      count: k.count,
    }));
    const categories = await tx.query<{ period_start: string; id: string | null; name: string | null; count: number }>(
      `SELECT date_trunc($4, u.at AT TIME ZONE 'Asia/Tokyo')::date::text AS period_start, u.category_id AS id,
              c.name, count(*)::int AS count
         FROM faq_uses u LEFT JOIN faq_categories c ON c.tenant_id = u.tenant_id AND c.id = u.category_id
        WHERE u.tenant_id = $1 AND u.at >= $2::date::timestamp AT TIME ZONE 'Asia/Tokyo'
          AND u.at < ($3::date + 1)::timestamp AT TIME ZONE 'Asia/Tokyo'
        GROUP BY 1, u.category_id, c.name
        ORDER BY 1, count DESC, c.name NULLS LAST`,
      [tx.tenantId, from, to, q.period],
    );
    const categoryRows = categories.map((r) => ({
      periodStart: r.period_start,
      id: r.id,
      name: r.name ?? UNCATEGORISED,
      count: r.count,
    }));
    return {
      period: q.period,
      from,
      to,
      kinds,
      categories: categoryRows,
      totals: { kinds: totals(kinds), categories: totals(categoryRows) },
    };
  });
}
