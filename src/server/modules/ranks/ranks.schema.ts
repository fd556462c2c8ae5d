// The rank master and a customer's rank as the API shows them.
import { z } from 'zod';

const rules = {
  /** Purchases within the last periodDays (Asia/Tokyo days, today included). */
  minCount: z.number().int().min(1).max(1_000_000).nullish(),
  /** Yen spent within the last periodDays. */
  minAmount: z.number().int().min(1).max(100_000_000_000).nullish(),
  /** all: every count/amount rule given must hold; any: one is enough. */
  combine: z.enum(['all', 'any']),
  periodDays: z.number().int().min(1).max(3660),
  /** The last purchase is at most this many days ago (1 = today). */
  recencyDays: z.number().int().min(1).max(3660).nullish(),
};

const fields = {
  name: z.string().trim().min(1).max(50),
  color: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/)
    .nullish(),
  /** Smaller is tried first: put the highest rank first. Default: after the last one. */
  priority: z.number().int().min(0).max(100_000),
  active: z.boolean(),
  ...rules,
};

export const createRankSchema = z.strictObject({
  ...fields,
  priority: fields.priority.optional(),
  active: fields.active.default(true),
  combine: fields.combine.default('all'),
  periodDays: fields.periodDays.default(365),
});
export const updateRankSchema = z.strictObject(fields).partial();
export type RankInput = z.infer<typeof updateRankSchema>;

export const rankSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  color: z.string().nullable(),
  priority: z.number().int(),
  minCount: z.number().int().nullable(),
  minAmount: z.number().int().nullable(),
  combine: z.enum(['all', 'any']),
  periodDays: z.number().int(),
  recencyDays: z.number().int().nullable(),
  active: z.boolean(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Rank = z.infer<typeof rankSchema>;

export type RankRow = {
  id: string;
  name: string;
  color: string | null;
  priority: number;
  min_count: number | null;
  min_amount: number | null;
  combine: 'all' | 'any';
  period_days: number;
  recency_days: number | null;
  active: boolean;
  version: number;
  created_at: Date;
  updated_at: Date;
};

export const RANK_COLUMNS = `id, name, color, priority, min_count, min_amount, combine, period_days, recency_days,
  active, version, created_at, updated_at`;

export function toRank(r: RankRow): Rank {
  return {
    id: r.id,
    name: r.name,
    color: r.color,
    priority: r.priority,
    minCount: r.min_count,
    minAmount: r.min_amount === null ? null : Number(r.min_amount),
    combine: r.combine,
    periodDays: r.period_days,
    recencyDays: r.recency_days,
    active: r.active,
    version: r.version,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

const rankRef = z.object({ id: z.uuid(), name: z.string(), color: z.string().nullable() });

export const customerRankSchema = z.object({
  customerId: z.uuid(),
  /** The rank in force: the manual one when set, else the rule rank. */
  rank: rankRef.nullable(),
  source: z.enum(['rule', 'manual']),
  /** The reason of a manual rank. */
  reason: z.string().nullable(),
  ruleRank: rankRef.nullable(),
  manual: z.object({ rank: rankRef, reason: z.string(), setBy: z.string().nullable(), setAt: z.string() }).nullable(),
  stats: z.object({
    purchaseCount: z.number().int(),
    purchaseAmount: z.number().int(),
    firstPurchaseAt: z.string().nullable(),
    lastPurchaseAt: z.string().nullable(),
  }),
  /** When the recompute job stored the rule rank; null when it is computed on this read. */
  rankedAt: z.string().nullable(),
  /** The customer's data changed and the job has not recomputed the rank yet. */
  pending: z.boolean(),
});
export type CustomerRank = z.infer<typeof customerRankSchema>;

export const overrideSchema = z.strictObject({ rankId: z.uuid(), reason: z.string().trim().min(1).max(500) });
