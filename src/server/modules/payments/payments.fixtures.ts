// Test fixtures for payments and returns: customers through the API (their kana searchable as the
// app keeps it), products, payment methods, reasons and orders written with plain SQL (rows as
// 0008_orders.sql describes them, prices tax included, no shipping fee: total = Σ lines).
import { randomUUID } from 'node:crypto';
import type { Database } from '../../db/database.js';
import type { TestApp, TestTenant } from '../../test/harness.js';
import { recordPurchase } from '../ranks/ranks.stats.js';

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export type FixtureLine = { productId: string; quantity: number; unitPrice: number; taxRate?: 8 | 10 };

export type FixtureOrder = {
  customerId: string;
  number: number;
  lines?: FixtureLine[];
  status?: 'received' | 'instructed' | 'shipped' | 'completed' | 'cancelled' | 'returned';
  paymentKind?: 'cod' | 'bank_transfer' | 'card' | 'deferred' | 'convenience' | 'other';
  paymentMethodId?: string | null;
  orderDate?: string;
  trackingNumber?: string | null;
  priceMode?: 'included' | 'excluded';
  /** Count the order in the customer's purchase statistics, as the orders module does. */
  countPurchase?: boolean;
};

export function paymentsFixture(app: TestApp, db: Database, tenant: TestTenant) {
  const t = tenant.tenantId;
  return {
    tenant,
    async customer(name: string, nameKana: string, emails: string[] = []): Promise<string> {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/customers',
        headers: bearer(tenant.adminToken),
        payload: {
          name,
          nameKana,
          emails,
          postalCode: '150-0001',
          prefecture: '東京都',
          city: '渋谷区',
          address1: '神宮前1-1-1',
        },
      });
      if (res.statusCode !== 201) throw new Error(`customer: ${res.statusCode} ${res.body}`);
      return res.json().id as string;
    },
    async product(
      code: string,
      opts: { price?: number; taxRate?: 8 | 10; stock?: number | null } = {},
    ): Promise<string> {
      const id = randomUUID();
      await db.withTenant(t, (tx) =>
        tx.query(
          `INSERT INTO products (tenant_id, id, code, name, name_search, tax_rate, unit_price, stock)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [t, id, code, `商品${code}`, code.toLowerCase(), opts.taxRate ?? 10, opts.price ?? 1000, opts.stock ?? null],
        ),
      );
      return id;
    },
    async stock(productId: string): Promise<number | null> {
      const [row] = await db.withTenant(t, (tx) =>
        tx.query<{ stock: number | null }>('SELECT stock FROM products WHERE tenant_id = $1 AND id = $2', [
          t,
          productId,
        ]),
      );
      return row?.stock ?? null;
    },
    async paymentMethod(code: string, kind: string, dueDays: number | null): Promise<string> {
      const id = randomUUID();
      await db.withTenant(t, (tx) =>
        tx.query(
          'INSERT INTO payment_methods (tenant_id, id, code, name, kind, due_days) VALUES ($1, $2, $3, $4, $5, $6)',
          [t, id, code, `支払${code}`, kind, dueDays],
        ),
      );
      return id;
    },
    async reason(kind: 'cancel' | 'return', code: string, name: string): Promise<string> {
      const id = randomUUID();
      await db.withTenant(t, (tx) =>
        tx.query('INSERT INTO reasons (tenant_id, id, kind, code, name) VALUES ($1, $2, $3, $4, $5)', [
          t,
          id,
          kind,
          code,
          name,
        ]),
      );
      return id;
    },
    async order(o: FixtureOrder): Promise<{ id: string; number: number; total: number }> {
      const id = randomUUID();
      const lines = o.lines ?? [{ productId: await this.product(`P${o.number}`), quantity: 1, unitPrice: 5800 }];
      const mode = o.priceMode ?? 'included';
      const byRate = new Map<number, number>();
      for (const l of lines) byRate.set(l.taxRate ?? 10, (byRate.get(l.taxRate ?? 10) ?? 0) + l.unitPrice * l.quantity);
      const taxes = [...byRate].map(([rate, taxableAmount]) => ({
        rate,
        taxableAmount,
        tax: Math.floor((taxableAmount * rate) / (mode === 'included' ? 100 + rate : 100)),
      }));
      const subtotal = lines.reduce((n, l) => n + l.unitPrice * l.quantity, 0);
      const taxTotal = taxes.reduce((n, x) => n + x.tax, 0);
      const total = mode === 'included' ? subtotal : subtotal + taxTotal;
      const orderDate = o.orderDate ?? '2025-05-20';
      await db.withTenant(t, async (tx) => {
        await tx.query(
          `INSERT INTO orders (tenant_id, id, number, customer_id, status, ordered_at, order_date, ship_date, carrier, ship_name,
             payment_kind, payment_method_id, price_mode, rounding, subtotal, taxes, tax_total, total, tracking_number)
           VALUES ($1, $2, $3, $4, $5, $6::date + time '10:00' - interval '9 hours', $6, $6, 'yamato', '宛名', $7, $8, $9, 'floor',
             $10, $11::jsonb, $12, $13, $14)`,
          [
            t,
            id,
            o.number,
            o.customerId,
            o.status ?? 'shipped',
            orderDate,
            o.paymentKind ?? 'bank_transfer',
            o.paymentMethodId ?? null,
            mode,
            subtotal,
            JSON.stringify(taxes),
            taxTotal,
            total,
            o.trackingNumber ?? null,
          ],
        );
        for (const [i, l] of lines.entries()) {
          await tx.query(
            `INSERT INTO order_lines (tenant_id, order_id, line_no, product_id, product_code, product_name, quantity, unit_price,
               amount, tax_rate) VALUES ($1, $2, $3, $4, 'X', '商品', $5, $6, $7, $8)`,
            [t, id, i + 1, l.productId, l.quantity, l.unitPrice, l.unitPrice * l.quantity, l.taxRate ?? 10],
          );
        }
        if (o.countPurchase) await recordPurchase(tx, o.customerId, total, new Date(`${orderDate}T01:00:00Z`));
      });
      return { id, number: o.number, total };
    },
    async paid(orderId: string): Promise<number> {
      const [row] = await db.withTenant(t, (tx) =>
        tx.query<{ paid_amount: number }>('SELECT paid_amount FROM orders WHERE tenant_id = $1 AND id = $2', [
          t,
          orderId,
        ]),
      );
      return row?.paid_amount ?? Number.NaN;
    },
    async count(table: 'payments' | 'statement_lines' | 'payment_imports' | 'returns'): Promise<number> {
      const [row] = await db.withTenant(t, (tx) => tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`));
      return row?.n ?? 0;
    },
  };
}
export type PaymentsFixture = ReturnType<typeof paymentsFixture>;
