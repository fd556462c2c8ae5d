import { z } from 'zod';

export const CARRIERS = ['yamato', 'sagawa', 'japanpost'] as const;
export const STATUSES = ['received', 'instructed', 'shipped', 'completed', 'cancelled', 'returned'] as const;
export const CHANNELS = ['phone', 'fax', 'mail', 'web', 'subscription', 'other'] as const;
export type OrderStatus = (typeof STATUSES)[number];

const isoDate = z.iso.date();

/** The order form's fields (POST /orders, /orders/quote, PATCH /orders/{id}). CONTRACTS.md's are the first ones. */
export const orderFields = {
  customerId: z.uuid(),
  lines: z
    .array(z.strictObject({ productId: z.uuid(), quantity: z.number().int().min(1).max(9999) }))
    .min(1)
    .max(100),
  desiredDeliveryDate: isoDate.optional(),
  deliveryTimeSlot: z.string().trim().max(10).optional(),
  /** A payment method's code (CONTRACTS.md) — or paymentMethodId. */
  paymentMethod: z.string().trim().max(20).optional(),
  paymentMethodId: z.uuid().optional(),
  campaignCode: z.string().trim().max(20).optional(),
  note: z.string().trim().max(1000).optional(),
  kind: z.enum(['normal', 'subscription']).optional(),
  channel: z.enum(CHANNELS).optional(),
  sortCode: z.string().trim().max(20).optional(),
  carrier: z.enum(CARRIERS).optional(),
  originId: z.uuid().optional(),
  /** One of the customer's 送付先; absent: the customer's own address. */
  addressId: z.uuid().optional(),
  adMediumId: z.uuid().optional(),
  staffId: z.uuid().optional(),
};
export const createOrderSchema = z.strictObject(orderFields);
export type CreateOrderBody = z.infer<typeof createOrderSchema>;
export const updateOrderSchema = z.strictObject(orderFields).omit({ customerId: true }).partial();
export type UpdateOrderBody = z.infer<typeof updateOrderSchema>;

const lineSchema = z.object({
  lineNo: z.number(),
  kind: z.enum(['item', 'present', 'component']),
  parentLine: z.number().nullable(),
  productId: z.uuid(),
  productCode: z.string(),
  productName: z.string(),
  quantity: z.number(),
  unitPrice: z.number(),
  amount: z.number(),
  taxRate: z.number(),
  returnedQuantity: z.number(),
});

const taxSchema = z.object({ rate: z.number(), taxableAmount: z.number(), tax: z.number() });

/** What a quote answers: the order as it would be registered. */
export const quoteSchema = z.object({
  customerId: z.uuid(),
  lines: z.array(lineSchema),
  taxes: z.array(taxSchema),
  subtotal: z.number(),
  shippingFee: z.number(),
  paymentFee: z.number(),
  discount: z.number(),
  taxTotal: z.number(),
  total: z.number(),
  orderDate: isoDate,
  shipDate: isoDate,
  deliveryDate: isoDate,
  earliestDeliveryDate: isoDate,
  carrier: z.enum(CARRIERS),
  campaigns: z.array(z.object({ id: z.uuid(), code: z.string(), name: z.string() })),
  paymentMethodId: z.uuid().nullable(),
  paymentKind: z.string().nullable(),
});

export const orderSchema = quoteSchema.extend({
  id: z.uuid(),
  number: z.number(),
  status: z.enum(STATUSES),
  kind: z.enum(['normal', 'subscription']),
  channel: z.enum(CHANNELS),
  sortCode: z.string().nullable(),
  customerCode: z.string(),
  customerName: z.string(),
  orderedAt: z.string(),
  desiredDeliveryDate: isoDate.nullable(),
  deliveryTimeSlot: z.string().nullable(),
  originId: z.uuid().nullable(),
  addressId: z.uuid().nullable(),
  shipTo: z.object({
    name: z.string(),
    kana: z.string().nullable(),
    postalCode: z.string().nullable(),
    prefecture: z.string().nullable(),
    city: z.string().nullable(),
    address1: z.string().nullable(),
    address2: z.string().nullable(),
    company: z.string().nullable(),
    phone: z.string().nullable(),
  }),
  paymentMethodName: z.string().nullable(),
  campaignId: z.uuid().nullable(),
  adMediumId: z.uuid().nullable(),
  staffId: z.uuid().nullable(),
  staffName: z.string().nullable(),
  note: z.string().nullable(),
  paidAmount: z.number(),
  trackingNumber: z.string().nullable(),
  subscriptionId: z.uuid().nullable(),
  subscriptionDeliveryDate: isoDate.nullable(),
  cancelReasonId: z.uuid().nullable(),
  shippedAt: z.string().nullable(),
  cancelledAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number(),
});
export type Order = z.infer<typeof orderSchema>;
export type Quote = z.infer<typeof quoteSchema>;

export const orderEventSchema = z.object({
  id: z.uuid(),
  at: z.string(),
  userId: z.uuid().nullable(),
  userName: z.string().nullable(),
  kind: z.string(),
  data: z.record(z.string(), z.unknown()),
});

export const listOrdersQuery = z.object({
  customerId: z.uuid().optional(),
  subscriptionId: z.uuid().optional(),
  shipDate: isoDate.optional(),
  status: z.enum(STATUSES).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  carrier: z.enum(CARRIERS).optional(),
  staffId: z.uuid().optional(),
  number: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional(),
});
export type ListOrdersQuery = z.infer<typeof listOrdersQuery>;

export const cancelSchema = z.strictObject({
  reasonId: z.uuid().optional(),
  note: z.string().trim().max(1000).optional(),
});
