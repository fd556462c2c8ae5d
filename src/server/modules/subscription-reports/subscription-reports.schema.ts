// 定期 retention reports (issue 6): query parameters and JSON answers. Every report takes a period
// (both days included, at most two years), optional filters (ad medium, first product) and a
// format; `format=csv|xlsx` answers the same figures as a file (subscription-reports.files.ts).
import { z } from 'zod';

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, 'invalid date');

const base = {
  from: isoDate,
  to: isoDate,
  /** Only the subscriptions that came from this ad medium. */
  adMediumId: z.uuid().optional(),
  /** Only the subscriptions whose first product (delivery 1's first item) is this one. */
  productId: z.uuid().optional(),
  format: z.enum(['json', 'csv', 'xlsx']).default('json'),
  /** CSV only: Shift_JIS (CP932, for Excel) or UTF-8 with a BOM. */
  encoding: z.enum(['sjis', 'utf8bom']).default('sjis'),
};

export const CONTINUATION_BY = ['nth', 'cohort', 'ad', 'product'] as const;
export type ContinuationBy = (typeof CONTINUATION_BY)[number];
export const CANCELLATION_TABLES = ['reasons', 'deliveries', 'products'] as const;
export type CancellationTable = (typeof CANCELLATION_TABLES)[number];

export const continuationQuery = z.object({ ...base, by: z.enum(CONTINUATION_BY).default('nth') });
export const ltvQuery = z.object(base);
export const cancellationsQuery = z.object({
  ...base,
  /** Files only: which table of the answer the file holds. */
  table: z.enum(CANCELLATION_TABLES).default('reasons'),
});

export type ContinuationQuery = z.infer<typeof continuationQuery>;
export type SubReportQuery = z.infer<typeof ltvQuery>;
export type CancellationsQuery = z.infer<typeof cancellationsQuery>;

const count = z.number().int();
const yen = z.number().int();
/** A fraction rounded to 4 places; null when its denominator is 0. */
const ratio = z.number().nullable();

/** One row per delivery number n = 1..12. */
const nthRow = z.object({
  n: count,
  /** Subscriptions started (first delivery date) in the period. */
  started: count,
  /** Of them, those that received delivery n (an order for it or a later one that was not cancelled). */
  reached: count,
  /** Of them, those still running that have not reached n yet (their outcome is not known). */
  pending: count,
  /** reached / started. */
  rate: ratio,
});

/** The figures of a group at each delivery number of `points` (same order). */
const series = {
  started: count,
  reached: z.array(count),
  pending: z.array(count),
  rates: z.array(ratio),
};

export const continuationResult = z.discriminatedUnion('by', [
  z.object({ by: z.literal('nth'), rows: z.array(nthRow), total: z.object({ started: count }) }),
  z.object({
    by: z.literal('cohort'),
    points: z.array(count),
    rows: z.array(z.object({ cohort: z.string(), ...series })),
    total: z.object(series),
  }),
  z.object({
    by: z.literal('ad'),
    points: z.array(count),
    rows: z.array(
      z.object({
        adMediumId: z.uuid().nullable(),
        adMediumCode: z.string().nullable(),
        adMediumName: z.string().nullable(),
        ...series,
      }),
    ),
    total: z.object(series),
  }),
  z.object({
    by: z.literal('product'),
    points: z.array(count),
    rows: z.array(
      z.object({
        productId: z.uuid().nullable(),
        productCode: z.string().nullable(),
        productName: z.string().nullable(),
        ...series,
      }),
    ),
    total: z.object(series),
  }),
]);
export type ContinuationResult = z.infer<typeof continuationResult>;
export type Series = { started: number; reached: number[]; pending: number[]; rates: (number | null)[] };

const ltvFigures = {
  subscriptions: count,
  /** Orders the subscriptions generated that count (not cancelled, not wholly returned). */
  deliveries: count,
  /** Σ of those orders' totals (tax included, as invoiced). */
  revenue: yen,
  /** revenue / subscriptions, yen rounded; null without subscriptions. */
  ltv: yen.nullable(),
  /** deliveries / subscriptions, 2 places. */
  averageDeliveries: z.number().nullable(),
};
export const ltvResult = z.object({
  rows: z.array(z.object({ cohort: z.string(), ...ltvFigures })),
  total: z.object(ltvFigures),
});
export type LtvResult = z.infer<typeof ltvResult>;

const leaving = {
  /** Subscriptions cancelled in the period. */
  count,
  /** count / all cancellations of the period. */
  share: ratio,
  /** Of them, those whose customer had a 定期変更 or クレーム contact in the 14 days before. */
  withContact: count,
};
export const cancellationsResult = z.object({
  reasons: z.array(
    z.object({
      reasonId: z.uuid().nullable(),
      reasonCode: z.string().nullable(),
      reasonName: z.string().nullable(),
      ...leaving,
    }),
  ),
  /** 顧客離脱集計表 by delivery: left after receiving `deliveries` deliveries (0: before the first). */
  deliveries: z.array(z.object({ deliveries: count, ...leaving })),
  /** 顧客離脱集計表 by product: the products they had at cancellation (one subscription may count under several). */
  products: z.array(z.object({ productId: z.uuid(), productCode: z.string(), productName: z.string(), ...leaving })),
  total: z.object({ count, withContact: count, contactShare: ratio }),
});
export type CancellationsResult = z.infer<typeof cancellationsResult>;
