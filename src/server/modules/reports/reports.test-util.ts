// Fixtures for the report tests: masters and orders written with SQL as the application role in
// the tenant (RLS applies; the summary triggers fire as they do for the orders module).
import { randomUUID } from 'node:crypto';
import type { Database, TenantTx } from '../../db/database.js';

export type LineFixture = {
  productId: string;
  quantity: number;
  unitPrice: number;
  taxRate?: 8 | 10;
  unitCost?: number;
  kind?: 'item' | 'present' | 'component';
  returnedQuantity?: number;
};

export type OrderFixture = {
  customerId: string;
  orderDate: string;
  shipDate: string;
  carrier?: 'yamato' | 'sagawa' | 'japanpost';
  prefecture?: string | null;
  adMediumId?: string | null;
  staffId?: string | null;
  status?: 'received' | 'instructed' | 'shipped' | 'completed' | 'cancelled' | 'returned';
  priceMode?: 'included' | 'excluded';
  subtotal: number;
  discount?: number;
  shippingFee?: number;
  paymentFee?: number;
  taxTotal: number;
  total: number;
  costTotal: number;
  lines: LineFixture[];
};

export function fixtures(db: Database, tenantId: string) {
  const tx = <T>(fn: (t: TenantTx) => Promise<T>) => db.withTenant(tenantId, fn);
  let seq = 0;
  return {
    async customer(name: string): Promise<string> {
      const rows = await tx((t) =>
        t.query<{ id: string }>(
          `INSERT INTO customers (tenant_id, seq, name, name_search)
           VALUES ($1, (SELECT coalesce(max(seq), 0) + 1 FROM customers WHERE tenant_id = $1), $2, $2) RETURNING id`,
          [tenantId, name],
        ),
      );
      return (rows[0] as { id: string }).id;
    },
    async category(code: string, name: string): Promise<string> {
      const rows = await tx((t) =>
        t.query<{ id: string }>(
          'INSERT INTO product_categories (tenant_id, code, name) VALUES ($1, $2, $3) RETURNING id',
          [tenantId, code, name],
        ),
      );
      return (rows[0] as { id: string }).id;
    },
    async product(code: string, name: string, opts: { categoryId?: string; kind?: string } = {}): Promise<string> {
      const rows = await tx((t) =>
        t.query<{ id: string }>(
          `INSERT INTO products (tenant_id, code, name, name_search, category_id, kind, tax_rate, unit_price)
           VALUES ($1, $2, $3, $3, $4, $5, 10, 1000) RETURNING id`,
          [tenantId, code, name, opts.categoryId ?? null, opts.kind ?? 'normal'],
        ),
      );
      return (rows[0] as { id: string }).id;
    },
    /** An ad medium created on `createdAt` (its monthly cost applies from that month). */
    async adMedium(code: string, name: string, monthlyCost = 0, createdAt = '2024-01-01T00:00:00+09:00') {
      const rows = await tx((t) =>
        t.query<{ id: string }>(
          `INSERT INTO ad_media (tenant_id, code, name, monthly_cost, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
          [tenantId, code, name, monthlyCost, createdAt],
        ),
      );
      return (rows[0] as { id: string }).id;
    },
    async adCost(adMediumId: string, month: string, cost: number): Promise<void> {
      await tx((t) =>
        t.query('INSERT INTO ad_media_costs (tenant_id, ad_medium_id, month, cost) VALUES ($1, $2, $3, $4)', [
          tenantId,
          adMediumId,
          month,
          cost,
        ]),
      );
    },
    /** An order and its lines in one transaction (two statements, as the orders module writes them). */
    async order(o: OrderFixture): Promise<string> {
      const id = randomUUID();
      seq++;
      await tx(async (t) => {
        await t.query(
          `INSERT INTO orders (tenant_id, id, number, customer_id, status, ordered_at, order_date, ship_date, carrier,
                               ship_name, ship_prefecture, ad_medium_id, staff_id, price_mode, rounding, subtotal,
                               discount, shipping_fee, payment_fee, taxes, tax_total, total, cost_total)
           VALUES ($1, $2, (SELECT coalesce(max(number), 0) + 1 FROM orders WHERE tenant_id = $1), $3, $4,
                   ($5::date + time '10:00') AT TIME ZONE 'Asia/Tokyo', $5, $6, $7, 'テスト 様', $8, $9, $10, $11, 'floor',
                   $12, $13, $14, $15, '[]', $16, $17, $18)`,
          [
            tenantId,
            id,
            o.customerId,
            o.status ?? 'received',
            o.orderDate,
            o.shipDate,
            o.carrier ?? 'yamato',
            o.prefecture === undefined ? '東京都' : o.prefecture,
            o.adMediumId ?? null,
            o.staffId ?? null,
            o.priceMode ?? 'excluded',
            o.subtotal,
            o.discount ?? 0,
            o.shippingFee ?? 0,
            o.paymentFee ?? 0,
            o.taxTotal,
            o.total,
            o.costTotal,
          ],
        );
        const ls = o.lines;
        await t.query(
          `INSERT INTO order_lines (tenant_id, order_id, line_no, kind, product_id, product_code, product_name, quantity,
                                    unit_price, amount, tax_rate, unit_cost, returned_quantity)
           SELECT $1, $2, n, kind, product_id, 'CODE', '商品', quantity, unit_price, quantity * unit_price, tax_rate,
                  unit_cost, returned
             FROM unnest($3::text[], $4::uuid[], $5::int[], $6::int[], $7::smallint[], $8::int[], $9::int[])
                  WITH ORDINALITY AS x(kind, product_id, quantity, unit_price, tax_rate, unit_cost, returned, n)`,
          [
            tenantId,
            id,
            ls.map((l) => l.kind ?? 'item'),
            ls.map((l) => l.productId),
            ls.map((l) => l.quantity),
            ls.map((l) => l.unitPrice),
            ls.map((l) => l.taxRate ?? 10),
            ls.map((l) => l.unitCost ?? 0),
            ls.map((l) => l.returnedQuantity ?? 0),
          ],
        );
      });
      return id;
    },
    /** Runs SQL in the tenant (an order's later changes: cancel, return, edit). */
    async sql<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
      return tx((t) => t.query<T & Record<string, unknown>>(text, params));
    },
    async compact(): Promise<number> {
      const rows = await tx((t) =>
        t.query<{ n: number }>('SELECT report_compact() + report_compact_customer_periods() AS n'),
      );
      return Number(rows[0]?.n ?? 0);
    },
    get ordersMade() {
      return seq;
    },
  };
}
