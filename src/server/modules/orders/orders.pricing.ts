// Prices an order against the masters, inside the caller's transaction: the order form's quote,
// a new order, an edit and a generated subscription delivery all go through priceOrder().
// Money rules: src/shared/money/order-totals.ts. Dates: business days from src/shared/calendar.ts.

import { addBusinessDays, isBusinessDay, tokyoDate } from '../../../shared/calendar.js';
import { orderTotals, type TaxRate } from '../../../shared/money/order-totals.js';
import { addDays } from '../../../shared/subscriptions/schedule.js';
import type { TenantTx } from '../../db/database.js';
import { AppError } from '../../platform/errors.js';
import { closingDaysBetween, getOrderSettings, type OrderSettings } from '../../platform/tenants/tenants.service.js';
import { leadDaysFor, paymentFee, shippingFee } from '../catalogue/catalogue.lookup.js';
import type { CreateOrderBody } from './orders.schema.js';

type Carrier = 'yamato' | 'sagawa' | 'japanpost';

/** What priceOrder reads: the form's fields, plus what only the server's own callers may set. */
export type OrderInput = Omit<CreateOrderBody, 'lines'> & {
  /** Internal callers (subscriptions): a line's price instead of the product's (first-delivery price). */
  lines: { productId: string; quantity: number; unitPrice?: number }[];
  /** Internal: extra 0-yen present lines (nth-delivery presents). */
  presents?: { productId: string; quantity: number }[];
  /** Internal: the ship date decided by the caller (subscriptions count it back from the delivery). */
  shipDate?: string;
  subscriptionId?: string;
  subscriptionDeliveryDate?: string;
  subscriptionDeliverySeq?: number;
};

export type PricedLine = {
  lineNo: number;
  kind: 'item' | 'present' | 'component';
  parentLine: number | null;
  productId: string;
  productCode: string;
  productName: string;
  quantity: number;
  unitPrice: number;
  amount: number;
  taxRate: TaxRate;
  unitCost: number;
  stockTracked: boolean;
};

export type Priced = {
  settings: OrderSettings;
  customer: { id: string; code: string; name: string };
  shipTo: {
    addressId: string | null;
    name: string;
    kana: string | null;
    postalCode: string | null;
    prefecture: string | null;
    city: string | null;
    address1: string | null;
    address2: string | null;
    company: string | null;
    department: string | null;
    phone: string | null;
  };
  lines: PricedLine[];
  taxes: { rate: TaxRate; taxableAmount: number; tax: number }[];
  subtotal: number;
  shippingFee: number;
  paymentFee: number;
  discount: number;
  taxTotal: number;
  total: number;
  costTotal: number;
  orderDate: string;
  shipDate: string;
  deliveryDate: string;
  earliestDeliveryDate: string;
  carrier: Carrier;
  originId: string | null;
  timeSlot: string | null;
  paymentMethodId: string | null;
  paymentKind: string | null;
  campaigns: { id: string; code: string; name: string }[];
  adMediumId: string | null;
  staffId: string | null;
};

const field = (
  status: 409 | 422,
  code: string,
  path: string,
  key: Parameters<typeof AppError.field>[3],
  params?: Record<string, string | number>,
) => AppError.field(status, code, path, key, params);

type ProductRow = {
  id: string;
  code: string;
  name: string;
  kind: string;
  tax_rate: TaxRate;
  unit_price: number;
  unit_cost: number;
  stock: number | null;
  active: boolean;
  sales_from: string | null;
  sales_until: string | null;
};

async function loadProducts(tx: TenantTx, ids: string[]): Promise<Map<string, ProductRow>> {
  const rows = await tx.query<ProductRow>(
    `SELECT id, code, name, kind, tax_rate, unit_price, unit_cost, stock, active, sales_from::text, sales_until::text
       FROM products WHERE tenant_id = $1 AND id = ANY($2::uuid[])`,
    [tx.tenantId, [...new Set(ids)]],
  );
  return new Map(rows.map((r) => [r.id, r]));
}

const onSale = (p: ProductRow, day: string) =>
  p.active && (p.sales_from === null || p.sales_from <= day) && (p.sales_until === null || p.sales_until >= day);

type CampaignRow = {
  id: string;
  code: string;
  name: string;
  automatic: boolean;
  ad_medium_id: string | null;
  rank_id: string | null;
  first_order_only: boolean;
  min_amount: number | null;
  free_shipping: boolean;
  discount_amount: number;
};

export async function priceOrder(
  tx: TenantTx,
  ctx: { actor: { type: string; id: string | null }; now: Date },
  input: OrderInput,
  opts: { editingOrderId?: string } = {},
): Promise<Priced> {
  const settings = await getOrderSettings(tx);
  const orderDate = tokyoDate(ctx.now);

  // The customer and where the parcel goes.
  const [customer] = await tx.query<{
    id: string;
    code: string;
    name: string;
    name_kana: string | null;
    postal_code: string | null;
    prefecture: string | null;
    city: string | null;
    address1: string | null;
    address2: string | null;
    company: string | null;
    department: string | null;
    phone: string | null;
    rank_id: string | null;
  }>(
    `SELECT c.id, c.code, c.name, c.name_kana, c.postal_code, c.prefecture, c.city, c.address1, c.address2, c.company,
            c.department,
            (SELECT p.number FROM customer_phones p WHERE p.tenant_id = c.tenant_id AND p.customer_id = c.id
              ORDER BY p.position LIMIT 1) AS phone,
            coalesce((SELECT o.rank_id FROM customer_rank_overrides o WHERE o.tenant_id = c.tenant_id AND o.customer_id = c.id),
                     (SELECT s.rule_rank_id FROM customer_stats s WHERE s.tenant_id = c.tenant_id AND s.customer_id = c.id)) AS rank_id
       FROM customers c WHERE c.tenant_id = $1 AND c.id = $2`,
    [tx.tenantId, input.customerId],
  );
  if (!customer) throw field(422, 'not_found', 'customerId', 'orders.customer_not_found');
  let shipTo: Priced['shipTo'] = {
    addressId: null,
    name: customer.name,
    kana: customer.name_kana,
    postalCode: customer.postal_code,
    prefecture: customer.prefecture,
    city: customer.city,
    address1: customer.address1,
    address2: customer.address2,
    company: customer.company,
    department: customer.department,
    phone: customer.phone,
  };
  if (input.addressId) {
    const [a] = await tx.query<
      Omit<Priced['shipTo'], 'addressId' | 'postalCode' | 'kana'> & {
        postal_code: string | null;
        name_kana: string | null;
      }
    >(
      `SELECT name, name_kana, postal_code, prefecture, city, address1, address2, company, department, phone
         FROM customer_addresses WHERE tenant_id = $1 AND id = $2 AND customer_id = $3`,
      [tx.tenantId, input.addressId, input.customerId],
    );
    if (!a) throw field(422, 'not_found', 'addressId', 'orders.address_not_found');
    shipTo = {
      addressId: input.addressId,
      name: a.name,
      kana: a.name_kana,
      postalCode: a.postal_code,
      prefecture: a.prefecture,
      city: a.city,
      address1: a.address1,
      address2: a.address2,
      company: a.company,
      department: a.department,
      phone: a.phone ?? customer.phone,
    };
  }

  // Carrier, origin, time slot.
  let originId = input.originId ?? null;
  if (originId) {
    const ok = await tx.query('SELECT 1 FROM shipping_origins WHERE tenant_id = $1 AND id = $2 AND active', [
      tx.tenantId,
      originId,
    ]);
    if (ok.length === 0) throw field(422, 'not_found', 'originId', 'orders.reference_not_found', { field: 'originId' });
  }
  const [origin] = originId
    ? []
    : await tx.query<{ id: string; default_carrier: Carrier }>(
        'SELECT id, default_carrier FROM shipping_origins WHERE tenant_id = $1 AND is_default AND active',
        [tx.tenantId],
      );
  if (origin) originId = origin.id;
  const carrier: Carrier = input.carrier ?? origin?.default_carrier ?? settings.orders.defaultCarrier;
  const timeSlot = input.deliveryTimeSlot || null;
  if (timeSlot) {
    const slots = await tx.query<{ code: string }>(
      'SELECT code FROM delivery_time_slots WHERE tenant_id = $1 AND carrier = $2 AND active',
      [tx.tenantId, carrier],
    );
    if (slots.length > 0 && !slots.some((s) => s.code === timeSlot))
      throw field(422, 'invalid_slot', 'deliveryTimeSlot', 'orders.time_slot_invalid');
  }

  // Payment method (by id or code).
  let payment: { id: string; kind: string } | null = null;
  if (input.paymentMethodId || input.paymentMethod) {
    const [m] = await tx.query<{ id: string; kind: string }>(
      `SELECT id, kind FROM payment_methods WHERE tenant_id = $1 AND active AND (id = $2::uuid OR code = $3) LIMIT 1`,
      [tx.tenantId, input.paymentMethodId ?? null, input.paymentMethod ?? null],
    );
    if (!m) {
      const path = input.paymentMethodId ? 'paymentMethodId' : 'paymentMethod';
      throw field(422, 'not_found', path, 'orders.reference_not_found', { field: path });
    }
    payment = m;
  }
  if (input.adMediumId) {
    const ok = await tx.query('SELECT 1 FROM ad_media WHERE tenant_id = $1 AND id = $2', [
      tx.tenantId,
      input.adMediumId,
    ]);
    if (ok.length === 0)
      throw field(422, 'not_found', 'adMediumId', 'orders.reference_not_found', { field: 'adMediumId' });
  }
  const staffId = input.staffId ?? (ctx.actor.type === 'user' ? ctx.actor.id : null);
  if (input.staffId) {
    const ok = await tx.query('SELECT 1 FROM users WHERE tenant_id = $1 AND id = $2 AND active', [
      tx.tenantId,
      input.staffId,
    ]);
    if (ok.length === 0) throw field(422, 'not_found', 'staffId', 'orders.reference_not_found', { field: 'staffId' });
  }

  // Products: the lines, their set contents and companions.
  const products = await loadProducts(tx, [
    ...input.lines.map((l) => l.productId),
    ...(input.presents ?? []).map((p) => p.productId),
  ]);
  input.lines.forEach((l, i) => {
    const p = products.get(l.productId);
    if (!p || !onSale(p, orderDate))
      throw field(422, 'product_unavailable', `lines.${i}.productId`, 'orders.product_unavailable');
  });
  const parts = await tx.query<{ product_id: string; component_id: string; relation: string; quantity: number }>(
    `SELECT product_id, component_id, relation, quantity FROM product_components
      WHERE tenant_id = $1 AND product_id = ANY($2::uuid[]) ORDER BY product_id, relation DESC, component_id`,
    [tx.tenantId, input.lines.map((l) => l.productId)],
  );

  // Campaigns: the code given (must apply), and the automatic ones that apply.
  const goodsAtList = input.lines.reduce(
    (s, l) => s + (l.unitPrice ?? (products.get(l.productId) as ProductRow).unit_price) * l.quantity,
    0,
  );
  const priorOrders = await tx.query(
    `SELECT 1 FROM orders WHERE tenant_id = $1 AND customer_id = $2 AND status <> 'cancelled' AND id <> coalesce($3::uuid, '00000000-0000-0000-0000-000000000000') LIMIT 1`,
    [tx.tenantId, input.customerId, opts.editingOrderId ?? null],
  );
  const candidates = await tx.query<CampaignRow>(
    `SELECT id, code, name, automatic, ad_medium_id, rank_id, first_order_only, min_amount, free_shipping, discount_amount
       FROM campaigns
      WHERE tenant_id = $1 AND active AND starts_on <= $2::date AND ends_on >= $2::date
        AND (automatic OR upper(code) = upper($3))
      ORDER BY code`,
    [tx.tenantId, orderDate, input.campaignCode ?? ''],
  );
  const holds = (c: CampaignRow): string | null => {
    if (c.ad_medium_id && c.ad_medium_id !== (input.adMediumId ?? null)) return 'ad';
    if (c.rank_id && c.rank_id !== customer.rank_id) return 'rank';
    if (c.first_order_only && priorOrders.length > 0) return 'first';
    if (c.min_amount !== null && goodsAtList < c.min_amount) return 'amount';
    return null;
  };
  const applied: CampaignRow[] = [];
  if (input.campaignCode) {
    const named = candidates.find((c) => c.code.toUpperCase() === input.campaignCode?.toUpperCase());
    if (!named) throw field(422, 'campaign_unknown', 'campaignCode', 'orders.campaign_unknown');
    const why = holds(named);
    if (why)
      throw field(
        422,
        'campaign_not_applicable',
        'campaignCode',
        `orders.campaign_not_${why}` as 'orders.campaign_not_ad',
      );
    applied.push(named);
  }
  for (const c of candidates) if (c.automatic && !applied.includes(c) && holds(c) === null) applied.push(c);
  const campaignIds = applied.map((c) => c.id);
  const campaignPrices = new Map(
    (
      await tx.query<{ product_id: string; unit_price: number }>(
        `SELECT product_id, min(unit_price)::int AS unit_price FROM campaign_prices
          WHERE tenant_id = $1 AND campaign_id = ANY($2::uuid[]) GROUP BY product_id`,
        [tx.tenantId, campaignIds],
      )
    ).map((r) => [r.product_id, r.unit_price]),
  );
  const campaignPresents = await tx.query<{
    trigger_product_id: string | null;
    present_product_id: string;
    quantity: number;
  }>(
    `SELECT trigger_product_id, present_product_id, quantity FROM campaign_presents
      WHERE tenant_id = $1 AND campaign_id = ANY($2::uuid[]) ORDER BY campaign_id, id`,
    [tx.tenantId, campaignIds],
  );

  // Lines: items (with their set contents and companions), then presents.
  const more = await loadProducts(tx, [
    ...parts.map((p) => p.component_id),
    ...campaignPresents.map((p) => p.present_product_id),
  ]);
  for (const [id, p] of more) products.set(id, p);
  const lines: PricedLine[] = [];
  const push = (
    l: Omit<PricedLine, 'lineNo' | 'amount' | 'stockTracked' | 'productCode' | 'productName' | 'taxRate' | 'unitCost'>,
  ) => {
    const p = products.get(l.productId) as ProductRow;
    lines.push({
      ...l,
      lineNo: lines.length + 1,
      amount: l.unitPrice * l.quantity,
      productCode: p.code,
      productName: p.name,
      taxRate: p.tax_rate,
      unitCost: p.unit_cost,
      stockTracked: p.stock !== null,
    });
    return lines.length;
  };
  for (const l of input.lines) {
    const p = products.get(l.productId) as ProductRow;
    const price = l.unitPrice ?? campaignPrices.get(l.productId) ?? p.unit_price;
    const lineNo = push({
      kind: 'item',
      parentLine: null,
      productId: l.productId,
      quantity: l.quantity,
      unitPrice: price,
    });
    for (const part of parts.filter((x) => x.product_id === l.productId)) {
      if (!products.has(part.component_id)) continue;
      push({
        kind: 'component',
        parentLine: lineNo,
        productId: part.component_id,
        quantity: part.quantity * l.quantity,
        unitPrice: 0,
      });
    }
  }
  const bought = new Set(input.lines.map((l) => l.productId));
  const presents = [
    ...campaignPresents
      .filter((p) => p.trigger_product_id === null || bought.has(p.trigger_product_id))
      .map((p) => ({ productId: p.present_product_id, quantity: p.quantity })),
    ...(input.presents ?? []),
  ];
  for (const p of presents) {
    if (!products.has(p.productId)) continue;
    push({ kind: 'present', parentLine: null, productId: p.productId, quantity: p.quantity, unitPrice: 0 });
  }

  // Fees and money.
  const discountRequested = applied.reduce((s, c) => s + c.discount_amount, 0);
  const goods = lines.reduce((s, l) => s + l.amount, 0);
  const discountApplied = Math.min(discountRequested, goods);
  const freeShipping = applied.some((c) => c.free_shipping);
  const shipping = freeShipping ? 0 : await shippingFee(tx, carrier, shipTo.prefecture, goods - discountApplied);
  const beforeFee = orderTotals({
    priceMode: settings.tax.priceMode,
    rounding: settings.tax.rounding,
    lines,
    shippingFee: shipping,
    paymentFee: 0,
    discount: discountRequested,
  });
  const fee = payment ? ((await paymentFee(tx, payment.id, beforeFee.total)) ?? 0) : 0;
  const money = orderTotals({
    priceMode: settings.tax.priceMode,
    rounding: settings.tax.rounding,
    lines,
    shippingFee: shipping,
    paymentFee: fee,
    discount: discountRequested,
  });

  // Dates: ship after the preparation days (business days), delivery after the carrier's lead days.
  const closing = new Set((await closingDaysBetween(tx, orderDate, addDays(orderDate, 400))).map((d) => d.date));
  const lead = shipTo.prefecture ? await leadDaysFor(tx, carrier, originId, shipTo.prefecture) : 1;
  let shipDate = input.shipDate ?? addBusinessDays(orderDate, settings.orders.preparationDays, closing);
  const earliestDeliveryDate = addDays(shipDate, lead);
  let deliveryDate = earliestDeliveryDate;
  if (input.desiredDeliveryDate) {
    if (input.desiredDeliveryDate < earliestDeliveryDate)
      throw field(422, 'too_early', 'desiredDeliveryDate', 'orders.desired_too_early', {
        earliest: earliestDeliveryDate,
      });
    deliveryDate = input.desiredDeliveryDate;
    if (!input.shipDate) {
      // Leave so as to arrive on the day: the latest business day that still makes it.
      let latest = addDays(deliveryDate, -lead);
      while (!isBusinessDay(latest, closing) && latest > shipDate) latest = addDays(latest, -1);
      if (latest > shipDate) shipDate = latest;
    }
  }

  return {
    settings,
    customer: { id: customer.id, code: customer.code, name: customer.name },
    shipTo,
    lines,
    taxes: money.taxes.map(({ rate, taxableAmount, tax }) => ({ rate, taxableAmount, tax })),
    subtotal: money.subtotal,
    shippingFee: shipping,
    paymentFee: fee,
    discount: money.discount,
    taxTotal: money.taxTotal,
    total: money.total,
    costTotal: lines.reduce((s, l) => s + l.unitCost * l.quantity, 0),
    orderDate,
    shipDate,
    deliveryDate,
    earliestDeliveryDate,
    carrier,
    originId,
    timeSlot,
    paymentMethodId: payment?.id ?? null,
    paymentKind: payment?.kind ?? null,
    campaigns: applied.map((c) => ({ id: c.id, code: c.code, name: c.name })),
    adMediumId: input.adMediumId ?? null,
    staffId,
  };
}
