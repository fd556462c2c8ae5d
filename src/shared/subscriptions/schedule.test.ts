import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Cycle, deliveries, deliveryDate, firstDeliveryOnOrAfter, nthWeekdayOfMonth } from './schedule.js';

// An independent model: walks the calendar one day at a time with JavaScript's Date in local
// arithmetic (no shared helpers), and finds monthly dates by listing the month's days.
function modelMonthDays(year: number, month: number): Date[] {
  const days: Date[] = [];
  for (
    let d = new Date(Date.UTC(year, month - 1, 1));
    d.getUTCMonth() === month - 1;
    d = new Date(d.getTime() + 86_400_000)
  )
    days.push(d);
  return days;
}
const iso = (d: Date) => d.toISOString().slice(0, 10);

function model(anchor: string, cycle: Cycle, n: number): string {
  if (n === 0) return anchor;
  const a = new Date(`${anchor}T00:00:00Z`);
  if (cycle.unit !== 'month') {
    let d = a;
    const step = cycle.unit === 'day' ? cycle.every : cycle.every * 7;
    for (let i = 0; i < n * step; i++) d = new Date(d.getTime() + 86_400_000);
    return iso(d);
  }
  let year = a.getUTCFullYear();
  let month = a.getUTCMonth() + 1;
  for (let i = 0; i < n * cycle.every; i++) {
    month++;
    if (month === 13) {
      month = 1;
      year++;
    }
  }
  const days = modelMonthDays(year, month);
  if (cycle.weekday) {
    const matching = days.filter((d) => d.getUTCDay() === cycle.weekday.day);
    const pick = cycle.weekday.nth === -1 ? matching[matching.length - 1] : matching[cycle.weekday.nth - 1];
    return iso(pick as Date);
  }
  const want = cycle.dayOfMonth ?? a.getUTCDate();
  return iso(days[Math.min(want, days.length) - 1] as Date);
}

const anchorArb = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2080-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => iso(d));
const cycleArb: fc.Arbitrary<Cycle> = fc.oneof(
  fc.record({ every: fc.integer({ min: 1, max: 60 }), unit: fc.constantFrom('day' as const, 'week' as const) }),
  fc.record(
    {
      every: fc.integer({ min: 1, max: 12 }),
      unit: fc.constant('month' as const),
      dayOfMonth: fc.integer({ min: 1, max: 31 }),
    },
    { requiredKeys: ['every', 'unit'] },
  ),
  fc.record({
    every: fc.integer({ min: 1, max: 12 }),
    unit: fc.constant('month' as const),
    weekday: fc.record({
      nth: fc.constantFrom(1 as const, 2 as const, 3 as const, 4 as const, -1 as const),
      day: fc.constantFrom(0 as const, 1 as const, 2 as const, 3 as const, 4 as const, 5 as const, 6 as const),
    }),
  }),
);

describe('subscription schedules', () => {
  it('agree with the day-by-day model for every cycle kind', () => {
    fc.assert(
      fc.property(anchorArb, cycleArb, fc.integer({ min: 0, max: 40 }), (anchor, cycle, n) => {
        expect(deliveryDate(anchor, cycle, n)).toBe(model(anchor, cycle, n));
      }),
      { numRuns: 2000 },
    );
  });

  it('are strictly increasing', () => {
    fc.assert(
      fc.property(anchorArb, cycleArb, (anchor, cycle) => {
        const dates = deliveries(anchor, cycle, 0, 25);
        for (let i = 1; i < dates.length; i++) expect((dates[i] as string) > (dates[i - 1] as string)).toBe(true);
      }),
    );
  });

  it('keeps the day of month and falls back to the month’s last day (CONTRACTS.md)', () => {
    expect(deliveries('2027-01-31', { every: 1, unit: 'month' }, 0, 4)).toEqual([
      '2027-01-31',
      '2027-02-28',
      '2027-03-31',
      '2027-04-30',
    ]);
    expect(deliveries('2028-01-31', { every: 1, unit: 'month' }, 1, 1)).toEqual(['2028-02-29']);
    expect(deliveries('2027-01-10', { every: 2, unit: 'month', dayOfMonth: 30 }, 0, 3)).toEqual([
      '2027-01-10',
      '2027-03-30',
      '2027-05-30',
    ]);
    expect(deliveries('2027-12-15', { every: 1, unit: 'month' }, 0, 2)).toEqual(['2027-12-15', '2028-01-15']);
  });

  it('counts weekly and daily cycles from the first delivery', () => {
    expect(deliveries('2027-02-26', { every: 2, unit: 'week' }, 0, 3)).toEqual([
      '2027-02-26',
      '2027-03-12',
      '2027-03-26',
    ]);
    expect(deliveries('2027-12-30', { every: 45, unit: 'day' }, 0, 2)).toEqual(['2027-12-30', '2028-02-13']);
  });

  it('finds the nth and the last weekday of a month', () => {
    // November 2026: Sundays 1, 8, 15, 22, 29; Tuesdays 3, 10, 17, 24.
    expect(nthWeekdayOfMonth(2026, 11, 2, 2)).toBe('2026-11-10');
    expect(nthWeekdayOfMonth(2026, 11, -1, 0)).toBe('2026-11-29');
    expect(nthWeekdayOfMonth(2026, 11, 1, 0)).toBe('2026-11-01');
    expect(deliveries('2026-11-23', { every: 2, unit: 'month', weekday: { nth: 2, day: 2 } }, 0, 3)).toEqual([
      '2026-11-23',
      '2027-01-12',
      '2027-03-09',
    ]);
  });

  it('finds the first delivery on or after a date, as a linear scan would', () => {
    fc.assert(
      fc.property(
        anchorArb,
        cycleArb,
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: -30, max: 900 }),
        (anchor, cycle, fromN, offset) => {
          const date = iso(new Date(new Date(`${anchor}T00:00:00Z`).getTime() + offset * 86_400_000));
          let expected = fromN;
          while (deliveryDate(anchor, cycle, expected) < date) expected++;
          expect(firstDeliveryOnOrAfter(anchor, cycle, fromN, date)).toBe(expected);
        },
      ),
    );
  });

  it('refuses a negative delivery number and a malformed date', () => {
    expect(() => deliveryDate('2027-01-01', { every: 1, unit: 'day' }, -1)).toThrow(RangeError);
    expect(() => deliveryDate('2027/01/01', { every: 1, unit: 'day' }, 1)).toThrow(RangeError);
  });
});
