// 入金: payments recorded by hand or from statements, their cancellation (a reversal row, never a
// delete) and what an order or a customer stands at. Every write keeps orders.paid_amount in step
// in the same transaction (applyPayments) and adds an order_events row per order.
import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { tokyoDate } from '../../../shared/calendar.js';
import type { Database, TenantTx } from '../../db/database.js';
import { type Actor, audit } from '../../platform/audit/audit.js';
import { AppError } from '../../platform/errors.js';
import { decodeCursor, page } from '../../platform/http/pagination.js';
import type { CreatePaymentBody, ListPaymentsQuery, OrderMoney, Payment, PaymentStatus } from './payments.schema.js';

export type Ctx = { tenantId: string; actor: Actor; now: Date };
type Method = Payment['method'];

export const userOf = (actor: Actor) => (actor.type === 'user' ? actor.id : null);

// ---------------------------------------------------------------------------------------------
// What an order stands at.

export type OrderMoneyRow = {
  id: string;
  number: string;
  customer_id: string;
  status: string;
  total: number;
  paid_amount: number;
  refunded: number;
  order_date: string;
  payment_kind: string | null;
};

/** The SQL of an order's money; `o` is orders. */
export const ORDER_MONEY_COLUMNS = `o.id, o.number, o.customer_id, o.status, o.total, o.paid_amount,
  to_char(o.order_date, 'YYYY-MM-DD') AS order_date, o.payment_kind,
  coalesce((SELECT sum(r.refund_amount) FROM returns r WHERE r.tenant_id = o.tenant_id AND r.order_id = o.id), 0)::int AS refunded`;

export function paymentStatus(due: number, paid: number): PaymentStatus {
  if (paid > due) return 'over';
  if (paid === due) return 'paid';
  return paid <= 0 ? 'unpaid' : 'partial';
}

export function toOrderMoney(r: OrderMoneyRow): OrderMoney {
  const due = r.status === 'cancelled' ? 0 : Math.max(r.total - r.refunded, 0);
  const balance = due - r.paid_amount;
  return {
    orderId: r.id,
    orderNumber: Number(r.number),
    customerId: r.customer_id,
    orderStatus: r.status,
    total: r.total,
    refunded: r.refunded,
    due,
    paidAmount: r.paid_amount,
    balance,
    credit: Math.max(-balance, 0),
    status: paymentStatus(due, r.paid_amount),
  };
}

export async function readOrderMoney(tx: TenantTx, ids: string[], lock = false): Promise<Map<string, OrderMoneyRow>> {
  if (ids.length === 0) return new Map();
  const rows = await tx.query<OrderMoneyRow>(
    `SELECT ${ORDER_MONEY_COLUMNS} FROM orders o WHERE o.tenant_id = $1 AND o.id = ANY($2::uuid[])${lock ? ' FOR UPDATE' : ''}`,
    [tx.tenantId, [...new Set(ids)]],
  );
  return new Map(rows.map((r) => [r.id, r]));
}

// ---------------------------------------------------------------------------------------------
// Writing payments.

export type PaymentInput = {
  id?: string;
  kind: 'receipt' | 'refund' | 'reversal';
  orderId: string | null;
  customerId: string;
  /** Signed: receipts positive, refunds negative, a reversal the opposite of what it reverses. */
  amount: number;
  method: Method;
  paidOn: string;
  payerName?: string | null;
  payerKana?: string | null;
  reference?: string | null;
  note?: string | null;
  source: 'manual' | 'import' | 'queue';
  statementLineId?: string | null;
  reversesId?: string | null;
};

/**
 * Inserts payments in the caller's transaction: one statement for the rows, one for the orders'
 * paid_amount (summed per order), one for their order_events. Answers the ids, in input order.
 */
export async function applyPayments(tx: TenantTx, ctx: Ctx, inputs: PaymentInput[]): Promise<string[]> {
  if (inputs.length === 0) return [];
  const rows = inputs.map((i) => ({
    id: i.id ?? randomUUID(),
    kind: i.kind,
    order_id: i.orderId,
    customer_id: i.customerId,
    amount: i.amount,
    method: i.method,
    paid_on: i.paidOn,
    payer_name: i.payerName ?? null,
    payer_kana: i.payerKana ?? null,
    reference: i.reference ?? null,
    note: i.note ?? null,
    source: i.source,
    statement_line_id: i.statementLineId ?? null,
    reverses_id: i.reversesId ?? null,
  }));
  await tx.query(
    `INSERT INTO payments (tenant_id, id, kind, order_id, customer_id, amount, method, paid_on, payer_name, payer_kana,
       reference, note, source, statement_line_id, reverses_id, created_by, created_at)
     SELECT $1, r.id, r.kind, r.order_id, r.customer_id, r.amount, r.method, r.paid_on, r.payer_name, r.payer_kana,
       r.reference, r.note, r.source, r.statement_line_id, r.reverses_id, $3, $4
       FROM jsonb_to_recordset($2::jsonb) AS r(id uuid, kind text, order_id uuid, customer_id uuid, amount int, method text,
         paid_on date, payer_name text, payer_kana text, reference text, note text, source text, statement_line_id uuid,
         reverses_id uuid)`,
    [tx.tenantId, JSON.stringify(rows), userOf(ctx.actor), ctx.now],
  );
  const perOrder = new Map<string, { amount: number; payments: string[] }>();
  for (const r of rows) {
    if (!r.order_id) continue;
    const o = perOrder.get(r.order_id) ?? { amount: 0, payments: [] };
    o.amount += r.amount;
    o.payments.push(r.id);
    perOrder.set(r.order_id, o);
  }
  if (perOrder.size > 0) {
    const sums = [...perOrder].map(([id, o]) => ({ id, amount: o.amount, payments: o.payments }));
    await tx.query(
      `UPDATE orders o SET paid_amount = o.paid_amount + s.amount, updated_at = $3
         FROM jsonb_to_recordset($2::jsonb) AS s(id uuid, amount int)
        WHERE o.tenant_id = $1 AND o.id = s.id`,
      [tx.tenantId, JSON.stringify(sums), ctx.now],
    );
    await tx.query(
      `INSERT INTO order_events (tenant_id, order_id, at, user_id, kind, data)
       SELECT $1, s.id, $3, $4, 'payment', jsonb_build_object('amount', s.amount, 'payments', s.payments)
         FROM jsonb_to_recordset($2::jsonb) AS s(id uuid, amount int, payments jsonb)`,
      [tx.tenantId, JSON.stringify(sums), ctx.now, userOf(ctx.actor)],
    );
  }
  await audit(tx, ctx.actor, {
    action: 'payment.create',
    objectType: 'payment',
    objectId: rows.length === 1 ? (rows[0]?.id ?? null) : null,
    detail:
      rows.length === 1
        ? { kind: rows[0]?.kind, amount: rows[0]?.amount, orderId: rows[0]?.order_id }
        : { count: rows.length, amount: rows.reduce((s, r) => s + r.amount, 0) },
  });
  return rows.map((r) => r.id);
}

// ---------------------------------------------------------------------------------------------
// Reading.

type PaymentRow = {
  id: string;
  kind: Payment['kind'];
  order_id: string | null;
  order_number: string | null;
  customer_id: string;
  customer_name: string;
  amount: number;
  method: Method;
  paid_on: string;
  payer_name: string | null;
  payer_kana: string | null;
  reference: string | null;
  note: string | null;
  source: Payment['source'];
  statement_line_id: string | null;
  reverses_id: string | null;
  reversed_by_id: string | null;
  created_at: Date;
  created_key: string;
};

const PAYMENT_SELECT = `SELECT p.id, p.kind, p.order_id, o.number AS order_number, p.customer_id, c.name AS customer_name,
    p.amount, p.method, to_char(p.paid_on, 'YYYY-MM-DD') AS paid_on, p.payer_name, p.payer_kana, p.reference, p.note,
    p.source, p.statement_line_id, p.reverses_id,
    (SELECT v.id FROM payments v WHERE v.tenant_id = p.tenant_id AND v.reverses_id = p.id) AS reversed_by_id,
    p.created_at, to_char(p.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_key
  FROM payments p
  JOIN customers c ON c.tenant_id = p.tenant_id AND c.id = p.customer_id
  LEFT JOIN orders o ON o.tenant_id = p.tenant_id AND o.id = p.order_id`;

function toPayment(r: PaymentRow): Payment {
  return {
    id: r.id,
    kind: r.kind,
    orderId: r.order_id,
    orderNumber: r.order_number === null ? null : Number(r.order_number),
    customerId: r.customer_id,
    customerName: r.customer_name,
    amount: r.amount,
    method: r.method,
    paidOn: r.paid_on,
    payerName: r.payer_name,
    payerKana: r.payer_kana,
    reference: r.reference,
    note: r.note,
    source: r.source,
    statementLineId: r.statement_line_id,
    reversesId: r.reverses_id,
    reversedById: r.reversed_by_id,
    createdAt: r.created_at.toISOString(),
  };
}

async function readPayment(tx: TenantTx, id: string): Promise<Payment | null> {
  const [row] = await tx.query<PaymentRow>(`${PAYMENT_SELECT} WHERE p.tenant_id = $1 AND p.id = $2`, [tx.tenantId, id]);
  return row ? toPayment(row) : null;
}

export async function getPayment(db: Database, ctx: Pick<Ctx, 'tenantId'>, id: string): Promise<Payment> {
  const payment = await db.withTenant(ctx.tenantId, (tx) => readPayment(tx, id));
  if (!payment) throw AppError.notFound('object.payment');
  return payment;
}

const cursorShape = z.tuple([z.iso.date(), z.string().regex(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/), z.uuid()]);

export async function listPayments(db: Database, ctx: Pick<Ctx, 'tenantId'>, q: ListPaymentsQuery) {
  const after = decodeCursor(q.cursor, cursorShape);
  const values: unknown[] = [ctx.tenantId];
  const p = (v: unknown) => `$${values.push(v)}`;
  const where = ['p.tenant_id = $1'];
  if (q.orderId) where.push(`p.order_id = ${p(q.orderId)}`);
  if (q.customerId) where.push(`p.customer_id = ${p(q.customerId)}`);
  if (q.method) where.push(`p.method = ${p(q.method)}`);
  if (q.from) where.push(`p.paid_on >= ${p(q.from)}::date`);
  if (q.to) where.push(`p.paid_on <= ${p(q.to)}::date`);
  if (after)
    where.push(
      `(p.paid_on, p.created_at, p.id) < (${p(after[0])}::date, ${p(after[1])}::timestamptz, ${p(after[2])}::uuid)`,
    );
  const rows = await db.withTenant(ctx.tenantId, (tx) =>
    tx.query<PaymentRow>(
      `${PAYMENT_SELECT} WHERE ${where.join(' AND ')} ORDER BY p.paid_on DESC, p.created_at DESC, p.id DESC LIMIT ${p(q.limit + 1)}`,
      values,
    ),
  );
  return page(rows, q.limit, toPayment, (r) => [r.paid_on, r.created_key, r.id]);
}

// ---------------------------------------------------------------------------------------------
// POST /payments (Idempotency-Key), POST /payments/{id}/cancel.

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.keys(v as object)
        .sort()
        .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
    );
  return v;
}
const requestHash = (body: unknown) =>
  createHash('sha256')
    .update(JSON.stringify(canonical(body)))
    .digest('hex');

async function createPayment(tx: TenantTx, ctx: Ctx, body: CreatePaymentBody, id: string): Promise<void> {
  let customerId = body.customerId ?? null;
  if (body.orderId) {
    const [order] = await tx.query<{ customer_id: string }>(
      'SELECT customer_id FROM orders WHERE tenant_id = $1 AND id = $2 FOR UPDATE',
      [tx.tenantId, body.orderId],
    );
    if (!order) throw AppError.notFound('object.order');
    if (customerId && customerId !== order.customer_id)
      throw AppError.field(422, 'customer_mismatch', 'customerId', 'payments.customer_mismatch');
    customerId = order.customer_id;
  } else {
    const [customer] = await tx.query('SELECT 1 FROM customers WHERE tenant_id = $1 AND id = $2', [
      tx.tenantId,
      customerId,
    ]);
    if (!customer) throw AppError.notFound('object.customer');
  }
  await applyPayments(tx, ctx, [
    {
      id,
      kind: body.kind,
      orderId: body.orderId ?? null,
      customerId: customerId as string,
      amount: body.kind === 'refund' ? -body.amount : body.amount,
      method: body.method,
      paidOn: body.paidOn ?? tokyoDate(ctx.now),
      payerName: body.payerName ?? null,
      payerKana: body.payerKana ?? null,
      reference: body.reference ?? null,
      note: body.note ?? null,
      source: 'manual',
    },
  ]);
}

export async function recordPayment(
  db: Database,
  ctx: Ctx,
  body: CreatePaymentBody,
  key: string | undefined,
): Promise<{ payment: Payment; replayed: boolean }> {
  return db.withTenant(ctx.tenantId, async (tx) => {
    const id = randomUUID();
    if (key) {
      const hash = requestHash(body);
      const claimed = await tx.query(
        `INSERT INTO idempotency_keys (tenant_id, scope, key, request_hash, resource_id) VALUES ($1, 'payments', $2, $3, $4)
         ON CONFLICT DO NOTHING RETURNING key`,
        [tx.tenantId, key, hash, id],
      );
      if (claimed.length === 0) {
        const [first] = await tx.query<{ request_hash: string; resource_id: string }>(
          `SELECT request_hash, resource_id FROM idempotency_keys WHERE tenant_id = $1 AND scope = 'payments' AND key = $2`,
          [tx.tenantId, key],
        );
        const payment = first && first.request_hash === hash ? await readPayment(tx, first.resource_id) : null;
        if (!payment)
          throw AppError.field(409, 'idempotency_key_reused', 'Idempotency-Key', 'payments.idempotency_conflict');
        return { payment, replayed: true };
      }
    }
    await createPayment(tx, ctx, body, id);
    return { payment: (await readPayment(tx, id)) as Payment, replayed: false };
  });
}

/**
 * Cancels a receipt or refund by a reversal row (the opposite amount, same order); the original
 * stays. A payment that came from a statement line sends that line back to the queue.
 */
export async function cancelPayment(db: Database, ctx: Ctx, id: string, note?: string): Promise<Payment> {
  return db.withTenant(ctx.tenantId, async (tx) => {
    const [p] = await tx.query<{
      kind: string;
      order_id: string | null;
      customer_id: string;
      amount: number;
      method: Method;
      statement_line_id: string | null;
    }>(
      `SELECT kind, order_id, customer_id, amount, method, statement_line_id FROM payments
        WHERE tenant_id = $1 AND id = $2`,
      [tx.tenantId, id],
    );
    if (!p) throw AppError.notFound('object.payment');
    if (p.kind === 'reversal') throw new AppError(409, 'payment_is_reversal', 'payments.cannot_cancel_reversal');
    const [done] = await tx.query('SELECT 1 FROM payments WHERE tenant_id = $1 AND reverses_id = $2', [
      tx.tenantId,
      id,
    ]);
    if (done) throw new AppError(409, 'payment_already_cancelled', 'payments.already_cancelled');
    // A concurrent cancellation of the same payment meets the unique index on reverses_id.
    const [reversalId] = await applyPayments(tx, ctx, [
      {
        kind: 'reversal',
        orderId: p.order_id,
        customerId: p.customer_id,
        amount: -p.amount,
        method: p.method,
        paidOn: tokyoDate(ctx.now),
        note: note ?? null,
        source: 'manual',
        reversesId: id,
      },
    ]).catch((err: { code?: string }) => {
      if (err.code === '23505') throw new AppError(409, 'payment_already_cancelled', 'payments.already_cancelled');
      throw err;
    });
    if (p.statement_line_id) {
      await tx.query(
        `UPDATE statement_lines SET status = 'unmatched', payment_id = NULL, match_rule = NULL, queue_reason = 'no_candidate',
            resolved_by = NULL, resolved_at = NULL
          WHERE tenant_id = $1 AND id = $2`,
        [tx.tenantId, p.statement_line_id],
      );
    }
    await audit(tx, ctx.actor, {
      action: 'payment.cancel',
      objectType: 'payment',
      objectId: id,
      detail: { reversalId },
    });
    return (await readPayment(tx, id)) as Payment;
  });
}

// ---------------------------------------------------------------------------------------------
// An order's and a customer's standing.

export async function orderPayments(db: Database, ctx: Pick<Ctx, 'tenantId'>, orderId: string) {
  return db.withTenant(ctx.tenantId, async (tx) => {
    const money = (await readOrderMoney(tx, [orderId])).get(orderId);
    if (!money) throw AppError.notFound('object.order');
    const rows = await tx.query<PaymentRow>(
      `${PAYMENT_SELECT} WHERE p.tenant_id = $1 AND p.order_id = $2 ORDER BY p.created_at, p.id`,
      [tx.tenantId, orderId],
    );
    return { ...toOrderMoney(money), payments: rows.map(toPayment) };
  });
}

/**
 * A customer's standing: what their open orders still owe, and their credit — money not applied
 * to any order plus what orders were overpaid by.
 */
export async function customerBalance(db: Database, ctx: Pick<Ctx, 'tenantId'>, customerId: string) {
  return db.withTenant(ctx.tenantId, async (tx) => {
    const [customer] = await tx.query<{ name: string }>('SELECT name FROM customers WHERE tenant_id = $1 AND id = $2', [
      tx.tenantId,
      customerId,
    ]);
    if (!customer) throw AppError.notFound('object.customer');
    const [unapplied] = await tx.query<{ amount: number }>(
      `SELECT coalesce(sum(amount), 0)::int AS amount FROM payments
        WHERE tenant_id = $1 AND customer_id = $2 AND order_id IS NULL`,
      [tx.tenantId, customerId],
    );
    // Orders with money to settle either way: something owed, or paid beyond what is due.
    const rows = await tx.query<OrderMoneyRow>(
      `SELECT * FROM (SELECT ${ORDER_MONEY_COLUMNS} FROM orders o WHERE o.tenant_id = $1 AND o.customer_id = $2) m
        WHERE paid_amount <> CASE WHEN status = 'cancelled' THEN 0 ELSE greatest(total - refunded, 0) END
        ORDER BY order_date, number`,
      [tx.tenantId, customerId],
    );
    const orders = rows.map(toOrderMoney);
    const outstanding = orders.reduce((s, o) => s + Math.max(o.balance, 0), 0);
    const overpaid = orders.reduce((s, o) => s + o.credit, 0);
    return {
      customerId,
      customerName: customer.name,
      outstanding,
      unapplied: unapplied?.amount ?? 0,
      credit: (unapplied?.amount ?? 0) + overpaid,
      orders,
    };
  });
}
