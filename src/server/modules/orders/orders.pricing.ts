// Prices orders against the masters, inside the caller's transaction: the order form's quote, a
// new order, an edit, an import and a batch of subscription deliveries all go through here.
// loadPricing() reads what a batch of orders needs in a fixed number of queries (whatever the
// batch size); price() is then pure. priceOrder() is the two for one order.
// Money rules: src/shared/money/order-totals.ts. Dates: business days from src/shared/calendar.ts.

import { addBusinessDays, isBusinessDay, tokyoDate } from '../../../shared/calendar.js';
import { orderTotals, type TaxRate } from '../../../shared/money/order-totals.js';
import { addDays } from '../../../shared/subscriptions/schedule.js';
import { keysIn, prepared, type TenantTx } from '../../db/database.js';
import { AppError } from '../../platform/errors.js';
import { closingDaysBetween, getOrderSettings, type OrderSettings } from '../../platform/tenants/tenants.service.js';
import {
  feeUnder,
  type LeadDaysRow,
  loadLeadDays,
  loadPaymentFees,
  loadShippingFees,
  type PaymentFeeTable,
  pickLeadDays,
  pickPaymentFee,
  pickShippingFeeRule,
  type ShippingFeeRow,
} from '../catalogue/catalogue.lookup.js';
import type { CreateOrderBody } from './orders.schema.js';

type Carrier = 'yamato' | 'sagawa' | 'japanpost';

/** What pricing reads: the form's fields, plus what only the server's own callers may set. */
export type OrderInput = Omit<CreateOrderBody, 'lines'> & {
  /** Internal callers (subscriptions): a line's price instead of the product's (first-delivery price). */
  lines: { productId: string; quantity: number; unitPrice?: number }[];
  /** Internal: extra 0-yen present lines (nth-delivery presents). */
  presents?: { productId: string; quantity: number }[];
  /**
   * Internal (subscriptions): the parcel must arrive on this day. It ships on the latest business
   * day that makes it; when that day is before `today` the order is late: it ships on the first
   * business day from `today` and arrives when it can.
   */
  arriveBy?: string;
  today?: string;
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

export type ShipTo = {
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

export type Priced = {
  settings: OrderSettings;
  customer: { id: string; code: string; name: string };
  shipTo: ShipTo;
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
  desiredDeliveryDate: string | null;
  late: boolean;
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

type CustomerRow = {
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
  /** Has an order that counts (false when no first-order campaign runs today: then nobody asks). */
  has_orders: boolean;
};

type AddressRow = Omit<ShipTo, 'addressId' | 'postalCode' | 'kana'> & {
  id: string;
  customer_id: string;
  postal_code: string | null;
  name_kana: string | null;
};

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

/** Everything pricing reads, for a batch of orders. */
export type PricingContext = {
  settings: OrderSettings;
  orderDate: string;
  closing: Set<string>;
  defaultOrigin: { id: string; default_carrier: Carrier } | null;
  origins: Set<string>;
  slots: Map<Carrier, Set<string>>;
  payments: { id: string; code: string; kind: string; active: boolean }[];
  paymentFees: Map<string, PaymentFeeTable>;
  adMedia: Set<string>;
  staff: Set<string>;
  customers: Map<string, CustomerRow>;
  addresses: Map<string, AddressRow>;
  products: Map<string, ProductRow>;
  parts: Map<string, { component_id: string; quantity: number }[]>;
  campaigns: CampaignRow[];
  campaignPrices: Map<string, Map<string, number>>;
  campaignPresents: Map<string, { trigger_product_id: string | null; present_product_id: string; quantity: number }[]>;
  shippingFees: ShippingFeeRow[];
  leadDays: LeadDaysRow[];
  /** orderDates' answers so far (key: lead days and the dates asked for). */
  dates: Map<string, OrderDates>;
};

const uniq = <T>(xs: (T | null | undefined)[]) => [...new Set(xs.filter((x): x is T => x !== null && x !== undefined))];

/** The campaigns an order of the day ($2) can have: running, and automatic or asked for by code ($3). */
const RUNNING = `k.tenant_id = $1 AND k.active AND k.starts_on <= $2::date AND k.ends_on >= $2::date
  AND (k.automatic OR upper(k.code) = ANY($3::text[]))`;

export async function loadPricing(
  tx: TenantTx,
  now: Date,
  inputs: OrderInput[],
  opts: { editingOrderId?: string } = {},
): Promise<PricingContext> {
  const t = tx.tenantId;
  const orderDate = tokyoDate(now);
  const lineIds = uniq(inputs.flatMap((i) => i.lines.map((l) => l.productId)));
  const codes = uniq(inputs.map((i) => i.campaignCode?.toUpperCase()));
  // One customer (an order at the desk) by its own text: its plan is made once (see keysIn()).
  const customers = keysIn('c.id', 2, uniq(inputs.map((i) => i.customerId)));
  // One round trip: every statement goes out at once (the pool pipelines them) and PostgreSQL runs
  // them in order. The campaigns' prices and presents, and the products of the lines, the presents
  // and the sets' parts, are found by the campaigns' own conditions (RUNNING) in SQL.
  const [
    settings,
    closingRows,
    origins,
    slotRows,
    payments,
    adMediumRows,
    staffRows,
    customerRows,
    addressRows,
    campaigns,
    partRows,
    paymentFees,
    shippingFees,
    leadDays,
    priceRows,
    presentRows,
    productRows,
  ] = await Promise.all([
    getOrderSettings(tx),
    closingDaysBetween(tx, addDays(orderDate, -60), addDays(orderDate, 400)),
    tx.query<{ id: string; default_carrier: Carrier; is_default: boolean }>(
      prepared('SELECT id, default_carrier, is_default FROM shipping_origins WHERE tenant_id = $1 AND active'),
      [t],
    ),
    tx.query<{ carrier: Carrier; code: string }>(
      prepared('SELECT carrier, code FROM delivery_time_slots WHERE tenant_id = $1 AND active'),
      [t],
    ),
    tx.query<{ id: string; code: string; kind: string; active: boolean }>(
      prepared('SELECT id, code, kind, active FROM payment_methods WHERE tenant_id = $1'),
      [t],
    ),
    tx.query<{ id: string }>(prepared('SELECT id FROM ad_media WHERE tenant_id = $1 AND id = ANY($2::uuid[])'), [
      t,
      uniq(inputs.map((i) => i.adMediumId)),
    ]),
    tx.query<{ id: string }>(
      prepared('SELECT id FROM users WHERE tenant_id = $1 AND active AND id = ANY($2::uuid[])'),
      [t, uniq(inputs.map((i) => i.staffId))],
    ),
    tx.query<CustomerRow>(
      prepared(`SELECT c.id, c.code, c.name, c.name_kana, c.postal_code, c.prefecture, c.city, c.address1, c.address2, c.company,
              c.department,
              (SELECT p.number FROM customer_phones p WHERE p.tenant_id = c.tenant_id AND p.customer_id = c.id
                ORDER BY p.position LIMIT 1) AS phone,
              coalesce((SELECT o.rank_id FROM customer_rank_overrides o WHERE o.tenant_id = c.tenant_id AND o.customer_id = c.id),
                       (SELECT s.rule_rank_id FROM customer_stats s WHERE s.tenant_id = c.tenant_id AND s.customer_id = c.id)) AS rank_id,
              -- Asked only while a first-order campaign runs (the only reader; evaluated once per statement).
              CASE WHEN EXISTS (SELECT 1 FROM campaigns k WHERE k.tenant_id = $1 AND k.active AND k.first_order_only
                                   AND k.starts_on <= $4::date AND k.ends_on >= $4::date)
                   THEN EXISTS (SELECT 1 FROM orders o WHERE o.tenant_id = c.tenant_id AND o.customer_id = c.id
                                   AND o.status <> 'cancelled'
                                   AND o.id <> coalesce($3::uuid, '00000000-0000-0000-0000-000000000000'))
                   ELSE false END AS has_orders
         FROM customers c WHERE c.tenant_id = $1 AND ${customers.sql}`),
      [t, customers.param, opts.editingOrderId ?? null, orderDate],
    ),
    tx.query<AddressRow>(
      prepared(`SELECT id, customer_id, name, name_kana, postal_code, prefecture, city, address1, address2, company, department, phone
         FROM customer_addresses WHERE tenant_id = $1 AND id = ANY($2::uuid[])`),
      [t, uniq(inputs.map((i) => i.addressId))],
    ),
    tx.query<CampaignRow>(
      prepared(`SELECT id, code, name, automatic, ad_medium_id, rank_id, first_order_only, min_amount, free_shipping, discount_amount
         FROM campaigns k WHERE ${RUNNING} ORDER BY code`),
      [t, orderDate, codes],
    ),
    tx.query<{ product_id: string; component_id: string; quantity: number }>(
      prepared(`SELECT product_id, component_id, quantity FROM product_components
        WHERE tenant_id = $1 AND product_id = ANY($2::uuid[]) ORDER BY product_id, relation DESC, component_id`),
      [t, lineIds],
    ),
    loadPaymentFees(tx),
    loadShippingFees(tx),
    loadLeadDays(tx),
    tx.query<{ campaign_id: string; product_id: string; unit_price: number }>(
      prepared(`SELECT p.campaign_id, p.product_id, p.unit_price FROM campaign_prices p
         JOIN campaigns k ON k.tenant_id = p.tenant_id AND k.id = p.campaign_id
        WHERE p.tenant_id = $1 AND ${RUNNING}`),
      [t, orderDate, codes],
    ),
    tx.query<{
      campaign_id: string;
      trigger_product_id: string | null;
      present_product_id: string;
      quantity: number;
    }>(
      prepared(`SELECT p.campaign_id, p.trigger_product_id, p.present_product_id, p.quantity FROM campaign_presents p
         JOIN campaigns k ON k.tenant_id = p.tenant_id AND k.id = p.campaign_id
        WHERE p.tenant_id = $1 AND ${RUNNING} ORDER BY p.campaign_id, p.id`),
      [t, orderDate, codes],
    ),
    // The lines' products, the presents asked for, the sets' parts and the campaigns' presents.
    tx.query<ProductRow>(
      prepared(`SELECT id, code, name, kind, tax_rate, unit_price, unit_cost, stock, active, sales_from::text, sales_until::text
         FROM products
        WHERE tenant_id = $1
          AND id = ANY($4::uuid[]
            || ARRAY(SELECT component_id FROM product_components WHERE tenant_id = $1 AND product_id = ANY($5::uuid[]))
            || ARRAY(SELECT p.present_product_id FROM campaign_presents p
                       JOIN campaigns k ON k.tenant_id = p.tenant_id AND k.id = p.campaign_id
                      WHERE p.tenant_id = $1 AND ${RUNNING}))`),
      [
        t,
        orderDate,
        codes,
        uniq([...lineIds, ...inputs.flatMap((i) => (i.presents ?? []).map((p) => p.productId))]),
        lineIds,
      ],
    ),
  ]);
  const closing = new Set(closingRows.map((d) => d.date));
  const slots = new Map<Carrier, Set<string>>();
  for (const s of slotRows) slots.set(s.carrier, (slots.get(s.carrier) ?? new Set()).add(s.code));
  const adMedia = new Set(adMediumRows.map((r) => r.id));
  const staff = new Set(staffRows.map((r) => r.id));
  const campaignPrices = new Map<string, Map<string, number>>();
  for (const r of priceRows)
    campaignPrices.set(r.campaign_id, (campaignPrices.get(r.campaign_id) ?? new Map()).set(r.product_id, r.unit_price));
  const campaignPresents = new Map<
    string,
    { trigger_product_id: string | null; present_product_id: string; quantity: number }[]
  >();
  for (const r of presentRows) campaignPresents.set(r.campaign_id, [...(campaignPresents.get(r.campaign_id) ?? []), r]);
  const parts = new Map<string, { component_id: string; quantity: number }[]>();
  for (const p of partRows) parts.set(p.product_id, [...(parts.get(p.product_id) ?? []), p]);
  return {
    settings,
    orderDate,
    closing,
    defaultOrigin: origins.find((o) => o.is_default) ?? null,
    origins: new Set(origins.map((o) => o.id)),
    slots,
    payments,
    paymentFees,
    adMedia,
    staff,
    customers: new Map(customerRows.map((c) => [c.id, c])),
    addresses: new Map(addressRows.map((a) => [a.id, a])),
    products: new Map(productRows.map((p) => [p.id, p])),
    parts,
    campaigns,
    campaignPrices,
    campaignPresents,
    shippingFees,
    leadDays,
    dates: new Map(),
  };
}

const onSale = (p: ProductRow, day: string) =>
  p.active && (p.sales_from === null || p.sales_from <= day) && (p.sales_until === null || p.sales_until >= day);

function latestBusinessDay(date: string, closing: Set<string>): string {
  let d = date;
  while (!isBusinessDay(d, closing)) d = addDays(d, -1);
  return d;
}

type OrderDates = {
  shipDate: string;
  deliveryDate: string;
  earliestDeliveryDate: string;
  desired: string | null;
  late: boolean;
};

/**
 * 出荷予定日 and お届け予定日 of an order. The same for every order of a context with the same lead
 * days and dates asked for (a day's 定期 deliveries share them), so each answer is kept in the context.
 */
function orderDates(c: PricingContext, lead: number, input: OrderInput): OrderDates {
  const key = `${lead}|${input.arriveBy ?? ''}|${input.today ?? ''}|${input.desiredDeliveryDate ?? ''}`;
  const known = c.dates.get(key);
  if (known) return known;
  const { settings, orderDate, closing } = c;
  let late = false;
  let desired = input.desiredDeliveryDate ?? null;
  let shipDate: string;
  if (input.arriveBy) {
    const today = input.today ?? orderDate;
    shipDate = latestBusinessDay(addDays(input.arriveBy, -lead), closing);
    desired = input.arriveBy;
    if (shipDate < today) {
      late = true;
      shipDate = addBusinessDays(today, 0, closing);
      desired = null;
    }
  } else {
    shipDate = addBusinessDays(orderDate, settings.orders.preparationDays, closing);
  }
  const earliestDeliveryDate = addDays(shipDate, lead);
  let deliveryDate = earliestDeliveryDate;
  if (desired) {
    if (desired < earliestDeliveryDate)
      throw field(422, 'too_early', 'desiredDeliveryDate', 'orders.desired_too_early', {
        earliest: earliestDeliveryDate,
      });
    deliveryDate = desired;
    if (!input.arriveBy) {
      // Leave so as to arrive on the day: the latest business day that still makes it.
      const latest = latestBusinessDay(addDays(deliveryDate, -lead), closing);
      if (latest > shipDate) shipDate = latest;
    }
  }
  const dates = { shipDate, deliveryDate, earliestDeliveryDate, desired, late };
  c.dates.set(key, dates);
  return dates;
}

/** Prices one order from a loaded context; a problem with the input throws its AppError (field named). */
export function price(c: PricingContext, actor: { type: string; id: string | null }, input: OrderInput): Priced {
  const { settings, orderDate } = c;
  const customer = c.customers.get(input.customerId);
  if (!customer) throw field(422, 'not_found', 'customerId', 'orders.customer_not_found');
  let shipTo: ShipTo = {
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
    const a = c.addresses.get(input.addressId);
    if (!a || a.customer_id !== input.customerId)
      throw field(422, 'not_found', 'addressId', 'orders.address_not_found');
    shipTo = {
      addressId: a.id,
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

  // Carrier, origin, time slot, payment, references.
  if (input.originId && !c.origins.has(input.originId))
    throw field(422, 'not_found', 'originId', 'orders.reference_not_found', { field: 'originId' });
  const originId = input.originId ?? c.defaultOrigin?.id ?? null;
  const carrier: Carrier = input.carrier ?? c.defaultOrigin?.default_carrier ?? settings.orders.defaultCarrier;
  const timeSlot = input.deliveryTimeSlot || null;
  const carrierSlots = c.slots.get(carrier);
  if (timeSlot && carrierSlots && carrierSlots.size > 0 && !carrierSlots.has(timeSlot))
    throw field(422, 'invalid_slot', 'deliveryTimeSlot', 'orders.time_slot_invalid');
  let payment: { id: string; kind: string } | null = null;
  if (input.paymentMethodId || input.paymentMethod) {
    const m = c.payments.find(
      (p) => p.active && (input.paymentMethodId ? p.id === input.paymentMethodId : p.code === input.paymentMethod),
    );
    if (!m) {
      const path = input.paymentMethodId ? 'paymentMethodId' : 'paymentMethod';
      throw field(422, 'not_found', path, 'orders.reference_not_found', { field: path });
    }
    payment = m;
  }
  if (input.adMediumId && !c.adMedia.has(input.adMediumId))
    throw field(422, 'not_found', 'adMediumId', 'orders.reference_not_found', { field: 'adMediumId' });
  if (input.staffId && !c.staff.has(input.staffId))
    throw field(422, 'not_found', 'staffId', 'orders.reference_not_found', { field: 'staffId' });
  const staffId = input.staffId ?? (actor.type === 'user' ? actor.id : null);

  // Products on sale.
  input.lines.forEach((l, i) => {
    const p = c.products.get(l.productId);
    if (!p || !onSale(p, orderDate))
      throw field(422, 'product_unavailable', `lines.${i}.productId`, 'orders.product_unavailable');
  });
  const product = (id: string) => c.products.get(id) as ProductRow;

  // Campaigns: the code given (must apply), and the automatic ones that apply.
  const goodsAtList = input.lines.reduce(
    (s, l) => s + (l.unitPrice ?? product(l.productId).unit_price) * l.quantity,
    0,
  );
  const holds = (k: CampaignRow): string | null => {
    if (k.ad_medium_id && k.ad_medium_id !== (input.adMediumId ?? null)) return 'ad';
    if (k.rank_id && k.rank_id !== customer.rank_id) return 'rank';
    if (k.first_order_only && customer.has_orders) return 'first';
    if (k.min_amount !== null && goodsAtList < k.min_amount) return 'amount';
    return null;
  };
  const applied: CampaignRow[] = [];
  if (input.campaignCode) {
    const named = c.campaigns.find((k) => k.code.toUpperCase() === input.campaignCode?.toUpperCase());
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
  for (const k of c.campaigns) if (k.automatic && !applied.includes(k) && holds(k) === null) applied.push(k);
  const campaignPrice = (productId: string) => {
    let best: number | undefined;
    for (const k of applied) {
      const v = c.campaignPrices.get(k.id)?.get(productId);
      if (v !== undefined && (best === undefined || v < best)) best = v;
    }
    return best;
  };

  // Lines: items (with their set contents and companions), then presents.
  const lines: PricedLine[] = [];
  const push = (l: Pick<PricedLine, 'kind' | 'parentLine' | 'productId' | 'quantity' | 'unitPrice'>) => {
    const p = product(l.productId);
    lines.push({
      kind: l.kind,
      parentLine: l.parentLine,
      productId: l.productId,
      quantity: l.quantity,
      unitPrice: l.unitPrice,
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
    const price = l.unitPrice ?? campaignPrice(l.productId) ?? product(l.productId).unit_price;
    const lineNo = push({
      kind: 'item',
      parentLine: null,
      productId: l.productId,
      quantity: l.quantity,
      unitPrice: price,
    });
    for (const part of c.parts.get(l.productId) ?? []) {
      if (!c.products.has(part.component_id)) continue;
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
    ...applied
      .flatMap((k) => c.campaignPresents.get(k.id) ?? [])
      .filter((p) => p.trigger_product_id === null || bought.has(p.trigger_product_id))
      .map((p) => ({ productId: p.present_product_id, quantity: p.quantity })),
    ...(input.presents ?? []),
  ];
  for (const p of presents) {
    if (!c.products.has(p.productId)) continue;
    push({ kind: 'present', parentLine: null, productId: p.productId, quantity: p.quantity, unitPrice: 0 });
  }

  // Fees and money.
  const discountRequested = applied.reduce((s, k) => s + k.discount_amount, 0);
  const goods = lines.reduce((s, l) => s + l.amount, 0);
  const freeShipping = applied.some((k) => k.free_shipping);
  const shipping = freeShipping
    ? 0
    : feeUnder(
        pickShippingFeeRule(c.shippingFees, carrier, shipTo.prefecture),
        goods - Math.min(discountRequested, goods),
      );
  const money = (fee: number) =>
    orderTotals({
      priceMode: settings.tax.priceMode,
      rounding: settings.tax.rounding,
      lines,
      shippingFee: shipping,
      paymentFee: fee,
      discount: discountRequested,
    });
  const feeTable = payment ? c.paymentFees.get(payment.id) : undefined;
  const fee = feeTable ? pickPaymentFee(feeTable, money(0).total) : 0;
  const totals = money(fee);

  // Dates: ship after the preparation days (business days), delivery after the carrier's lead days.
  const lead = shipTo.prefecture ? pickLeadDays(c.leadDays, carrier, originId, shipTo.prefecture) : 1;
  const { shipDate, deliveryDate, earliestDeliveryDate, desired, late } = orderDates(c, lead, input);

  return {
    settings,
    customer: { id: customer.id, code: customer.code, name: customer.name },
    shipTo,
    lines,
    taxes: totals.taxes.map(({ rate, taxableAmount, tax }) => ({ rate, taxableAmount, tax })),
    subtotal: totals.subtotal,
    shippingFee: shipping,
    paymentFee: fee,
    discount: totals.discount,
    taxTotal: totals.taxTotal,
    total: totals.total,
    costTotal: lines.reduce((s, l) => s + l.unitCost * l.quantity, 0),
    orderDate,
    shipDate,
    deliveryDate,
    earliestDeliveryDate,
    desiredDeliveryDate: desired,
    late,
    carrier,
    originId,
    timeSlot,
    paymentMethodId: payment?.id ?? null,
    paymentKind: payment?.kind ?? null,
    campaigns: applied.map((k) => ({ id: k.id, code: k.code, name: k.name })),
    adMediumId: input.adMediumId ?? null,
    staffId,
  };
}

export async function priceOrder(
  tx: TenantTx,
  ctx: { actor: { type: string; id: string | null }; now: Date },
  input: OrderInput,
  opts: { editingOrderId?: string } = {},
): Promise<Priced> {
  return price(await loadPricing(tx, ctx.now, [input], opts), ctx.actor, input);
}
