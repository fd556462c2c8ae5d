import type { TFunction } from 'i18next';
import { type Cycle, deliveries, validateCycle } from '../../../shared/subscriptions/schedule';
import type { Order, OrderInput } from '../../api/orders';
import type { CreateSubscription, CycleInput, SubscriptionSummary } from '../../api/subscriptions';

/** The cycle as the operator types it (strings as typed). */
export interface CycleDraft {
  every: string;
  unit: 'day' | 'week' | 'month';
  /** Monthly: on a day of the month, or on the nth weekday. */
  monthMode: 'date' | 'weekday';
  /** '' = the first delivery's day. */
  dayOfMonth: string;
  nth: '1' | '2' | '3' | '4' | '-1';
  weekday: '0' | '1' | '2' | '3' | '4' | '5' | '6';
}

export const NTHS = ['1', '2', '3', '4', '-1'] as const;
export const WEEKDAYS = ['0', '1', '2', '3', '4', '5', '6'] as const;

/** 毎月 (every month, on the first delivery's day): the seed's usual 定期. */
export function emptyCycleDraft(): CycleDraft {
  return { every: '1', unit: 'month', monthMode: 'date', dayOfMonth: '', nth: '1', weekday: '1' };
}

export function cycleDraftOf(cycle: CycleInput): CycleDraft {
  const base = emptyCycleDraft();
  return {
    ...base,
    every: String(cycle.every),
    unit: cycle.unit,
    monthMode: cycle.weekday ? 'weekday' : 'date',
    dayOfMonth: cycle.dayOfMonth === undefined ? '' : String(cycle.dayOfMonth),
    nth: cycle.weekday ? (String(cycle.weekday.nth) as CycleDraft['nth']) : base.nth,
    weekday: cycle.weekday ? (String(cycle.weekday.day) as CycleDraft['weekday']) : base.weekday,
  };
}

function intIn(text: string, min: number, max: number): number | null {
  const n = Number(text.normalize('NFKC').trim());
  return text.trim() !== '' && Number.isInteger(n) && n >= min && n <= max ? n : null;
}

/** The cycle the API takes, or which field is wrong. */
export function toCycleInput(d: CycleDraft): { cycle: CycleInput } | { error: 'every' | 'dayOfMonth' } {
  const every = intIn(d.every, 1, 365);
  if (every === null) return { error: 'every' };
  if (d.unit !== 'month') return { cycle: { every, unit: d.unit } };
  if (d.monthMode === 'weekday')
    return {
      cycle: {
        every,
        unit: 'month',
        weekday: { nth: Number(d.nth) as 1 | 2 | 3 | 4 | -1, day: Number(d.weekday) },
      },
    };
  if (d.dayOfMonth.trim() === '') return { cycle: { every, unit: 'month' } };
  const day = intIn(d.dayOfMonth, 1, 31);
  return day === null ? { error: 'dayOfMonth' } : { cycle: { every, unit: 'month', dayOfMonth: day } };
}

function asCycle(c: CycleInput): Cycle {
  if (c.unit !== 'month') return { every: c.every, unit: c.unit };
  if (c.weekday)
    return { every: c.every, unit: 'month', weekday: c.weekday as Extract<Cycle, { weekday: object }>['weekday'] };
  return c.dayOfMonth === undefined
    ? { every: c.every, unit: 'month' }
    : { every: c.every, unit: 'month', dayOfMonth: c.dayOfMonth };
}

/**
 * The first `count` deliveries of a new subscription (the server computes the same with the same
 * shared rules). fromN 1: the order form's hand-over, where delivery 1 is the order itself.
 */
export function previewDeliveries(first: string, cycle: CycleInput, count: number, fromN = 0): string[] {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(first)) return [];
  try {
    const c = asCycle(cycle);
    validateCycle(c);
    return deliveries(first, c, fromN, count);
  } catch {
    return [];
  }
}

/** "Every month on the 10th", "毎月 第2火曜日" … in the UI language (the anchor gives the day when the cycle does not). */
export function describeCycle(cycle: CycleInput, anchor: string | null, t: TFunction): string {
  const weekdayOf = (date: string) => String(new Date(`${date}T00:00:00Z`).getUTCDay()) as CycleDraft['weekday'];
  const one = cycle.every === 1;
  if (cycle.unit === 'day') return one ? t('subs.cycleText.daily') : t('subs.cycleText.day', { n: cycle.every });
  if (cycle.unit === 'week') {
    const head = one ? t('subs.cycleText.weekly') : t('subs.cycleText.week', { n: cycle.every });
    return anchor ? `${head} ${t(`subs.weekdays.${weekdayOf(anchor)}`)}` : head;
  }
  const head = one ? t('subs.cycleText.monthly') : t('subs.cycleText.month', { n: cycle.every });
  if (cycle.weekday)
    return `${head} ${t('subs.cycleText.nthWeekday', {
      nth: t(`subs.nths.${String(cycle.weekday.nth) as CycleDraft['nth']}`),
      day: t(`subs.weekdays.${String(cycle.weekday.day) as CycleDraft['weekday']}`),
    })}`;
  const day = cycle.dayOfMonth ?? (anchor ? Number(anchor.slice(8, 10)) : null);
  if (day === null) return head;
  return `${head} ${day >= 31 ? t('subs.cycleText.lastDay') : t('subs.cycleText.dayOfMonth', { day })}`;
}

export type SummaryField =
  | 'status'
  | 'cycle'
  | 'nextDeliveryDate'
  | 'pausedUntil'
  | 'lines'
  | 'timeSlot'
  | 'address'
  | 'payment'
  | 'carrier';

export interface SummaryChange {
  field: SummaryField;
  before: string;
  after: string;
}

const linesText = (lines: SubscriptionSummary['lines']) =>
  (lines ?? []).map((l) => `${l.productCode}×${l.quantity}`).join(', ');

/**
 * What a 定期変更 event changed: the fields whose before and after differ (all of after's for a
 * new subscription). Names: payment methods by id → name; addresses by id → label.
 */
export function summaryChanges(
  before: SubscriptionSummary | null | undefined,
  after: SubscriptionSummary | null | undefined,
  names: { payment: (id: string | null | undefined) => string; address: (id: string | null | undefined) => string },
): SummaryChange[] {
  if (!after) return [];
  const b = before ?? {};
  const fields: [SummaryField, (s: SubscriptionSummary) => string][] = [
    ['status', (s) => s.status ?? ''],
    ['cycle', (s) => s.cycle ?? ''],
    ['nextDeliveryDate', (s) => s.nextDeliveryDate ?? ''],
    ['pausedUntil', (s) => s.pausedUntil ?? ''],
    ['lines', (s) => linesText(s.lines)],
    ['timeSlot', (s) => s.timeSlot ?? ''],
    ['address', (s) => (s.addressId === undefined ? '' : names.address(s.addressId))],
    ['payment', (s) => (s.paymentMethodId === undefined ? '' : names.payment(s.paymentMethodId))],
    ['carrier', (s) => s.carrier ?? ''],
  ];
  const out: SummaryChange[] = [];
  for (const [field, read] of fields) {
    const was = before ? read(b) : '';
    const now = read(after);
    if (was !== now && !(!before && now === '')) out.push({ field, before: was, after: now });
  }
  return out;
}

/**
 * The new subscription of an order registered with 伝票区分 定期: the order is its delivery 1
 * (sourceOrderId), the cycle counts from the order's delivery date, and it ships the same goods the
 * same way. Null when the cycle or the date is missing.
 */
export function handoverBody(
  order: Pick<Order, 'id' | 'deliveryDate' | 'desiredDeliveryDate'>,
  input: OrderInput,
  cycle: CycleDraft,
): CreateSubscription | null {
  const parsed = toCycleInput(cycle);
  const first = order.deliveryDate ?? order.desiredDeliveryDate ?? null;
  if (!('cycle' in parsed) || !first) return null;
  return {
    customerId: input.customerId,
    lines: input.lines,
    cycle: parsed.cycle,
    firstDeliveryDate: first,
    sourceOrderId: order.id,
    ...(input.carrier ? { carrier: input.carrier } : {}),
    ...(input.deliveryTimeSlot ? { timeSlot: input.deliveryTimeSlot } : {}),
    ...(input.originId ? { originId: input.originId } : {}),
    ...(input.addressId ? { addressId: input.addressId } : {}),
    ...(input.paymentMethodId ? { paymentMethodId: input.paymentMethodId } : {}),
    ...(input.adMediumId ? { adMediumId: input.adMediumId } : {}),
  };
}
