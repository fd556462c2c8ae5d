import { z } from 'zod';

const isoDate = z.iso.date();

export const createReturnSchema = z.strictObject({
  /** A reason of the master (kind 'return'). */
  reasonId: z.uuid(),
  /** The day the goods came back (default today, Asia/Tokyo). */
  receivedOn: isoDate.optional(),
  lines: z
    .array(z.strictObject({ lineNo: z.number().int().min(1).max(32767), quantity: z.number().int().min(1).max(9999) }))
    .min(1)
    .max(100),
  /** Put the goods back in stock (products whose stock is tracked). */
  restock: z.boolean().default(true),
  resolution: z.enum(['refund', 'exchange']).default('refund'),
  /** Refund: at most the returned goods at the order's prices incl. tax (the default). Exchange: default 0. */
  refundAmount: z.number().int().min(0).max(100_000_000).optional(),
  /** Exchange: the goods sent instead, as a new order (0 yen unless charge). */
  exchange: z
    .strictObject({
      lines: z
        .array(z.strictObject({ productId: z.uuid(), quantity: z.number().int().min(1).max(9999) }))
        .min(1)
        .max(100),
      charge: z.boolean().default(false),
    })
    .optional(),
  note: z.string().trim().max(1000).optional(),
});
export type CreateReturnBody = z.infer<typeof createReturnSchema>;

export const returnSchema = z.object({
  id: z.uuid(),
  orderId: z.uuid(),
  orderNumber: z.number(),
  customerId: z.uuid(),
  customerName: z.string(),
  reasonId: z.uuid(),
  reasonName: z.string(),
  receivedOn: z.string(),
  resolution: z.enum(['refund', 'exchange']),
  restock: z.boolean(),
  computedRefund: z.number(),
  refundAmount: z.number(),
  exchangeLines: z.array(z.object({ productId: z.uuid(), quantity: z.number() })),
  exchangeOrderId: z.uuid().nullable(),
  note: z.string().nullable(),
  /** The order's status after the return (returned when everything came back). */
  orderStatus: z.string(),
  lines: z.array(
    z.object({
      lineNo: z.number(),
      productId: z.uuid(),
      productCode: z.string(),
      productName: z.string(),
      quantity: z.number(),
      amount: z.number(),
    }),
  ),
  createdAt: z.string(),
});
export type Return = z.infer<typeof returnSchema>;

export const listReturnsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional(),
  customerId: z.uuid().optional(),
  orderId: z.uuid().optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
});
export type ListReturnsQuery = z.infer<typeof listReturnsQuery>;
