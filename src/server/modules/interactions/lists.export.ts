// CSV exports of the daily lists for Excel (Shift_JIS or UTF-8 with BOM, formula cells defused),
// streamed in keyset batches: memory stays flat and other requests run between batches.
import type { Readable } from 'node:stream';
import type { Database } from '../../db/database.js';
import { type Actor, audit } from '../../platform/audit/audit.js';
import { type CsvEncoding, csvStream } from '../../platform/files/csv.js';
import { CHANNEL_LABELS, type InteractionRow, STATUS_LABELS } from './interactions.schema.js';
import { dayRange, dayRows, type NeglectedRow, neglectedPlan, neglectedRows, toNeglected } from './lists.service.js';

type Ctx = { tenantId: string; actor: Actor; now: Date };
const BATCH = 1000;

const TOKYO = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Asia/Tokyo',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});
const jst = (d: Date | null) => (d ? TOKYO.format(d).replaceAll('-', '/') : '');

export const TODAY_HEADER = [
  '対応日時',
  '顧客コード',
  '顧客名',
  '区分',
  '種別',
  '対応者',
  '件名',
  '内容',
  '状況',
  '担当者',
  '期限',
];

function todayRow(r: InteractionRow): unknown[] {
  return [
    jst(r.at),
    r.customer_code,
    r.customer_name,
    r.kind_name,
    CHANNEL_LABELS[r.channel],
    r.staff_name,
    r.subject,
    r.body,
    STATUS_LABELS[r.status],
    r.assignee_name,
    jst(r.due_at),
  ];
}

export const NEGLECTED_HEADER = [
  '顧客コード',
  '顧客名',
  'フリガナ',
  '電話番号',
  '都道府県',
  '市区町村',
  '担当者',
  '最終対応日',
  '最終アクション日',
  '最終受注日',
  '最終接触日',
  '最終接触内容',
  '放置日数',
  '登録日',
];

function neglectedRow(r: NeglectedRow, today: string): unknown[] {
  const n = toNeglected(r, today);
  return [
    n.code,
    n.name,
    n.nameKana,
    n.phone,
    n.prefecture,
    n.city,
    n.staffName,
    jst(r.last_interaction_at),
    jst(r.last_action_at),
    jst(r.last_purchase_at),
    jst(r.last_contact_at),
    n.lastContactLabel,
    n.days,
    jst(r.registered_at),
  ];
}

/** Runs `batch` until a batch answers no more than BATCH rows, yielding each row's cells. */
async function* batches<R>(
  fetch: (after: [string, string] | null) => Promise<R[]>,
  keyOf: (r: R) => [string, string],
  cells: (r: R) => unknown[],
): AsyncGenerator<unknown[]> {
  let after: [string, string] | null = null;
  for (;;) {
    const rows: R[] = await fetch(after);
    const slice = rows.slice(0, BATCH);
    for (const r of slice) yield cells(r);
    const last = slice[slice.length - 1];
    if (rows.length <= BATCH || !last) return;
    after = keyOf(last);
  }
}

export async function exportToday(
  db: Database,
  ctx: Ctx,
  q: { date?: string; staffId?: string; encoding: CsvEncoding },
): Promise<{ stream: Readable; date: string }> {
  const range = dayRange(ctx.now, q.date);
  await db.withTenant(ctx.tenantId, (tx) =>
    audit(tx, ctx.actor, {
      action: 'interaction.export_day',
      objectType: 'interaction',
      detail: { date: range.date, staffId: q.staffId ?? null, encoding: q.encoding },
    }),
  );
  const rows = batches(
    (after) => db.withTenant(ctx.tenantId, (tx) => dayRows(tx, range, q.staffId, after, BATCH)),
    (r) => [r.at_key, r.id],
    todayRow,
  );
  return { stream: csvStream(TODAY_HEADER, rows, q.encoding), date: range.date };
}

export async function exportNeglected(
  db: Database,
  ctx: Ctx,
  q: { days?: number; encoding: CsvEncoding },
): Promise<{ stream: Readable; today: string }> {
  const plan = await db.withTenant(ctx.tenantId, async (tx) => {
    const planned = await neglectedPlan(tx, ctx.now, q.days);
    await audit(tx, ctx.actor, {
      action: 'customer.export_neglected',
      objectType: 'customer',
      detail: { days: planned.days, encoding: q.encoding },
    });
    return planned;
  });
  const rows = batches(
    (after) => db.withTenant(ctx.tenantId, (tx) => neglectedRows(tx, plan.cutoff, after, BATCH)),
    (r) => [r.touch_key, r.customer_id],
    (r) => neglectedRow(r, plan.today),
  );
  return { stream: csvStream(NEGLECTED_HEADER, rows, q.encoding), today: plan.today };
}
