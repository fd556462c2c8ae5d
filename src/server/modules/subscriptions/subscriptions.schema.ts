import { z } from 'zod';
import type { Cycle } from '../../../shared/subscriptions/schedule.js';

const isoDate = z.iso.date();

export const cycleSchema = z
  .strictObject({
    every: z.number().int().min(1).max(365),
    unit: z.enum(['day', 'week', 'month']),
    dayOfMonth: z.number().int().min(1).max(31).optional(),
    weekday: z
      .strictObject({
        nth: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(-1)]),
        day: z.number().int().min(0).max(6),
      })
      .optional(),
  })
  .refine((c) => c.unit === 'month' || (c.dayOfMonth === undefined && c.weekday === undefined), {
    message: 'dayOfMonth and weekday are for monthly cycles',
    path: ['unit'],
  })
  .refine((c) => c.dayOfMonth === undefined || c.weekday === undefined, {
    message: 'give dayOfMonth or weekday, not both',
    path: ['weekday'],
  });
export type CycleInput = z.infer<typeof cycleSchema>;

export function toCycle(c: CycleInput): Cycle {
  if (c.unit === 'day') return { every: c.every, unit: 'day' };
  if (c.unit === 'week') return { every: c.every, unit: 'week' };
  if (c.weekday)
    return {
      every: c.every,
      unit: 'month',
      weekday: c.weekday as NonNullable<Extract<Cycle, { weekday: object }>['weekday']>,
    };
  return c.dayOfMonth === undefined
    ? { every: c.every, unit: 'month' }
    : { every: c.every, unit: 'month', dayOfMonth: c.dayOfMonth };
}

const lineInput = z.strictObject({ productId: z.uuid(), quantity: z.number().int().min(1).max(999) });

const optionalRefs = {
  carrier: z.enum(['yamato', 'sagawa', 'japanpost']).optional(),
  timeSlot: z.string().trim().max(10).nullable().optional(),
  originId: z.uuid().nullable().optional(),
  addressId: z.uuid().nullable().optional(),
  paymentMethodId: z.uuid().nullable().optional(),
  adMediumId: z.uuid().nullable().optional(),
  minDeliveries: z.number().int().min(0).max(99).optional(),
  note: z.string().trim().max(1000).nullable().optional(),
};

export const createSubscriptionSchema = z.strictObject({
  customerId: z.uuid(),
  lines: z.array(lineInput).min(1).max(50),
  cycle: cycleSchema,
  firstDeliveryDate: isoDate,
  sourceOrderId: z.uuid().optional(),
  ...optionalRefs,
});
export type CreateSubscription = z.infer<typeof createSubscriptionSchema>;

/** A change during the call: anything the customer may change; each is one 定期変更 entry. */
export const updateSubscriptionSchema = z.strictObject({
  lines: z.array(lineInput).min(1).max(50).optional(),
  cycle: cycleSchema.optional(),
  /** The regular schedule re-based on this date (the next delivery and every later one). */
  nextDeliveryDate: isoDate.optional(),
  ...optionalRefs,
});
export type UpdateSubscription = z.infer<typeof updateSubscriptionSchema>;

export const moveSchema = z.strictObject({ date: isoDate });
export const pauseSchema = z.strictObject({ until: isoDate.optional() });
export const cancelSchema = z.strictObject({
  reasonId: z.uuid().optional(),
  /** Cancel although the agreed minimum (回数縛り) is not reached: the operator has told the customer. */
  acknowledgeCommitment: z.boolean().optional(),
  note: z.string().trim().max(1000).optional(),
});

export const subscriptionSchema = z.object({
  id: z.uuid(),
  number: z.number(),
  customerId: z.uuid(),
  customerName: z.string(),
  customerCode: z.string(),
  status: z.enum(['active', 'paused', 'cancelled']),
  cycle: cycleSchema,
  cycleLabel: z.string(),
  firstDeliveryDate: isoDate,
  nextDeliveryDate: isoDate.nullable(),
  nextDeliveryMoved: z.boolean(),
  nextDeliverySeq: z.number(),
  deliveriesMade: z.number(),
  deliveriesSkipped: z.number(),
  minDeliveries: z.number(),
  remainingCommitment: z.number(),
  pausedUntil: isoDate.nullable(),
  carrier: z.string(),
  timeSlot: z.string().nullable(),
  originId: z.uuid().nullable(),
  addressId: z.uuid().nullable(),
  paymentMethodId: z.uuid().nullable(),
  paymentMethodName: z.string().nullable(),
  adMediumId: z.uuid().nullable(),
  staffId: z.uuid().nullable(),
  sourceOrderId: z.uuid().nullable(),
  note: z.string().nullable(),
  cancelReasonId: z.uuid().nullable(),
  cancelledAt: z.string().nullable(),
  lines: z.array(
    z.object({
      productId: z.uuid(),
      productCode: z.string(),
      productName: z.string(),
      quantity: z.number(),
      unitPrice: z.number(),
      firstPrice: z.number().nullable(),
      taxRate: z.number(),
    }),
  ),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number(),
});
export type Subscription = z.infer<typeof subscriptionSchema>;

export const subscriptionEventSchema = z.object({
  id: z.uuid(),
  at: z.string(),
  userId: z.uuid().nullable(),
  userName: z.string().nullable(),
  kind: z.string(),
  before: z.unknown(),
  after: z.unknown(),
});

export const exceptionSchema = z.object({
  id: z.uuid(),
  subscriptionId: z.uuid(),
  subscriptionNumber: z.number(),
  customerId: z.uuid(),
  customerName: z.string(),
  deliveryDate: isoDate,
  code: z.string(),
  message: z.string(),
  attempts: z.number(),
  firstAt: z.string(),
  lastAt: z.string(),
});

export const listQuery = z.object({
  customerId: z.uuid().optional(),
  status: z.enum(['active', 'paused', 'cancelled']).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
