/**
 * 定期 (subscription) delivery schedules: pure date arithmetic on 'YYYY-MM-DD' calendar days.
 *
 * A schedule is an anchor (the first delivery, or the delivery a change re-based it on) and a
 * cycle. Delivery n (n = 0 is the anchor) is:
 *   - day / week:  anchor + n × every days / weeks (counted from the anchor, CONTRACTS.md);
 *   - month:       the anchor's month + n × every, on dayOfMonth (else the anchor's day), falling
 *                  back to the month's last day when the month is shorter (31 → Feb 28 → Mar 31);
 *   - month + weekday rule: the anchor's month + n × every, on the nth weekday of that month
 *                  ("every 2 months on the 2nd Tuesday"); nth = -1 is the month's last one.
 *                  Delivery 0 is the anchor itself, whatever weekday it falls on.
 */

export type IsoDate = string;

export type Cycle =
  | { every: number; unit: 'day' }
  | { every: number; unit: 'week' }
  | { every: number; unit: 'month'; dayOfMonth?: number; weekday?: undefined }
  | { every: number; unit: 'month'; weekday: { nth: 1 | 2 | 3 | 4 | -1; day: 0 | 1 | 2 | 3 | 4 | 5 | 6 } };

const DAY_MS = 86_400_000;

function parts(date: IsoDate): [number, number, number] {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new RangeError(`not a date: ${date}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

function toUtc(date: IsoDate): number {
  const [y, mo, d] = parts(date);
  return Date.UTC(y, mo - 1, d);
}

function fromUtc(ms: number): IsoDate {
  return new Date(ms).toISOString().slice(0, 10);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromUtc(toUtc(date) + days * DAY_MS);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function ymd(year: number, month: number, day: number): IsoDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The month `months` after the date's month: [year, month 1–12]. */
function shiftMonth(date: IsoDate, months: number): [number, number] {
  const [y, m] = parts(date);
  const index = y * 12 + (m - 1) + months;
  return [Math.floor(index / 12), (index % 12) + 1];
}

/** The nth (1–4, or -1 = last) given weekday (0 = Sunday) of a month. */
export function nthWeekdayOfMonth(year: number, month: number, nth: number, weekday: number): IsoDate {
  if (nth === -1) {
    const last = daysInMonth(year, month);
    const lastDow = new Date(Date.UTC(year, month - 1, last)).getUTCDay();
    return ymd(year, month, last - ((lastDow - weekday + 7) % 7));
  }
  const firstDow = new Date(Date.UTC(year, month - 1, 1)).getUTCDay();
  return ymd(year, month, 1 + ((weekday - firstDow + 7) % 7) + (nth - 1) * 7);
}

export function validateCycle(cycle: Cycle): void {
  if (!Number.isInteger(cycle.every) || cycle.every < 1 || cycle.every > 365)
    throw new RangeError('every must be an integer from 1 to 365');
  if (cycle.unit === 'month' && cycle.weekday === undefined && cycle.dayOfMonth !== undefined) {
    if (!Number.isInteger(cycle.dayOfMonth) || cycle.dayOfMonth < 1 || cycle.dayOfMonth > 31)
      throw new RangeError('dayOfMonth must be from 1 to 31');
  }
}

/** Delivery n (0 = the anchor) of a schedule. */
export function deliveryDate(anchor: IsoDate, cycle: Cycle, n: number): IsoDate {
  if (!Number.isInteger(n) || n < 0) throw new RangeError('n must be a non-negative integer');
  if (n === 0) return fromUtc(toUtc(anchor));
  switch (cycle.unit) {
    case 'day':
      return addDays(anchor, n * cycle.every);
    case 'week':
      return addDays(anchor, n * cycle.every * 7);
    case 'month': {
      const [year, month] = shiftMonth(anchor, n * cycle.every);
      if (cycle.weekday) return nthWeekdayOfMonth(year, month, cycle.weekday.nth, cycle.weekday.day);
      const day = cycle.dayOfMonth ?? parts(anchor)[2];
      return ymd(year, month, Math.min(day, daysInMonth(year, month)));
    }
  }
}

/** The deliveries n, n+1, … n+count−1. */
export function deliveries(anchor: IsoDate, cycle: Cycle, fromN: number, count: number): IsoDate[] {
  return Array.from({ length: count }, (_, i) => deliveryDate(anchor, cycle, fromN + i));
}

/**
 * The first delivery number m ≥ fromN whose date is on or after `date` (pausing until a date,
 * catching up). Deliveries are strictly increasing in n, so a search over n is exact.
 */
export function firstDeliveryOnOrAfter(anchor: IsoDate, cycle: Cycle, fromN: number, date: IsoDate): number {
  if (deliveryDate(anchor, cycle, fromN) >= date) return fromN;
  // Exponential then binary search: the dates grow at least by one day per step.
  let lo = fromN;
  let step = 1;
  while (deliveryDate(anchor, cycle, lo + step) < date) {
    lo += step;
    step *= 2;
  }
  let hi = lo + step;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (deliveryDate(anchor, cycle, mid) < date) lo = mid;
    else hi = mid;
  }
  return hi;
}
