// 未入金一覧 and 督促: bank-transfer and convenience-store orders still owing past their due date
// (order date + the payment method's due_days, 14 when the method sets none), and reminders for
// them — an e-mail through the mail queue or a letter (PDF with a Japanese font) — each recorded
// in the customer's AC履歴.
import { z } from 'zod';
import { tokyoDate } from '../../../shared/calendar.js';
import type { Database, TenantTx } from '../../db/database.js';
import { audit } from '../../platform/audit/audit.js';
import { AppError } from '../../platform/errors.js';
import { decodeCursor, page } from '../../platform/http/pagination.js';
import type { JobQueue } from '../../platform/jobs/queue.js';
import { getOrderSettings } from '../../platform/tenants/tenants.service.js';
import { recordActions } from '../interactions/actions.service.js';
import { newDoc, tableRow, toBuffer, yen } from '../shipping/shipping.pdf.js';
import { paymentReminderMailJob } from './payments.jobs.js';
import { type Ctx, userOf } from './payments.service.js';

export const DEFAULT_DUE_DAYS = 14;
const REMINDED_KINDS = ['bank_transfer', 'convenience'];

export const unpaidQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional(),
  /** Days past the due date at least (0: every overdue order). */
  olderThanDays: z.coerce.number().int().min(0).max(3650).default(0),
  customerId: z.uuid().optional(),
});

export const unpaidItemSchema = z.object({
  orderId: z.uuid(),
  orderNumber: z.number(),
  customerId: z.uuid(),
  customerCode: z.string(),
  customerName: z.string(),
  customerKana: z.string().nullable(),
  paymentKind: z.string(),
  orderDate: z.string(),
  dueDate: z.string(),
  daysOverdue: z.number(),
  total: z.number(),
  paidAmount: z.number(),
  balance: z.number(),
  reminders: z.number(),
  lastReminderAt: z.string().nullable(),
});
export type UnpaidItem = z.infer<typeof unpaidItemSchema>;

type UnpaidRow = {
  id: string;
  number: string;
  customer_id: string;
  customer_code: string;
  customer_name: string;
  customer_kana: string | null;
  payment_kind: string;
  order_date: string;
  due_date: string;
  days_overdue: number;
  total: number;
  paid_amount: number;
  refunded: number;
  reminders: number;
  last_reminder_at: Date | null;
};

const UNPAID_FROM = `
  FROM orders o
  JOIN customers c ON c.tenant_id = o.tenant_id AND c.id = o.customer_id
  LEFT JOIN payment_methods pm ON pm.tenant_id = o.tenant_id AND pm.id = o.payment_method_id
  CROSS JOIN LATERAL (SELECT coalesce(sum(r.refund_amount), 0)::int AS refunded FROM returns r
                       WHERE r.tenant_id = o.tenant_id AND r.order_id = o.id) rf
  CROSS JOIN LATERAL (SELECT count(*)::int AS reminders, max(pr.created_at) AS last_reminder_at FROM payment_reminders pr
                       WHERE pr.tenant_id = o.tenant_id AND pr.order_id = o.id) rm`;

const UNPAID_COLUMNS = `o.id, o.number, o.customer_id, c.code AS customer_code, c.name AS customer_name,
  c.name_kana AS customer_kana, o.payment_kind, to_char(o.order_date, 'YYYY-MM-DD') AS order_date,
  to_char(o.order_date + coalesce(pm.due_days, ${DEFAULT_DUE_DAYS}), 'YYYY-MM-DD') AS due_date,
  ($2::date - (o.order_date + coalesce(pm.due_days, ${DEFAULT_DUE_DAYS})))::int AS days_overdue,
  o.total, o.paid_amount, rf.refunded, rm.reminders, rm.last_reminder_at`;

const toUnpaid = (r: UnpaidRow): UnpaidItem => ({
  orderId: r.id,
  orderNumber: Number(r.number),
  customerId: r.customer_id,
  customerCode: r.customer_code,
  customerName: r.customer_name,
  customerKana: r.customer_kana,
  paymentKind: r.payment_kind,
  orderDate: r.order_date,
  dueDate: r.due_date,
  daysOverdue: r.days_overdue,
  total: r.total,
  paidAmount: r.paid_amount,
  balance: r.total - r.refunded - r.paid_amount,
  reminders: r.reminders,
  lastReminderAt: r.last_reminder_at?.toISOString() ?? null,
});

const cursorShape = z.tuple([z.iso.date(), z.uuid()]);

/** Oldest first, by order date (the partial index of open orders serves it). */
export async function listUnpaid(db: Database, ctx: Pick<Ctx, 'tenantId' | 'now'>, q: z.infer<typeof unpaidQuery>) {
  const after = decodeCursor(q.cursor, cursorShape);
  const rows = await db.withTenant(ctx.tenantId, (tx) =>
    tx.query<UnpaidRow>(
      `SELECT ${UNPAID_COLUMNS} ${UNPAID_FROM}
        WHERE o.tenant_id = $1 AND o.paid_amount < o.total AND o.status NOT IN ('cancelled', 'returned')
          AND o.payment_kind = ANY($3::text[])
          AND o.order_date + coalesce(pm.due_days, ${DEFAULT_DUE_DAYS}) + $4::int < $2::date
          AND o.total - rf.refunded > o.paid_amount
          AND ($5::uuid IS NULL OR o.customer_id = $5)
          AND ($6::date IS NULL OR (o.order_date, o.id) > ($6::date, $7::uuid))
        ORDER BY o.order_date, o.id LIMIT $8`,
      [
        ctx.tenantId,
        tokyoDate(ctx.now),
        REMINDED_KINDS,
        q.olderThanDays,
        q.customerId ?? null,
        after?.[0] ?? null,
        after?.[1] ?? null,
        q.limit + 1,
      ],
    ),
  );
  return page(rows, q.limit, toUnpaid, (r) => [r.order_date, r.id]);
}

// ---------------------------------------------------------------------------------------------
// Reminders.

export const remindersBody = z.strictObject({ orderIds: z.array(z.uuid()).min(1).max(500) });

type Target = UnpaidRow & {
  emails: string[];
  postal_code: string | null;
  prefecture: string | null;
  city: string | null;
  address1: string | null;
  address2: string | null;
};

/** The orders asked for, with what they owe; another tenant's or an unknown id is a 404. */
async function targets(tx: TenantTx, ctx: Ctx, orderIds: string[]): Promise<Target[]> {
  const ids = [...new Set(orderIds)];
  const rows = await tx.query<Target>(
    `SELECT ${UNPAID_COLUMNS}, c.emails, c.postal_code, c.prefecture, c.city, c.address1, c.address2 ${UNPAID_FROM}
      WHERE o.tenant_id = $1 AND o.id = ANY($3::uuid[]) ORDER BY o.order_date, o.number`,
    [tx.tenantId, tokyoDate(ctx.now), ids],
  );
  if (rows.length !== ids.length) throw AppError.notFound('object.order');
  return rows;
}

type Skipped = { orderId: string; reason: 'nothing_owed' | 'no_email' };

async function remember(tx: TenantTx, ctx: Ctx, list: Target[], channel: 'email' | 'letter') {
  const reminders = await tx.query<{ id: string; order_id: string }>(
    `INSERT INTO payment_reminders (tenant_id, order_id, customer_id, channel, balance, created_by, created_at)
     SELECT $1, r.order_id, r.customer_id, $3, r.balance, $4, $5
       FROM jsonb_to_recordset($2::jsonb) AS r(order_id uuid, customer_id uuid, balance int)
     RETURNING id, order_id`,
    [
      tx.tenantId,
      JSON.stringify(list.map((t) => ({ order_id: t.id, customer_id: t.customer_id, balance: toUnpaid(t).balance }))),
      channel,
      userOf(ctx.actor),
      ctx.now,
    ],
  );
  const byOrder = new Map(reminders.map((r) => [r.order_id, r.id]));
  await recordActions(
    tx,
    ctx.actor,
    list.map((t) => ({
      customerId: t.customer_id,
      kind: channel === 'email' ? 'other' : 'dm',
      at: ctx.now,
      note: `${channel === 'email' ? '入金督促メール' : '入金督促状'} 受注 #${t.number} 未入金 ${yen(toUnpaid(t).balance)}`,
      refType: 'payment_reminder',
      refId: byOrder.get(t.id) as string,
    })),
  );
  await audit(tx, ctx.actor, {
    action: `payment_reminder.${channel}`,
    objectType: 'payment_reminder',
    detail: { count: list.length },
  });
  return byOrder;
}

/** E-mails: one mail job per order, enqueued in the transaction that records the reminders. */
export async function sendReminderMails(db: Database, jobs: JobQueue | null, ctx: Ctx, orderIds: string[]) {
  return db.withTenant(ctx.tenantId, async (tx) => {
    const all = await targets(tx, ctx, orderIds);
    const skipped: Skipped[] = [];
    const list = all.filter((t) => {
      if (toUnpaid(t).balance <= 0) skipped.push({ orderId: t.id, reason: 'nothing_owed' });
      else if (t.emails.length === 0) skipped.push({ orderId: t.id, reason: 'no_email' });
      else return true;
      return false;
    });
    const byOrder = list.length > 0 ? await remember(tx, ctx, list, 'email') : new Map<string, string>();
    for (const reminderId of byOrder.values())
      await jobs?.send(paymentReminderMailJob, { tenantId: ctx.tenantId, reminderId }, { tx });
    return { sent: [...byOrder].map(([orderId, reminderId]) => ({ orderId, reminderId })), skipped };
  });
}

/** Letters: one A4 page per order owing something, in one PDF. */
export async function reminderLetters(db: Database, ctx: Ctx, orderIds: string[]): Promise<Buffer> {
  const { list, settings, tenant } = await db.withTenant(ctx.tenantId, async (tx) => {
    const list = (await targets(tx, ctx, orderIds)).filter((t) => toUnpaid(t).balance > 0);
    if (list.length === 0) throw AppError.field(422, 'nothing_owed', 'orderIds', 'payments.nothing_owed');
    await remember(tx, ctx, list, 'letter');
    const [tenant] = await tx.query<{ name: string }>('SELECT name FROM tenants WHERE id = $1', [tx.tenantId]);
    return { list, settings: await getOrderSettings(tx), tenant: tenant?.name ?? '' };
  });
  const doc = newDoc({ title: '入金のお願い' });
  const today = tokyoDate(ctx.now);
  const issuer = settings.invoice.issuerName || tenant;
  for (const t of list) {
    const u = toUnpaid(t);
    doc.addPage();
    const left = doc.page.margins.left;
    const width = doc.page.width - left - doc.page.margins.right;
    doc.font('jp').fontSize(10).text(today.replaceAll('-', '/'), left, 40, { width, align: 'right' });
    doc.fontSize(10).text(t.postal_code ? `〒${t.postal_code}` : '', left, 70);
    doc.text(`${t.prefecture ?? ''}${t.city ?? ''}${t.address1 ?? ''}`, left, 86);
    if (t.address2) doc.text(t.address2, left, 102);
    doc.font('jp-bold').fontSize(13).text(`${t.customer_name} 様`, left, 124);
    doc.font('jp').fontSize(9).text(`お客様番号 ${t.customer_code}`, left, 144);
    doc
      .fontSize(9)
      .text(
        [issuer, settings.invoice.issuerAddress, settings.invoice.issuerPhone].filter(Boolean).join('\n'),
        left,
        70,
        {
          width,
          align: 'right',
        },
      );
    doc.font('jp-bold').fontSize(18).text('ご入金のお願い', left, 190, { width, align: 'center' });
    doc
      .font('jp')
      .fontSize(10.5)
      .text(
        '拝啓 平素は格別のお引き立てを賜り、厚く御礼申し上げます。\n' +
          '下記ご注文の代金につきまして、お支払期限を過ぎてもご入金の確認ができておりません。' +
          'お手数ですが、お早めにお振込みくださいますようお願い申し上げます。\n' +
          'なお、本状と行き違いにご入金いただいた場合は、悪しからずご容赦ください。　敬具',
        left,
        230,
        { width, lineGap: 3 },
      );
    const cols = [
      { title: 'ご注文番号', width: width * 0.16 },
      { title: 'ご注文日', width: width * 0.16 },
      { title: 'お支払期限', width: width * 0.16 },
      { title: 'ご請求額', width: width * 0.17, align: 'right' as const },
      { title: 'ご入金済', width: width * 0.17, align: 'right' as const },
      { title: 'お支払残高', width: width * 0.18, align: 'right' as const },
    ];
    let y = 330;
    y = tableRow(
      doc,
      cols,
      cols.map((c) => c.title),
      y,
      { bold: true, size: 9.5 },
    );
    y = tableRow(
      doc,
      cols,
      [
        String(u.orderNumber),
        u.orderDate.replaceAll('-', '/'),
        u.dueDate.replaceAll('-', '/'),
        yen(u.total - t.refunded),
        yen(u.paidAmount),
        yen(u.balance),
      ],
      y,
      { size: 9.5 },
    );
    doc
      .font('jp-bold')
      .fontSize(12)
      .text(`お支払残高　${yen(u.balance)}`, left, y + 24, { width, align: 'right' });
  }
  return toBuffer(doc);
}
