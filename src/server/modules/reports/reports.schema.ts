// Sales reports (集計): query parameters and JSON rows. Each report answers `{ rows, total }`
// (camelCase, integer yen); `format=csv|xlsx` answers the same rows as a file.
import { z } from 'zod';

export const CARRIERS = ['yamato', 'sagawa', 'japanpost'] as const;

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, 'invalid date');

/** What every report takes: the period (both days included, at most two years) and the file format. */
const base = {
  from: isoDate,
  to: isoDate,
  format: z.enum(['json', 'csv', 'xlsx']).default('json'),
  /** CSV only: Shift_JIS (CP932, for Excel) or UTF-8 with a BOM. */
  encoding: z.enum(['sjis', 'utf8bom']).default('sjis'),
};
const carrier = z.enum(CARRIERS).optional();
const adMediumId = z.uuid().optional();
const staffId = z.uuid().optional();
const groupBy = z.enum(['prefecture', 'region']).default('prefecture');

export const adShipmentsQuery = z.object({ ...base, carrier, staffId });
export const productShipmentsQuery = z.object({ ...base, carrier, categoryId: z.uuid().optional() });
export const regionShipmentsQuery = z.object({ ...base, carrier, groupBy });
export const customerSalesQuery = z.object({
  ...base,
  /** JSON: the page size (top N on the first page); files: how many of the best customers (≤ 100,000). */
  limit: z.coerce.number().int().min(1).max(100_000).optional(),
  cursor: z.string().max(500).optional(),
});
export const regionSalesShippingQuery = z.object({ ...base, carrier, groupBy });
export const adMonthlyQuery = z.object({ ...base, carrier, adMediumId, staffId });
export const staffSalesQuery = z.object({ ...base, carrier, adMediumId });

export type BaseQuery = z.infer<typeof adShipmentsQuery>;

const count = z.number().int();
const yen = z.number().int();
const ratio = z.number().nullable();

export const adShipmentRow = z.object({
  adMediumId: z.uuid().nullable(),
  adMediumCode: z.string().nullable(),
  adMediumName: z.string().nullable(),
  orders: count,
  units: count,
});
export const productShipmentRow = z.object({
  productId: z.uuid(),
  productCode: z.string(),
  productName: z.string(),
  categoryId: z.uuid().nullable(),
  categoryName: z.string().nullable(),
  units: count,
  amount: yen,
});
export const regionShipmentRow = z.object({
  /** null: grouped by region, or an order without a prefecture. */
  prefecture: z.string().nullable(),
  region: z.string().nullable(),
  orders: count,
  units: count,
});
export const customerSalesRow = z.object({
  rank: count,
  customerId: z.uuid(),
  customerCode: z.string().nullable(),
  customerName: z.string().nullable(),
  orders: count,
  sales: yen,
});
export const regionSalesShippingRow = z.object({
  prefecture: z.string().nullable(),
  region: z.string().nullable(),
  orders: count,
  sales: yen,
  shippingFee: yen,
  /** shippingFee / sales. */
  shippingRatio: ratio,
  averageShippingFee: yen.nullable(),
});
export const adMonthlyRow = z.object({
  month: z.string(),
  adMediumId: z.uuid().nullable(),
  adMediumCode: z.string().nullable(),
  adMediumName: z.string().nullable(),
  orders: count,
  sales: yen,
  cost: yen,
  /** cost / orders (yen, rounded); null without orders. */
  cpo: yen.nullable(),
  /** sales / cost; null without cost. */
  roas: ratio,
});
export const staffSalesRow = z.object({
  staffId: z.uuid().nullable(),
  staffName: z.string().nullable(),
  orders: count,
  units: count,
  sales: yen,
  averageOrderValue: yen.nullable(),
});
export const staffGrossProfitRow = z.object({
  staffId: z.uuid().nullable(),
  staffName: z.string().nullable(),
  orders: count,
  sales: yen,
  salesExTax: yen,
  cost: yen,
  grossProfit: yen,
  /** grossProfit / salesExTax. */
  margin: ratio,
});

export const adShipmentsResult = z.object({
  rows: z.array(adShipmentRow),
  total: z.object({ orders: count, units: count }),
});
export const productShipmentsResult = z.object({
  rows: z.array(productShipmentRow),
  total: z.object({ units: count, amount: yen }),
});
export const regionShipmentsResult = z.object({
  rows: z.array(regionShipmentRow),
  total: z.object({ orders: count, units: count }),
});
export const customerSalesResult = z.object({
  rows: z.array(customerSalesRow),
  total: z.object({ customers: count, orders: count, sales: yen }),
  nextCursor: z.string().nullable(),
});
export const regionSalesShippingResult = z.object({
  rows: z.array(regionSalesShippingRow),
  total: z.object({
    orders: count,
    sales: yen,
    shippingFee: yen,
    shippingRatio: ratio,
    averageShippingFee: yen.nullable(),
  }),
});
export const adMonthlyResult = z.object({
  rows: z.array(adMonthlyRow),
  total: z.object({ orders: count, sales: yen, cost: yen, cpo: yen.nullable(), roas: ratio }),
});
export const staffSalesResult = z.object({
  rows: z.array(staffSalesRow),
  total: z.object({ orders: count, units: count, sales: yen, averageOrderValue: yen.nullable() }),
});
export const staffGrossProfitResult = z.object({
  rows: z.array(staffGrossProfitRow),
  total: z.object({
    orders: count,
    sales: yen,
    salesExTax: yen,
    cost: yen,
    grossProfit: yen,
    margin: ratio,
  }),
});

export type AdShipmentsResult = z.infer<typeof adShipmentsResult>;
export type ProductShipmentsResult = z.infer<typeof productShipmentsResult>;
export type RegionShipmentsResult = z.infer<typeof regionShipmentsResult>;
export type CustomerSalesResult = z.infer<typeof customerSalesResult>;
export type RegionSalesShippingResult = z.infer<typeof regionSalesShippingResult>;
export type AdMonthlyResult = z.infer<typeof adMonthlyResult>;
export type StaffSalesResult = z.infer<typeof staffSalesResult>;
export type StaffGrossProfitResult = z.infer<typeof staffGrossProfitResult>;
