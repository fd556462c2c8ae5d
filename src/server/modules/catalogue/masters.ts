// The description of each master (see crud.ts): its columns, order, filters, checks and child rows.
import { canonicalPrefecture, normalizePostalCode } from '../../../shared/japanese/address.js';
import { normalizeName } from '../../../shared/japanese/name.js';
import type { TenantTx } from '../../db/database.js';
import { AppError } from '../../platform/errors.js';
import type { MessageKey, MessageParams } from '../../platform/i18n/messages.js';
import { activeFilter, codeOrName, likeEscape, type Master, mustExist, type Params, type Row } from './crud.js';

const invalid = (path: string, key: MessageKey, params?: MessageParams) =>
  AppError.field(400, 'validation', path, key, params);

const merged = (input: Row, current: Row | null): Row => ({ ...(current ?? {}), ...input });

function prefectureOf(value: unknown, path: string): string | null | undefined {
  if (value === undefined || value === null) return value as null | undefined;
  const p = canonicalPrefecture(String(value));
  if (!p) throw invalid(path, 'catalogue.invalid_prefecture');
  return p;
}

/** The stored form of a prefecture cell for key look-ups ('' for none). */
export const prefectureKey = (v: unknown): string =>
  v === undefined || v === null || v === '' ? '' : (canonicalPrefecture(String(v)) ?? String(v));

const sortedKey = (prefix = '') => `${prefix}lpad(sort_order::text, 10, '0') || ':' || code`;

// ---------------------------------------------------------------------------------------------
export const adMedia: Master = {
  table: 'ad_media',
  object: 'object.ad_medium',
  audit: 'ad_medium',
  versioned: true,
  sortKey: 'code',
  conflictPath: 'code',
  columns: {
    code: { column: 'code', cast: 'text' },
    name: { column: 'name', cast: 'text' },
    medium: { column: 'medium', cast: 'text' },
    monthlyCost: { column: 'monthly_cost', cast: 'int' },
    active: { column: 'active', cast: 'bool' },
  },
  filter: (q, p) => [...codeOrName(q.q, p), ...activeFilter(q, p)],
  children: {
    fields: ['costs'],
    async load(tx, ids) {
      const rows = await tx.query<{ id: string; month: string; cost: number }>(
        `SELECT ad_medium_id AS id, to_char(month, 'YYYY-MM') AS month, cost FROM ad_media_costs
          WHERE tenant_id = $1 AND ad_medium_id = ANY($2::uuid[]) ORDER BY month`,
        [tx.tenantId, ids],
      );
      return group(rows, (r) => ({ month: r.month, cost: r.cost }), 'costs');
    },
    async save(tx, id, input) {
      const costs = input.costs as { month: string; cost: number }[] | undefined;
      if (costs === undefined) return;
      const months = costs.map((c) => c.month);
      const dup = months.findIndex((m, i) => months.indexOf(m) !== i);
      if (dup >= 0) throw invalid(`costs.${dup}.month`, 'catalogue.duplicate');
      await tx.query('DELETE FROM ad_media_costs WHERE tenant_id = $1 AND ad_medium_id = $2', [tx.tenantId, id]);
      await tx.query(
        `INSERT INTO ad_media_costs (tenant_id, ad_medium_id, month, cost)
         SELECT $1, $2, (c.m || '-01')::date, c.cost FROM unnest($3::text[], $4::int[]) AS c(m, cost)`,
        [tx.tenantId, id, months, costs.map((c) => c.cost)],
      );
    },
  },
};

function group<R extends { id: string }>(rows: R[], item: (r: R) => Row, field: string): Map<string, Row> {
  const out = new Map<string, Row>();
  for (const r of rows) {
    const entry = out.get(r.id) ?? { [field]: [] };
    (entry[field] as Row[]).push(item(r));
    out.set(r.id, entry);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
export const categories: Master = {
  table: 'product_categories',
  object: 'object.product_category',
  audit: 'product_category',
  versioned: true,
  sortKey: sortedKey(),
  conflictPath: 'code',
  columns: {
    code: { column: 'code', cast: 'text' },
    name: { column: 'name', cast: 'text' },
    sortOrder: { column: 'sort_order', cast: 'int' },
    active: { column: 'active', cast: 'bool' },
  },
  filter: (q, p) => [...codeOrName(q.q, p), ...activeFilter(q, p)],
};

// ---------------------------------------------------------------------------------------------
type Link = { productId: string; quantity: number };

/** normalizeName of code, name and kana: what the product search compares (0007). */
export function productSearchText(code: string, name: string, kana: string | null | undefined): string {
  return [code, name, kana ?? ''].map((s) => normalizeName(s)).join(' ');
}

export const products: Master = {
  table: 'products',
  object: 'object.product',
  audit: 'product',
  versioned: true,
  sortKey: 'upper(code)',
  conflictPath: 'code',
  columns: {
    code: { column: 'code', cast: 'text' },
    name: { column: 'name', cast: 'text' },
    nameKana: { column: 'name_kana', cast: 'text' },
    categoryId: { column: 'category_id', cast: 'uuid' },
    kind: { column: 'kind', cast: 'text' },
    taxRate: { column: 'tax_rate', cast: 'int' },
    unitPrice: { column: 'unit_price', cast: 'int' },
    firstPrice: { column: 'first_price', cast: 'int' },
    unitCost: { column: 'unit_cost', cast: 'int' },
    salesFrom: { column: 'sales_from', cast: 'date' },
    salesUntil: { column: 'sales_until', cast: 'date' },
    stock: { column: 'stock', cast: 'int' },
    active: { column: 'active', cast: 'bool' },
    note: { column: 'note', cast: 'text' },
    nameSearch: { column: 'name_search', cast: 'text', hidden: true },
  },
  filter(q, p) {
    const where = activeFilter(q, p);
    if (typeof q.q === 'string') {
      const text = normalizeName(q.q);
      if (text !== '') where.push(`name_search LIKE ${p.add(`%${likeEscape(text)}%`)}`);
    }
    if (q.kind !== undefined) where.push(`kind = ${p.add(q.kind)}`);
    if (q.categoryId !== undefined) where.push(`category_id = ${p.add(q.categoryId, 'uuid')}`);
    if (q.onSale !== undefined) {
      const today = p.add(q.today, 'date');
      const on = `(active AND (sales_from IS NULL OR sales_from <= ${today}) AND (sales_until IS NULL OR sales_until >= ${today}))`;
      where.push(q.onSale === 'true' ? on : `NOT ${on}`);
    }
    return where;
  },
  async prepare(tx, input, current) {
    const next = merged(input, current);
    const out: Row = { ...input };
    if (next.salesFrom && next.salesUntil && String(next.salesUntil) < String(next.salesFrom)) {
      throw invalid('salesUntil', 'catalogue.sales_period');
    }
    if (input.categoryId)
      await mustExist(
        tx,
        'product_categories',
        [{ path: 'categoryId', id: input.categoryId as string }],
        'object.product_category',
      );
    const components = (input.components ?? (current?.components as Link[] | undefined) ?? []) as Link[];
    if (next.kind !== 'set' && components.length > 0) throw invalid('components', 'catalogue.components_not_set');
    for (const field of ['components', 'companions'] as const) {
      const links = input[field] as Link[] | undefined;
      if (!links) continue;
      const ids = links.map((l) => l.productId);
      const dup = ids.findIndex((x, i) => ids.indexOf(x) !== i);
      if (dup >= 0) throw invalid(`${field}.${dup}.productId`, 'catalogue.duplicate_product');
      await mustExist(
        tx,
        'products',
        links.map((l, i) => ({ path: `${field}.${i}.productId`, id: l.productId })),
        'object.product',
      );
      const sets = await tx.query<{ id: string }>(
        `SELECT id FROM products WHERE tenant_id = $1 AND id = ANY($2::uuid[]) AND kind = 'set'`,
        [tx.tenantId, ids],
      );
      const bad = links.findIndex((l) => l.productId === current?.id || sets.some((s) => s.id === l.productId));
      if (bad >= 0) throw invalid(`${field}.${bad}.productId`, 'catalogue.component_is_set');
    }
    if (input.code !== undefined || input.name !== undefined || input.nameKana !== undefined) {
      out.nameSearch = productSearchText(String(next.code), String(next.name), next.nameKana as string | null);
    }
    return out;
  },
  children: {
    fields: ['components', 'companions'],
    async load(tx, ids) {
      const rows = await tx.query<{
        id: string;
        relation: string;
        productId: string;
        code: string;
        name: string;
        quantity: number;
      }>(
        `SELECT c.product_id AS id, c.relation, c.component_id AS "productId", p.code, p.name, c.quantity
           FROM product_components c JOIN products p ON p.tenant_id = c.tenant_id AND p.id = c.component_id
          WHERE c.tenant_id = $1 AND c.product_id = ANY($2::uuid[]) ORDER BY upper(p.code)`,
        [tx.tenantId, ids],
      );
      const out = new Map<string, Row>();
      for (const r of rows) {
        const entry = out.get(r.id) ?? { components: [], companions: [] };
        const item = { productId: r.productId, code: r.code, name: r.name, quantity: r.quantity };
        (entry[r.relation === 'component' ? 'components' : 'companions'] as Row[]).push(item);
        out.set(r.id, entry);
      }
      return out;
    },
    async save(tx, id, input) {
      for (const [field, relation] of [
        ['components', 'component'],
        ['companions', 'companion'],
      ] as const) {
        const links = input[field] as Link[] | undefined;
        if (links === undefined) continue;
        await tx.query('DELETE FROM product_components WHERE tenant_id = $1 AND product_id = $2 AND relation = $3', [
          tx.tenantId,
          id,
          relation,
        ]);
        await tx.query(
          `INSERT INTO product_components (tenant_id, product_id, component_id, relation, quantity)
           SELECT $1, $2, l.id, $3, l.q FROM unnest($4::uuid[], $5::int[]) AS l(id, q)`,
          [tx.tenantId, id, relation, links.map((l) => l.productId), links.map((l) => l.quantity)],
        );
      }
    },
  },
};

// ---------------------------------------------------------------------------------------------
export const origins: Master = {
  table: 'shipping_origins',
  object: 'object.shipping_origin',
  audit: 'shipping_origin',
  versioned: true,
  sortKey: 'code',
  conflictPath: 'code',
  columns: {
    code: { column: 'code', cast: 'text' },
    name: { column: 'name', cast: 'text' },
    shipperName: { column: 'shipper_name', cast: 'text' },
    shipperKana: { column: 'shipper_kana', cast: 'text' },
    postalCode: { column: 'postal_code', cast: 'text' },
    prefecture: { column: 'prefecture', cast: 'text' },
    city: { column: 'city', cast: 'text' },
    address1: { column: 'address1', cast: 'text' },
    address2: { column: 'address2', cast: 'text' },
    phone: { column: 'phone', cast: 'text' },
    defaultCarrier: { column: 'default_carrier', cast: 'text' },
    isDefault: { column: 'is_default', cast: 'bool' },
    active: { column: 'active', cast: 'bool' },
  },
  filter: (q, p) => [...codeOrName(q.q, p), ...activeFilter(q, p)],
  async prepare(tx, input, current) {
    const out: Row = { ...input };
    if (input.prefecture !== undefined) out.prefecture = prefectureOf(input.prefecture, 'prefecture');
    if (input.postalCode !== undefined) {
      const postal = normalizePostalCode(String(input.postalCode));
      if (!postal) throw invalid('postalCode', 'catalogue.invalid_postal_code');
      out.postalCode = postal;
    }
    const [other] = await tx.query<{ id: string }>(
      'SELECT id FROM shipping_origins WHERE tenant_id = $1 AND is_default AND id IS DISTINCT FROM $2::uuid',
      [tx.tenantId, current?.id ?? null],
    );
    // The first origin is the default; making another the default takes it from the old one.
    if (!current && !other) out.isDefault = true;
    if (out.isDefault === true && other) {
      await tx.query(
        'UPDATE shipping_origins SET is_default = false, version = version + 1, updated_at = now() WHERE tenant_id = $1 AND id = $2',
        [tx.tenantId, other.id],
      );
    }
    return out;
  },
};

// ---------------------------------------------------------------------------------------------
const carrierFilter = (q: Row, p: Params) => (q.carrier === undefined ? [] : [`carrier = ${p.add(q.carrier)}`]);

export const shippingFees: Master = {
  table: 'shipping_fees',
  object: 'object.shipping_fee',
  audit: 'shipping_fee',
  versioned: false,
  sortKey: `coalesce(carrier, '') || ' ' || coalesce(prefecture, '')`,
  conflictPath: 'prefecture',
  columns: {
    carrier: { column: 'carrier', cast: 'text' },
    prefecture: { column: 'prefecture', cast: 'text' },
    fee: { column: 'fee', cast: 'int' },
    freeThreshold: { column: 'free_threshold', cast: 'int' },
  },
  filter: (q, p) => carrierFilter(q, p),
  async prepare(_tx, input) {
    return input.prefecture === undefined
      ? input
      : { ...input, prefecture: prefectureOf(input.prefecture, 'prefecture') };
  },
};

export const leadDays: Master = {
  table: 'delivery_lead_days',
  object: 'object.delivery_lead_days',
  audit: 'delivery_lead_days',
  versioned: false,
  sortKey: `carrier || ' ' || prefecture || ' ' || coalesce(origin_id::text, '')`,
  conflictPath: 'prefecture',
  columns: {
    carrier: { column: 'carrier', cast: 'text' },
    originId: { column: 'origin_id', cast: 'uuid' },
    prefecture: { column: 'prefecture', cast: 'text' },
    days: { column: 'days', cast: 'int' },
  },
  filter: (q, p) => carrierFilter(q, p),
  async prepare(tx, input) {
    if (input.originId)
      await mustExist(
        tx,
        'shipping_origins',
        [{ path: 'originId', id: input.originId as string }],
        'object.shipping_origin',
      );
    return input.prefecture === undefined
      ? input
      : { ...input, prefecture: prefectureOf(input.prefecture, 'prefecture') };
  },
};

// ---------------------------------------------------------------------------------------------
type Bracket = { upTo: number | null; fee: number };

export const paymentMethods: Master = {
  table: 'payment_methods',
  object: 'object.payment_method',
  audit: 'payment_method',
  versioned: true,
  sortKey: sortedKey(),
  conflictPath: 'code',
  columns: {
    code: { column: 'code', cast: 'text' },
    name: { column: 'name', cast: 'text' },
    kind: { column: 'kind', cast: 'text' },
    fee: { column: 'fee', cast: 'int' },
    dueDays: { column: 'due_days', cast: 'int' },
    sortOrder: { column: 'sort_order', cast: 'int' },
    active: { column: 'active', cast: 'bool' },
  },
  filter: (q, p) => [...codeOrName(q.q, p), ...activeFilter(q, p)],
  async prepare(_tx, input) {
    const brackets = input.brackets as Bracket[] | undefined;
    if (brackets) {
      brackets.forEach((b, i) => {
        const prev = brackets[i - 1];
        const openNotLast = b.upTo === null && i !== brackets.length - 1;
        const notAscending = prev !== undefined && (prev.upTo === null || (b.upTo !== null && b.upTo <= prev.upTo));
        if (openNotLast || notAscending) throw invalid(`brackets.${i}.upTo`, 'catalogue.brackets');
      });
    }
    return input;
  },
  children: {
    fields: ['brackets'],
    async load(tx, ids) {
      const rows = await tx.query<{ id: string; upTo: number | null; fee: number }>(
        `SELECT payment_method_id AS id, up_to AS "upTo", fee FROM payment_fee_brackets
          WHERE tenant_id = $1 AND payment_method_id = ANY($2::uuid[]) ORDER BY coalesce(up_to, 2147483647)`,
        [tx.tenantId, ids],
      );
      return group(rows, (r) => ({ upTo: r.upTo, fee: r.fee }), 'brackets');
    },
    async save(tx, id, input) {
      const brackets = input.brackets as Bracket[] | undefined;
      if (brackets === undefined) return;
      await tx.query('DELETE FROM payment_fee_brackets WHERE tenant_id = $1 AND payment_method_id = $2', [
        tx.tenantId,
        id,
      ]);
      await tx.query(
        `INSERT INTO payment_fee_brackets (tenant_id, payment_method_id, up_to, fee)
         SELECT $1, $2, b.up_to, b.fee FROM unnest($3::int[], $4::int[]) AS b(up_to, fee)`,
        [tx.tenantId, id, brackets.map((b) => b.upTo), brackets.map((b) => b.fee)],
      );
    },
  },
};

// ---------------------------------------------------------------------------------------------
type Present = { triggerProductId: string | null; presentProductId: string; quantity: number };

export const campaigns: Master = {
  table: 'campaigns',
  object: 'object.campaign',
  audit: 'campaign',
  versioned: true,
  sortKey: 'upper(code)',
  conflictPath: 'code',
  columns: {
    code: { column: 'code', cast: 'text' },
    name: { column: 'name', cast: 'text' },
    startsOn: { column: 'starts_on', cast: 'date' },
    endsOn: { column: 'ends_on', cast: 'date' },
    automatic: { column: 'automatic', cast: 'bool' },
    adMediumId: { column: 'ad_medium_id', cast: 'uuid' },
    rankId: { column: 'rank_id', cast: 'uuid' },
    firstOrderOnly: { column: 'first_order_only', cast: 'bool' },
    minAmount: { column: 'min_amount', cast: 'int' },
    freeShipping: { column: 'free_shipping', cast: 'bool' },
    discountAmount: { column: 'discount_amount', cast: 'int' },
    active: { column: 'active', cast: 'bool' },
    note: { column: 'note', cast: 'text' },
  },
  filter(q, p) {
    const where = [...codeOrName(q.q, p), ...activeFilter(q, p)];
    if (q.on !== undefined) {
      const on = p.add(q.on, 'date');
      where.push(`starts_on <= ${on} AND ends_on >= ${on}`);
    }
    return where;
  },
  async prepare(tx, input, current) {
    const next = merged(input, current);
    if (String(next.endsOn) < String(next.startsOn)) throw invalid('endsOn', 'catalogue.campaign_period');
    if (input.adMediumId)
      await mustExist(tx, 'ad_media', [{ path: 'adMediumId', id: input.adMediumId as string }], 'object.ad_medium');
    if (input.rankId) await mustExist(tx, 'ranks', [{ path: 'rankId', id: input.rankId as string }], 'object.rank');
    const prices = input.prices as { productId: string }[] | undefined;
    if (prices) {
      const ids = prices.map((x) => x.productId);
      const dup = ids.findIndex((x, i) => ids.indexOf(x) !== i);
      if (dup >= 0) throw invalid(`prices.${dup}.productId`, 'catalogue.duplicate_product');
      await mustExist(
        tx,
        'products',
        prices.map((x, i) => ({ path: `prices.${i}.productId`, id: x.productId })),
        'object.product',
      );
    }
    const presents = input.presents as Present[] | undefined;
    if (presents) {
      await mustExist(
        tx,
        'products',
        presents.flatMap((x, i) => [
          { path: `presents.${i}.triggerProductId`, id: x.triggerProductId },
          { path: `presents.${i}.presentProductId`, id: x.presentProductId },
        ]),
        'object.product',
      );
    }
    return input;
  },
  children: {
    fields: ['prices', 'presents'],
    async load(tx: TenantTx, ids: string[]) {
      const prices = await tx.query<{ id: string; productId: string; code: string; name: string; unitPrice: number }>(
        `SELECT c.campaign_id AS id, c.product_id AS "productId", p.code, p.name, c.unit_price AS "unitPrice"
           FROM campaign_prices c JOIN products p ON p.tenant_id = c.tenant_id AND p.id = c.product_id
          WHERE c.tenant_id = $1 AND c.campaign_id = ANY($2::uuid[]) ORDER BY upper(p.code)`,
        [tx.tenantId, ids],
      );
      const presents = await tx.query<
        Present & { id: string; presentId: string; presentCode: string; presentName: string }
      >(
        `SELECT c.campaign_id AS id, c.id AS "presentId", c.trigger_product_id AS "triggerProductId",
                c.present_product_id AS "presentProductId", p.code AS "presentCode", p.name AS "presentName", c.quantity
           FROM campaign_presents c JOIN products p ON p.tenant_id = c.tenant_id AND p.id = c.present_product_id
          WHERE c.tenant_id = $1 AND c.campaign_id = ANY($2::uuid[]) ORDER BY upper(p.code), c.id`,
        [tx.tenantId, ids],
      );
      const out = new Map<string, Row>();
      const entry = (id: string) => {
        const e = out.get(id) ?? { prices: [], presents: [] };
        out.set(id, e);
        return e;
      };
      for (const r of prices)
        (entry(r.id).prices as Row[]).push({
          productId: r.productId,
          code: r.code,
          name: r.name,
          unitPrice: r.unitPrice,
        });
      for (const r of presents) {
        (entry(r.id).presents as Row[]).push({
          id: r.presentId,
          triggerProductId: r.triggerProductId,
          presentProductId: r.presentProductId,
          presentCode: r.presentCode,
          presentName: r.presentName,
          quantity: r.quantity,
        });
      }
      return out;
    },
    async save(tx, id, input) {
      const prices = input.prices as { productId: string; unitPrice: number }[] | undefined;
      if (prices !== undefined) {
        await tx.query('DELETE FROM campaign_prices WHERE tenant_id = $1 AND campaign_id = $2', [tx.tenantId, id]);
        await tx.query(
          `INSERT INTO campaign_prices (tenant_id, campaign_id, product_id, unit_price)
           SELECT $1, $2, x.id, x.price FROM unnest($3::uuid[], $4::int[]) AS x(id, price)`,
          [tx.tenantId, id, prices.map((x) => x.productId), prices.map((x) => x.unitPrice)],
        );
      }
      const presents = input.presents as Present[] | undefined;
      if (presents !== undefined) {
        await tx.query('DELETE FROM campaign_presents WHERE tenant_id = $1 AND campaign_id = $2', [tx.tenantId, id]);
        await tx.query(
          `INSERT INTO campaign_presents (tenant_id, campaign_id, trigger_product_id, present_product_id, quantity)
           SELECT $1, $2, x.t, x.p, x.q FROM unnest($3::uuid[], $4::uuid[], $5::int[]) AS x(t, p, q)`,
          [
            tx.tenantId,
            id,
            presents.map((x) => x.triggerProductId),
            presents.map((x) => x.presentProductId),
            presents.map((x) => x.quantity),
          ],
        );
      }
    },
  },
};

// ---------------------------------------------------------------------------------------------
export const reasons: Master = {
  table: 'reasons',
  object: 'object.reason',
  audit: 'reason',
  versioned: false,
  sortKey: sortedKey(`kind || ':' || `),
  conflictPath: 'code',
  columns: {
    kind: { column: 'kind', cast: 'text' },
    code: { column: 'code', cast: 'text' },
    name: { column: 'name', cast: 'text' },
    sortOrder: { column: 'sort_order', cast: 'int' },
    active: { column: 'active', cast: 'bool' },
  },
  filter(q, p) {
    const where = [...codeOrName(q.q, p), ...activeFilter(q, p)];
    if (q.kind !== undefined) where.push(`kind = ${p.add(q.kind)}`);
    return where;
  },
};
