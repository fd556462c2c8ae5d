import { z } from 'zod';

export const METHODS = ['bank_transfer', 'cod', 'card', 'deferred', 'convenience', 'cash', 'other'] as const;
export const PAYMENT_STATUSES = ['unpaid', 'partial', 'paid', 'over'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];
export const IMPORT_KINDS = ['zengin', 'bank_csv', 'cod', 'deferred'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

const isoDate = z.iso.date();

export const createPaymentSchema = z
  .strictObject({
    /** The order paid; or customerId alone for money not (yet) applied to an order (a credit). */
    orderId: z.uuid().optional(),
    customerId: z.uuid().optional(),
    /** receipt: money received; refund: money paid back to the customer (both positive here). */
    kind: z.enum(['receipt', 'refund']).default('receipt'),
    amount: z.number().int().min(1).max(100_000_000),
    method: z.enum(METHODS),
    paidOn: isoDate.optional(),
    payerName: z.string().trim().max(100).optional(),
    payerKana: z.string().trim().max(100).optional(),
    reference: z.string().trim().max(200).optional(),
    note: z.string().trim().max(1000).optional(),
  })
  .refine((b) => b.orderId !== undefined || b.customerId !== undefined, {
    path: ['orderId'],
    message: 'orderId or customerId',
  });
export type CreatePaymentBody = z.infer<typeof createPaymentSchema>;

export const paymentSchema = z.object({
  id: z.uuid(),
  kind: z.enum(['receipt', 'refund', 'reversal']),
  orderId: z.uuid().nullable(),
  orderNumber: z.number().nullable(),
  customerId: z.uuid(),
  customerName: z.string(),
  amount: z.number(),
  method: z.enum(METHODS),
  paidOn: z.string(),
  payerName: z.string().nullable(),
  payerKana: z.string().nullable(),
  reference: z.string().nullable(),
  note: z.string().nullable(),
  source: z.enum(['manual', 'import', 'queue']),
  statementLineId: z.uuid().nullable(),
  reversesId: z.uuid().nullable(),
  /** The reversal that cancelled this payment, if any. */
  reversedById: z.uuid().nullable(),
  createdAt: z.string(),
});
export type Payment = z.infer<typeof paymentSchema>;

export const listPaymentsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional(),
  orderId: z.uuid().optional(),
  customerId: z.uuid().optional(),
  method: z.enum(METHODS).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
});
export type ListPaymentsQuery = z.infer<typeof listPaymentsQuery>;

export const orderMoneySchema = z.object({
  orderId: z.uuid(),
  orderNumber: z.number(),
  customerId: z.uuid(),
  orderStatus: z.string(),
  total: z.number(),
  /** Refunds of returns: what is due is total − refunded (0 for a cancelled order). */
  refunded: z.number(),
  due: z.number(),
  paidAmount: z.number(),
  /** due − paid; negative: a credit. */
  balance: z.number(),
  credit: z.number(),
  status: z.enum(PAYMENT_STATUSES),
});
export type OrderMoney = z.infer<typeof orderMoneySchema>;

export const cancelPaymentSchema = z.strictObject({ note: z.string().trim().max(1000).optional() });
