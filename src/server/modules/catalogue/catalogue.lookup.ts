// What the order form and the orders module ask of the masters inside their own transaction:
// the shipping fee rule for a destination, the lead days, the payment fee for an amount.
// Rules as 0007_catalogue.sql states them. Each comes as a loader (a tenant's whole table: these
// masters are dozens to hundreds of rows) and a pure picker, so that pricing a batch of orders
// reads each table once; the single look-ups below are the two together.
import { prepared, type TenantTx } from '../../db/database.js';
import type { Carrier } from './catalogue.schema.js';

export type ShippingFeeRule = { fee: number; freeThreshold: number | null };
export type ShippingFeeRow = ShippingFeeRule & { carrier: Carrier | null; prefecture: string | null };
export type LeadDaysRow = { carrier: Carrier; originId: string | null; prefecture: string; days: number };
export type PaymentFeeTable = { fee: number; brackets: { upTo: number | null; fee: number }[] };

export async function loadShippingFees(tx: TenantTx): Promise<ShippingFeeRow[]> {
  return tx.query<ShippingFeeRow>(
    prepared(
      `SELECT carrier, prefecture, fee, free_threshold AS "freeThreshold" FROM shipping_fees WHERE tenant_id = $1`,
    ),
    [tx.tenantId],
  );
}

/** The most specific rule: carrier + prefecture, then carrier, then prefecture, then neither; null when none applies. */
export function pickShippingFeeRule(
  rules: ShippingFeeRow[],
  carrier: Carrier | null,
  prefecture: string | null,
): ShippingFeeRule | null {
  let best: ShippingFeeRow | null = null;
  let bestScore = -1;
  for (const r of rules) {
    if (r.carrier !== null && r.carrier !== carrier) continue;
    if (r.prefecture !== null && r.prefecture !== prefecture) continue;
    const score = (r.carrier !== null ? 2 : 0) + (r.prefecture !== null ? 1 : 0);
    if (score > bestScore) {
      best = r;
      bestScore = score;
    }
  }
  return best ? { fee: best.fee, freeThreshold: best.freeThreshold } : null;
}

/** The fee under a rule for goods of goodsAmount (tax included): 0 from the free threshold, 0 with no rule. */
export function feeUnder(rule: ShippingFeeRule | null, goodsAmount: number): number {
  if (!rule) return 0;
  return rule.freeThreshold !== null && goodsAmount >= rule.freeThreshold ? 0 : rule.fee;
}

export async function shippingFeeRule(tx: TenantTx, carrier: Carrier | null, prefecture: string | null) {
  return pickShippingFeeRule(await loadShippingFees(tx), carrier, prefecture);
}

/** The shipping fee of an order whose goods come to goodsAmount (tax included). */
export async function shippingFee(
  tx: TenantTx,
  carrier: Carrier | null,
  prefecture: string | null,
  goodsAmount: number,
) {
  return feeUnder(await shippingFeeRule(tx, carrier, prefecture), goodsAmount);
}

export async function loadLeadDays(tx: TenantTx): Promise<LeadDaysRow[]> {
  return tx.query<LeadDaysRow>(
    prepared(`SELECT carrier, origin_id AS "originId", prefecture, days FROM delivery_lead_days WHERE tenant_id = $1`),
    [tx.tenantId],
  );
}

/** Days from shipping to delivery: the origin's own row, else any origin's, else 1. */
export function pickLeadDays(
  rows: LeadDaysRow[],
  carrier: Carrier,
  originId: string | null,
  prefecture: string,
): number {
  let anyOrigin: number | null = null;
  for (const r of rows) {
    if (r.carrier !== carrier || r.prefecture !== prefecture) continue;
    if (r.originId !== null && r.originId === originId) return r.days;
    if (r.originId === null) anyOrigin = r.days;
  }
  return anyOrigin ?? 1;
}

export async function leadDaysFor(tx: TenantTx, carrier: Carrier, originId: string | null, prefecture: string) {
  return pickLeadDays(await loadLeadDays(tx), carrier, originId, prefecture);
}

/** Every payment method's fee and its brackets (ascending, the open one last). */
export async function loadPaymentFees(tx: TenantTx): Promise<Map<string, PaymentFeeTable>> {
  const rows = await tx.query<{ id: string; fee: number; brackets: { upTo: number | null; fee: number }[] }>(
    prepared(`SELECT m.id, m.fee,
            coalesce((SELECT json_agg(json_build_object('upTo', b.up_to, 'fee', b.fee) ORDER BY coalesce(b.up_to, 2147483647))
                        FROM payment_fee_brackets b WHERE b.tenant_id = m.tenant_id AND b.payment_method_id = m.id), '[]'::json) AS brackets
       FROM payment_methods m WHERE m.tenant_id = $1`),
    [tx.tenantId],
  );
  return new Map(rows.map((r) => [r.id, { fee: r.fee, brackets: r.brackets }]));
}

/** The fee for the amount collected: the first bracket (by upTo) the amount does not pass, else the method's own fee. */
export function pickPaymentFee(table: PaymentFeeTable, amount: number): number {
  const bracket = table.brackets.find((b) => b.upTo === null || b.upTo >= amount);
  return bracket ? bracket.fee : table.fee;
}

/** The fee of a payment method for the amount collected; null for an unknown method. */
export async function paymentFee(tx: TenantTx, paymentMethodId: string, amount: number): Promise<number | null> {
  const table = (await loadPaymentFees(tx)).get(paymentMethodId);
  return table ? pickPaymentFee(table, amount) : null;
}
