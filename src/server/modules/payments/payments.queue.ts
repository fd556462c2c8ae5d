// The matching queue: statement lines no rule could place. A person matches one to an order (or
// to a customer, as a credit), or dismisses it (not a customer payment: interest, a transfer
// between own accounts …).
import { z } from 'zod';
import type { Database, TenantTx } from '../../db/database.js';
import { audit } from '../../platform/audit/audit.js';
import { AppError } from '../../platform/errors.js';
import { decodeCursor, page } from '../../platform/http/pagination.js';
import { applyPayments, type Ctx, userOf } from './payments.service.js';

export const statementLineSchema = z.object({
  id: z.uuid(),
  importId: z.uuid(),
  row: z.number(),
  kind: z.enum(['zengin', 'bank_csv', 'cod', 'deferred']),
  paidOn: z.string(),
  amount: z.number(),
  payerName: z.string().nullable(),
  reference: z.string().nullable(),
  trackingNumber: z.string().nullable(),
  orderNumber: z.number().nullable(),
  status: z.enum(['unmatched', 'matched', 'dismissed']),
  matchRule: z.string().nullable(),
  queueReason: z.string().nullable(),
  candidates: z.array(
    z.object({
      orderId: z.uuid(),
      number: z.number(),
      customerId: z.uuid(),
      customerName: z.string(),
      balance: z.number(),
    }),
  ),
  paymentId: z.uuid().nullable(),
  dismissNote: z.string().nullable(),
  createdAt: z.string(),
});
export type StatementLineItem = z.infer<typeof statementLineSchema>;

export const queueQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional(),
  status: z.enum(['unmatched', 'matched', 'dismissed']).default('unmatched'),
});

export const matchBody = z
  .strictObject({
    orderId: z.uuid().optional(),
    customerId: z.uuid().optional(),
    note: z.string().trim().max(1000).optional(),
  })
  .refine((b) => (b.orderId === undefined) !== (b.customerId === undefined), {
    path: ['orderId'],
    message: 'orderId or customerId',
  });
export const dismissBody = z.strictObject({ note: z.string().trim().max(500).optional() });

type LineRow = {
  id: string;
  import_id: string;
  row_no: number;
  kind: StatementLineItem['kind'];
  paid_on: string;
  amount: number;
  payer_name: string | null;
  reference: string | null;
  tracking_number: string | null;
  order_number: string | null;
  status: StatementLineItem['status'];
  match_rule: string | null;
  queue_reason: string | null;
  candidates: StatementLineItem['candidates'];
  payment_id: string | null;
  dismiss_note: string | null;
  created_at: Date;
};

const LINE_SELECT = `SELECT id, import_id, row_no, kind, to_char(paid_on, 'YYYY-MM-DD') AS paid_on, amount, payer_name, reference,
  tracking_number, order_number, status, match_rule, queue_reason, candidates, payment_id, dismiss_note, created_at
  FROM statement_lines`;

const toItem = (r: LineRow): StatementLineItem => ({
  id: r.id,
  importId: r.import_id,
  row: r.row_no,
  kind: r.kind,
  paidOn: r.paid_on,
  amount: r.amount,
  payerName: r.payer_name,
  reference: r.reference,
  trackingNumber: r.tracking_number,
  orderNumber: r.order_number === null ? null : Number(r.order_number),
  status: r.status,
  matchRule: r.match_rule,
  queueReason: r.queue_reason,
  candidates: r.candidates,
  paymentId: r.payment_id,
  dismissNote: r.dismiss_note,
  createdAt: r.created_at.toISOString(),
});

const cursorShape = z.tuple([z.iso.date(), z.uuid()]);

export async function listQueue(db: Database, ctx: Pick<Ctx, 'tenantId'>, q: z.infer<typeof queueQuery>) {
  const after = decodeCursor(q.cursor, cursorShape);
  const rows = await db.withTenant(ctx.tenantId, (tx) =>
    tx.query<LineRow>(
      `${LINE_SELECT} WHERE tenant_id = $1 AND status = $2 AND ($3::date IS NULL OR (paid_on, id) > ($3::date, $4::uuid))
        ORDER BY paid_on, id LIMIT $5`,
      [ctx.tenantId, q.status, after?.[0] ?? null, after?.[1] ?? null, q.limit + 1],
    ),
  );
  return page(rows, q.limit, toItem, (r) => [r.paid_on, r.id]);
}

async function lockLine(tx: TenantTx, id: string): Promise<LineRow> {
  const [line] = await tx.query<LineRow>(`${LINE_SELECT} WHERE tenant_id = $1 AND id = $2 FOR UPDATE`, [
    tx.tenantId,
    id,
  ]);
  if (!line) throw AppError.notFound('object.statement_line');
  if (line.status !== 'unmatched') throw new AppError(409, 'statement_line_resolved', 'payments.line_resolved');
  return line;
}

export async function getLine(db: Database, ctx: Pick<Ctx, 'tenantId'>, id: string): Promise<StatementLineItem> {
  const [line] = await db.withTenant(ctx.tenantId, (tx) =>
    tx.query<LineRow>(`${LINE_SELECT} WHERE tenant_id = $1 AND id = $2`, [tx.tenantId, id]),
  );
  if (!line) throw AppError.notFound('object.statement_line');
  return toItem(line);
}

const METHOD = { zengin: 'bank_transfer', bank_csv: 'bank_transfer', cod: 'cod', deferred: 'deferred' } as const;

export async function matchLine(db: Database, ctx: Ctx, id: string, body: z.infer<typeof matchBody>) {
  await db.withTenant(ctx.tenantId, async (tx) => {
    const line = await lockLine(tx, id);
    let customerId = body.customerId ?? null;
    if (body.orderId) {
      const [order] = await tx.query<{ customer_id: string }>(
        'SELECT customer_id FROM orders WHERE tenant_id = $1 AND id = $2 FOR UPDATE',
        [tx.tenantId, body.orderId],
      );
      if (!order) throw AppError.notFound('object.order');
      customerId = order.customer_id;
    } else {
      const [c] = await tx.query('SELECT 1 FROM customers WHERE tenant_id = $1 AND id = $2', [tx.tenantId, customerId]);
      if (!c) throw AppError.notFound('object.customer');
    }
    const [paymentId] = await applyPayments(tx, ctx, [
      {
        kind: 'receipt',
        orderId: body.orderId ?? null,
        customerId: customerId as string,
        amount: line.amount,
        method: METHOD[line.kind],
        paidOn: line.paid_on,
        payerName: line.payer_name,
        reference: line.reference ?? line.tracking_number,
        note: body.note ?? null,
        source: 'queue',
        statementLineId: id,
      },
    ]);
    await tx.query(
      `UPDATE statement_lines SET status = 'matched', payment_id = $3, match_rule = 'manual', resolved_by = $4, resolved_at = $5
        WHERE tenant_id = $1 AND id = $2`,
      [tx.tenantId, id, paymentId, userOf(ctx.actor), ctx.now],
    );
  });
  return getLine(db, ctx, id);
}

export async function dismissLine(db: Database, ctx: Ctx, id: string, note?: string) {
  await db.withTenant(ctx.tenantId, async (tx) => {
    await lockLine(tx, id);
    await tx.query(
      `UPDATE statement_lines SET status = 'dismissed', dismiss_note = $3, resolved_by = $4, resolved_at = $5
        WHERE tenant_id = $1 AND id = $2`,
      [tx.tenantId, id, note ?? null, userOf(ctx.actor), ctx.now],
    );
    await audit(tx, ctx.actor, { action: 'statement_line.dismiss', objectType: 'statement_line', objectId: id });
  });
  return getLine(db, ctx, id);
}
