// 返品入力: goods coming back from a shipped order, in one transaction — the lines' returned
// quantities (never more than shipped − returned), stock put back for tracked products, the
// refund (the returned goods at the order's own prices and tax, editable down) which lowers what
// the order is due (payments module), the customer's purchase statistics (ranks), the order's
// status `returned` once everything is back, an exchange order when asked, and a 対応履歴 entry.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { tokyoDate } from '../../../shared/calendar.js';
import { type Rounding, type TaxRate, taxOf } from '../../../shared/money/order-totals.js';
import type { Database, TenantTx } from '../../db/database.js';
import { type Actor, audit } from '../../platform/audit/audit.js';
import { AppError } from '../../platform/errors.js';
import { decodeCursor, page } from '../../platform/http/pagination.js';
import type { MessageKey, MessageParams } from '../../platform/i18n/messages.js';
import { recordSystemInteraction } from '../interactions/system-entry.js';
import { createOrder } from '../orders/orders.service.js';
import { recordPurchase, reversePurchase } from '../ranks/ranks.stats.js';
import type { CreateReturnBody, ListReturnsQuery, Return } from './returns.schema.js';

type Ctx = { tenantId: string; actor: Actor; now: Date };

type OrderRow = {
  id: string;
  number: string;
  customer_id: string;
  status: string;
  price_mode: 'included' | 'excluded';
  rounding: Rounding;
  total: number;
  ordered_at: Date;
  payment_method_id: string | null;
  address_id: string | null;
  refunded: number;
};
type LineRow = {
  line_no: number;
  product_id: string;
  product_name: string;
  quantity: number;
  unit_price: number;
  tax_rate: TaxRate;
  returned_quantity: number;
};

const yen = (n: number) => `¥${n.toLocaleString('ja-JP')}`;

/** The returned goods' worth, tax included: per rate, one rounding of the tax when prices exclude it. */
export function refundOf(
  lines: { unitPrice: number; quantity: number; taxRate: TaxRate }[],
  mode: 'included' | 'excluded',
  rounding: Rounding,
): number {
  const perRate = new Map<TaxRate, number>();
  for (const l of lines) perRate.set(l.taxRate, (perRate.get(l.taxRate) ?? 0) + l.unitPrice * l.quantity);
  let total = 0;
  for (const [rate, amount] of perRate)
    total += mode === 'included' ? amount : amount + taxOf(amount, rate, mode, rounding);
  return total;
}

function invalid(fields: { path: string; code: string; key: MessageKey; params?: MessageParams }[]) {
  return new AppError(
    422,
    'validation',
    'error.detail.validation',
    { count: fields.length },
    fields,
    'error.title.validation',
  );
}

export async function createReturn(db: Database, ctx: Ctx, orderId: string, body: CreateReturnBody): Promise<Return> {
  const id = randomUUID();
  await db.withTenant(ctx.tenantId, async (tx) => {
    const [order] = await tx.query<OrderRow>(
      `SELECT o.id, o.number, o.customer_id, o.status, o.price_mode, o.rounding, o.total, o.ordered_at, o.payment_method_id,
              o.address_id,
              coalesce((SELECT sum(r.refund_amount) FROM returns r WHERE r.tenant_id = o.tenant_id AND r.order_id = o.id), 0)::int AS refunded
         FROM orders o WHERE o.tenant_id = $1 AND o.id = $2 FOR UPDATE`,
      [tx.tenantId, orderId],
    );
    if (!order) throw AppError.notFound('object.order');
    if (order.status !== 'shipped' && order.status !== 'completed')
      throw AppError.field(409, 'order_not_shipped', 'orderId', 'returns.not_shipped', { status: order.status });
    const [reason] = await tx.query<{ name: string }>(
      `SELECT name FROM reasons WHERE tenant_id = $1 AND id = $2 AND kind = 'return'`,
      [tx.tenantId, body.reasonId],
    );
    if (!reason) throw AppError.field(422, 'reason_not_found', 'reasonId', 'returns.reason_not_found');
    if (body.resolution === 'exchange' && !body.exchange)
      throw AppError.field(422, 'exchange_lines_required', 'exchange', 'returns.exchange_lines_required');

    const lines = await tx.query<LineRow>(
      `SELECT line_no, product_id, product_name, quantity, unit_price, tax_rate, returned_quantity
         FROM order_lines WHERE tenant_id = $1 AND order_id = $2 ORDER BY line_no FOR UPDATE`,
      [tx.tenantId, orderId],
    );
    const byNo = new Map(lines.map((l) => [l.line_no, l]));
    const errors: Parameters<typeof invalid>[0] = [];
    const seen = new Set<number>();
    body.lines.forEach((r, i) => {
      const line = byNo.get(r.lineNo);
      if (!line)
        errors.push({
          path: `lines.${i}.lineNo`,
          code: 'unknown_line',
          key: 'returns.unknown_line',
          params: { lineNo: r.lineNo },
        });
      else if (seen.has(r.lineNo))
        errors.push({ path: `lines.${i}.lineNo`, code: 'duplicate_line', key: 'returns.duplicate_line' });
      else if (r.quantity > line.quantity - line.returned_quantity)
        errors.push({
          path: `lines.${i}.quantity`,
          code: 'too_many',
          key: 'returns.too_many',
          params: {
            max: line.quantity - line.returned_quantity,
            shipped: line.quantity,
            returned: line.returned_quantity,
          },
        });
      seen.add(r.lineNo);
    });
    if (errors.length > 0) throw invalid(errors);

    const returned = body.lines.map((r) => ({ ...r, line: byNo.get(r.lineNo) as LineRow }));
    const remaining = Math.max(order.total - order.refunded, 0);
    const computed = Math.min(
      refundOf(
        returned.map((r) => ({ unitPrice: r.line.unit_price, quantity: r.quantity, taxRate: r.line.tax_rate })),
        order.price_mode,
        order.rounding,
      ),
      remaining,
    );
    const refund = body.refundAmount ?? (body.resolution === 'refund' ? computed : 0);
    if (refund > computed)
      throw AppError.field(422, 'refund_too_high', 'refundAmount', 'returns.refund_too_high', { max: computed });

    await tx.query(
      `UPDATE order_lines l SET returned_quantity = l.returned_quantity + r.quantity
         FROM jsonb_to_recordset($3::jsonb) AS r(line_no int, quantity int)
        WHERE l.tenant_id = $1 AND l.order_id = $2 AND l.line_no = r.line_no`,
      [tx.tenantId, orderId, JSON.stringify(returned.map((r) => ({ line_no: r.lineNo, quantity: r.quantity })))],
    );
    if (body.restock) {
      const perProduct = new Map<string, number>();
      for (const r of returned)
        perProduct.set(r.line.product_id, (perProduct.get(r.line.product_id) ?? 0) + r.quantity);
      await tx.query(
        `UPDATE products p SET stock = p.stock + r.quantity, updated_at = $3
           FROM jsonb_to_recordset($2::jsonb) AS r(id uuid, quantity int)
          WHERE p.tenant_id = $1 AND p.id = r.id AND p.stock IS NOT NULL`,
        [tx.tenantId, JSON.stringify([...perProduct].map(([pid, quantity]) => ({ id: pid, quantity }))), ctx.now],
      );
    }
    const [left] = await tx.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM order_lines WHERE tenant_id = $1 AND order_id = $2 AND returned_quantity < quantity',
      [tx.tenantId, orderId],
    );
    const full = (left?.n ?? 0) === 0;
    if (full)
      await tx.query(
        `UPDATE orders SET status = 'returned', updated_at = $3, version = version + 1 WHERE tenant_id = $1 AND id = $2`,
        [tx.tenantId, orderId, ctx.now],
      );

    let exchangeOrderId: string | null = null;
    if (body.exchange) {
      const made = await createOrder(tx, ctx, {
        customerId: order.customer_id,
        lines: body.exchange.lines.map((l) => ({
          productId: l.productId,
          quantity: l.quantity,
          ...(body.exchange?.charge ? {} : { unitPrice: 0 }),
        })),
        ...(order.address_id ? { addressId: order.address_id } : {}),
        ...(order.payment_method_id ? { paymentMethodId: order.payment_method_id } : {}),
        channel: 'other',
        note: `交換 (返品 受注 #${order.number})`,
      });
      exchangeOrderId = made.id;
    }

    await tx.query(
      `INSERT INTO returns (tenant_id, id, order_id, customer_id, reason_id, received_on, resolution, restock, computed_refund,
         refund_amount, exchange_lines, exchange_order_id, note, created_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
      [
        tx.tenantId,
        id,
        orderId,
        order.customer_id,
        body.reasonId,
        body.receivedOn ?? tokyoDate(ctx.now),
        body.resolution,
        body.restock,
        computed,
        refund,
        JSON.stringify(body.exchange?.lines ?? []),
        exchangeOrderId,
        body.note ?? null,
        ctx.actor.type === 'user' ? ctx.actor.id : null,
        ctx.now,
      ],
    );
    await tx.query(
      `INSERT INTO return_lines (tenant_id, return_id, line_no, product_id, quantity, amount)
       SELECT $1, $2, r.line_no, r.product_id, r.quantity, r.amount
         FROM jsonb_to_recordset($3::jsonb) AS r(line_no int, product_id uuid, quantity int, amount int)`,
      [
        tx.tenantId,
        id,
        JSON.stringify(
          returned.map((r) => ({
            line_no: r.lineNo,
            product_id: r.line.product_id,
            quantity: r.quantity,
            amount: r.line.unit_price * r.quantity,
          })),
        ),
      ],
    );
    await tx.query(
      `INSERT INTO order_events (tenant_id, order_id, at, user_id, kind, data) VALUES ($1, $2, $3, $4, 'return', $5)`,
      [
        tx.tenantId,
        orderId,
        ctx.now,
        ctx.actor.type === 'user' ? ctx.actor.id : null,
        JSON.stringify({
          returnId: id,
          refund,
          full,
          lines: returned.map((r) => ({ lineNo: r.lineNo, quantity: r.quantity })),
        }),
      ],
    );

    // Purchase statistics: the order counted `remaining` yen (its total less earlier refunds).
    // A full return takes the purchase away; a partial one keeps it, for what is left.
    if (full) await reversePurchase(tx, order.customer_id, remaining, order.ordered_at);
    else if (refund > 0) {
      await reversePurchase(tx, order.customer_id, remaining, order.ordered_at);
      await recordPurchase(tx, order.customer_id, remaining - refund, order.ordered_at);
    }

    const items = returned.map((r) => `${r.line.product_name}×${r.quantity}`).join('、');
    await recordSystemInteraction(tx, ctx.actor, {
      customerId: order.customer_id,
      kindCode: 'other',
      subject: `返品 受注 #${order.number}${full ? '（全品）' : ''}`,
      body: `${items}。理由 ${reason.name}。${body.resolution === 'exchange' ? '交換' : '返金'} ${yen(refund)}${body.restock ? '、在庫戻し' : ''}。${body.note ?? ''}`,
      at: ctx.now,
    });
    await audit(tx, ctx.actor, {
      action: 'return.create',
      objectType: 'return',
      objectId: id,
      detail: { orderId, refund, full, exchangeOrderId },
    });
  });
  return getReturn(db, ctx, id);
}

// ---------------------------------------------------------------------------------------------

type ReturnRow = {
  id: string;
  order_id: string;
  order_number: string;
  order_status: string;
  customer_id: string;
  customer_name: string;
  reason_id: string;
  reason_name: string;
  received_on: string;
  resolution: Return['resolution'];
  restock: boolean;
  computed_refund: number;
  refund_amount: number;
  exchange_lines: Return['exchangeLines'];
  exchange_order_id: string | null;
  note: string | null;
  created_at: Date;
  lines: Return['lines'];
};

const RETURN_SELECT = `SELECT r.id, r.order_id, o.number AS order_number, o.status AS order_status, r.customer_id,
    c.name AS customer_name, r.reason_id, rs.name AS reason_name, to_char(r.received_on, 'YYYY-MM-DD') AS received_on,
    r.resolution, r.restock, r.computed_refund, r.refund_amount, r.exchange_lines, r.exchange_order_id, r.note, r.created_at,
    (SELECT coalesce(jsonb_agg(jsonb_build_object('lineNo', rl.line_no, 'productId', rl.product_id,
        'productCode', ol.product_code, 'productName', ol.product_name, 'quantity', rl.quantity, 'amount', rl.amount)
        ORDER BY rl.line_no), '[]'::jsonb)
       FROM return_lines rl
       JOIN order_lines ol ON ol.tenant_id = rl.tenant_id AND ol.order_id = r.order_id AND ol.line_no = rl.line_no
      WHERE rl.tenant_id = r.tenant_id AND rl.return_id = r.id) AS lines
  FROM returns r
  JOIN orders o ON o.tenant_id = r.tenant_id AND o.id = r.order_id
  JOIN customers c ON c.tenant_id = r.tenant_id AND c.id = r.customer_id
  JOIN reasons rs ON rs.tenant_id = r.tenant_id AND rs.id = r.reason_id`;

const toReturn = (r: ReturnRow): Return => ({
  id: r.id,
  orderId: r.order_id,
  orderNumber: Number(r.order_number),
  customerId: r.customer_id,
  customerName: r.customer_name,
  reasonId: r.reason_id,
  reasonName: r.reason_name,
  receivedOn: r.received_on,
  resolution: r.resolution,
  restock: r.restock,
  computedRefund: r.computed_refund,
  refundAmount: r.refund_amount,
  exchangeLines: r.exchange_lines,
  exchangeOrderId: r.exchange_order_id,
  note: r.note,
  orderStatus: r.order_status,
  lines: r.lines,
  createdAt: r.created_at.toISOString(),
});

export async function getReturn(db: Database, ctx: Pick<Ctx, 'tenantId'>, id: string): Promise<Return> {
  const [row] = await db.withTenant(ctx.tenantId, (tx: TenantTx) =>
    tx.query<ReturnRow>(`${RETURN_SELECT} WHERE r.tenant_id = $1 AND r.id = $2`, [tx.tenantId, id]),
  );
  if (!row) throw AppError.notFound('object.return');
  return toReturn(row);
}

const cursorShape = z.tuple([z.iso.date(), z.uuid()]);

/** Newest first by the day the goods came back. */
export async function listReturns(db: Database, ctx: Pick<Ctx, 'tenantId'>, q: ListReturnsQuery) {
  const after = decodeCursor(q.cursor, cursorShape);
  const values: unknown[] = [ctx.tenantId];
  const p = (v: unknown) => `$${values.push(v)}`;
  const where = ['r.tenant_id = $1'];
  if (q.customerId) where.push(`r.customer_id = ${p(q.customerId)}`);
  if (q.orderId) where.push(`r.order_id = ${p(q.orderId)}`);
  if (q.from) where.push(`r.received_on >= ${p(q.from)}::date`);
  if (q.to) where.push(`r.received_on <= ${p(q.to)}::date`);
  if (after) where.push(`(r.received_on, r.id) < (${p(after[0])}::date, ${p(after[1])}::uuid)`);
  const rows = await db.withTenant(ctx.tenantId, (tx) =>
    tx.query<ReturnRow>(
      `${RETURN_SELECT} WHERE ${where.join(' AND ')} ORDER BY r.received_on DESC, r.id DESC LIMIT ${p(q.limit + 1)}`,
      values,
    ),
  );
  return page(rows, q.limit, toReturn, (r) => [r.received_on, r.id]);
}
