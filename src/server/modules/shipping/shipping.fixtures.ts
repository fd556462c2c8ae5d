// Test fixtures: a tenant's shipper, carrier contract, products, a customer and orders written with
// plain SQL (the orders module's POST /orders is built in parallel; these rows follow 0008_orders).
import { randomUUID } from 'node:crypto';
import type { Database } from '../../db/database.js';
import type { TestApp, TestTenant } from '../../test/harness.js';

export type Fixture = {
  tenant: TestTenant;
  customerId: string;
  products: { tea: string; snack: string };
  originId: string;
};

type LineInput = {
  productId: string;
  code: string;
  name: string;
  quantity: number;
  unitPrice: number;
  taxRate: 8 | 10;
};

export type OrderInput = {
  number: number;
  carrier?: 'yamato' | 'sagawa' | 'japanpost';
  shipDate?: string;
  status?: string;
  timeSlot?: string | null;
  desiredDeliveryDate?: string | null;
  paymentKind?: string | null;
  shipName?: string;
  shipKana?: string | null;
  shipPostalCode?: string | null;
  shipPrefecture?: string | null;
  shipCity?: string | null;
  shipAddress1?: string | null;
  shipAddress2?: string | null;
  shipCompany?: string | null;
  shipPhone?: string | null;
  trackingNumber?: string | null;
  lines?: LineInput[];
  originId?: string | null;
};

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

/** A shipper (default origin), carrier codes for all three carriers, two products and a customer. */
export async function setupFixture(app: TestApp, db: Database, tenant: TestTenant): Promise<Fixture> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/customers',
    headers: auth(tenant.adminToken),
    payload: {
      name: '山田 花子',
      nameKana: 'ヤマダ ハナコ',
      postalCode: '150-0001',
      prefecture: '東京都',
      city: '渋谷区',
    },
  });
  if (res.statusCode !== 201) throw new Error(`customer: ${res.statusCode} ${res.body}`);
  const customerId = res.json().id as string;
  const tea = randomUUID();
  const snack = randomUUID();
  const originId = randomUUID();
  await db.withTenant(tenant.tenantId, async (tx) => {
    await tx.query(
      `INSERT INTO products (tenant_id, id, code, name, name_search, tax_rate, unit_price) VALUES
         ($1, $2, 'TEA-01', '有機緑茶ティーバッグ', 'tea', 10, 1080), ($1, $3, 'SNK-08', '国産黒豆しぼり豆', 'snack', 8, 540)`,
      [tenant.tenantId, tea, snack],
    );
    await tx.query(
      `INSERT INTO shipping_origins (tenant_id, id, code, name, shipper_name, shipper_kana, postal_code, prefecture,
         city, address1, address2, phone, is_default)
       VALUES ($1, $2, 'MAIN', '本社倉庫', '窓口通販株式会社', 'マドグチツウハン', '530-0001', '大阪府', '大阪市北区',
         '梅田1-2-3', '窓口ビル5F', '06-1234-5678', true)`,
      [tenant.tenantId, originId],
    );
    await tx.query(
      `INSERT INTO carrier_accounts (tenant_id, carrier, account) VALUES
         ($1, 'yamato', '{"customerCode":"0612345678","classCode":"001","freightNumber":"01"}'),
         ($1, 'sagawa', '{"customerCode":"123456789012"}'),
         ($1, 'japanpost', '{"customerNumber":"98765"}')`,
      [tenant.tenantId],
    );
  });
  return { tenant, customerId, products: { tea, snack }, originId };
}

/** An order as the order desk would have written it (prices tax included, floor rounding). */
export async function insertOrder(db: Database, f: Fixture, o: OrderInput): Promise<{ id: string; number: number }> {
  const id = randomUUID();
  const lines = o.lines ?? [
    {
      productId: f.products.tea,
      code: 'TEA-01',
      name: '有機緑茶ティーバッグ',
      quantity: 2,
      unitPrice: 1080,
      taxRate: 10,
    },
    { productId: f.products.snack, code: 'SNK-08', name: '国産黒豆しぼり豆', quantity: 1, unitPrice: 540, taxRate: 8 },
  ];
  const byRate = new Map<number, number>();
  for (const l of lines) byRate.set(l.taxRate, (byRate.get(l.taxRate) ?? 0) + l.unitPrice * l.quantity);
  const taxes = [...byRate].map(([rate, taxableAmount]) => ({
    rate,
    taxableAmount,
    tax: Math.floor((taxableAmount * rate) / (100 + rate)),
  }));
  const subtotal = lines.reduce((n, l) => n + l.unitPrice * l.quantity, 0);
  const taxTotal = taxes.reduce((n, t) => n + t.tax, 0);
  const shipDate = o.shipDate ?? '2025-04-10';
  const v = (key: keyof OrderInput, fallback: unknown) => (key in o ? o[key] : fallback);
  await db.withTenant(f.tenant.tenantId, async (tx) => {
    await tx.query(
      `INSERT INTO orders (tenant_id, id, number, customer_id, status, ordered_at, order_date, ship_date,
         desired_delivery_date, carrier, time_slot, origin_id, ship_name, ship_kana, ship_postal_code, ship_prefecture,
         ship_city, ship_address1, ship_address2, ship_company, ship_phone, payment_kind, price_mode, rounding,
         subtotal, taxes, tax_total, total, tracking_number)
       VALUES ($1, $2, $3, $4, $5, $6::date + time '10:00', $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
         $18, $19, $20, $21, 'included', 'floor', $22, $23::jsonb, $24, $22, $25)`,
      [
        f.tenant.tenantId,
        id,
        o.number,
        f.customerId,
        o.status ?? 'received',
        '2025-04-08',
        shipDate,
        v('desiredDeliveryDate', null),
        o.carrier ?? 'yamato',
        v('timeSlot', null),
        v('originId', f.originId),
        o.shipName ?? '山田 花子',
        v('shipKana', 'ヤマダ ハナコ'),
        v('shipPostalCode', '150-0001'),
        v('shipPrefecture', '東京都'),
        v('shipCity', '渋谷区'),
        v('shipAddress1', '神宮前1-1-1'),
        v('shipAddress2', null),
        v('shipCompany', null),
        v('shipPhone', '03-1234-5678'),
        v('paymentKind', 'card'),
        subtotal,
        JSON.stringify(taxes),
        taxTotal,
        v('trackingNumber', null),
      ],
    );
    for (const [i, l] of lines.entries()) {
      await tx.query(
        `INSERT INTO order_lines (tenant_id, order_id, line_no, product_id, product_code, product_name, quantity,
           unit_price, amount, tax_rate) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [
          f.tenant.tenantId,
          id,
          i + 1,
          l.productId,
          l.code,
          l.name,
          l.quantity,
          l.unitPrice,
          l.unitPrice * l.quantity,
          l.taxRate,
        ],
      );
    }
  });
  return { id, number: o.number };
}

/** The standard day used by the golden files: two good parcels, one held back, three not of the day. */
export async function standardDay(db: Database, f: Fixture, carrier: 'yamato' | 'sagawa' | 'japanpost') {
  const slot = { yamato: '0812', sagawa: '12', japanpost: '51' }[carrier];
  const good = await insertOrder(db, f, { number: 1001, carrier, timeSlot: slot, desiredDeliveryDate: '2025-04-12' });
  const cod = await insertOrder(db, f, {
    number: 1002,
    carrier,
    paymentKind: 'cod',
    shipName: '髙橋 一郎',
    shipKana: 'たかはし いちろう',
    shipPostalCode: '060-0001',
    shipPrefecture: '北海道',
    shipCity: '札幌市中央区',
    shipAddress1: '北一条西2丁目1番地',
    shipAddress2: 'サッポロハイツ302',
    shipCompany: '株式会社北の窓口',
    shipPhone: '０１１－２２２－３３３３',
    lines: [
      {
        productId: f.products.tea,
        code: 'TEA-01',
        name: '有機緑茶ティーバッグ徳用大容量パック百袋入り静岡県産一番茶使用',
        quantity: 3,
        unitPrice: 1080,
        taxRate: 10,
      },
    ],
  });
  const noPhone = await insertOrder(db, f, { number: 1003, carrier, shipPhone: null });
  await insertOrder(db, f, { number: 1004, carrier, shipDate: '2025-04-11' });
  await insertOrder(db, f, { number: 1005, carrier: carrier === 'yamato' ? 'sagawa' : 'yamato' });
  await insertOrder(db, f, { number: 1006, carrier, status: 'cancelled' });
  return { good, cod, noPhone };
}
