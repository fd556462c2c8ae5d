// What the order form and the orders module ask of the masters inside their own transaction:
// the shipping fee rule for a destination, the lead days, the payment fee for an amount.
// Rules as 0007_catalogue.sql states them.
import type { TenantTx } from '../../db/database.js';
import type { Carrier } from './catalogue.schema.js';

export type ShippingFeeRule = { fee: number; freeThreshold: number | null };

/**
 * The most specific rule: carrier + prefecture, then carrier, then prefecture, then neither; null
 * when no rule applies (the fee is then 0). `shippingFee` applies the free threshold.
 */
export async function shippingFeeRule(
  tx: TenantTx,
  carrier: Carrier | null,
  prefecture: string | null,
): Promise<ShippingFeeRule | null> {
  const [rule] = await tx.query<{ fee: number; free_threshold: number | null }>(
    `SELECT fee, free_threshold FROM shipping_fees
      WHERE tenant_id = $1 AND (carrier IS NULL OR carrier = $2) AND (prefecture IS NULL OR prefecture = $3)
      ORDER BY (carrier IS NOT NULL) DESC, (prefecture IS NOT NULL) DESC LIMIT 1`,
    [tx.tenantId, carrier, prefecture],
  );
  return rule ? { fee: rule.fee, freeThreshold: rule.free_threshold } : null;
}

/** The shipping fee of an order whose goods come to goodsAmount (tax included). */
export async function shippingFee(
  tx: TenantTx,
  carrier: Carrier | null,
  prefecture: string | null,
  goodsAmount: number,
): Promise<number> {
  const rule = await shippingFeeRule(tx, carrier, prefecture);
  if (!rule) return 0;
  return rule.freeThreshold !== null && goodsAmount >= rule.freeThreshold ? 0 : rule.fee;
}

/** Days from shipping to delivery: the origin's own row, else any origin's, else 1. */
export async function leadDaysFor(
  tx: TenantTx,
  carrier: Carrier,
  originId: string | null,
  prefecture: string,
): Promise<number> {
  const [row] = await tx.query<{ days: number }>(
    `SELECT days FROM delivery_lead_days
      WHERE tenant_id = $1 AND carrier = $2 AND prefecture = $4 AND (origin_id IS NULL OR origin_id = $3::uuid)
      ORDER BY (origin_id IS NOT NULL) DESC LIMIT 1`,
    [tx.tenantId, carrier, originId, prefecture],
  );
  return row?.days ?? 1;
}

/**
 * The fee of a payment method for the amount collected: the first bracket (by upTo) the amount
 * does not pass, else the method's own fee; null for an unknown method.
 */
export async function paymentFee(tx: TenantTx, paymentMethodId: string, amount: number): Promise<number | null> {
  const [row] = await tx.query<{ fee: number; bracket_fee: number | null }>(
    `SELECT m.fee,
            (SELECT b.fee FROM payment_fee_brackets b
              WHERE b.tenant_id = m.tenant_id AND b.payment_method_id = m.id AND (b.up_to IS NULL OR b.up_to >= $3)
              ORDER BY coalesce(b.up_to, 2147483647) LIMIT 1) AS bracket_fee
       FROM payment_methods m WHERE m.tenant_id = $1 AND m.id = $2`,
    [tx.tenantId, paymentMethodId, amount],
  );
  if (!row) return null;
  return row.bracket_fee ?? row.fee;
}
