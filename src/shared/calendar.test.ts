import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addBusinessDays, isBusinessDay, nationalHolidays, tokyoDate } from './calendar.js';

describe('calendar', () => {
  it('knows the national holidays, including substitute holidays', () => {
    const days = nationalHolidays('2026-05-01', '2026-05-31').map((d) => `${d.date} ${d.name}`);
    expect(days).toEqual([
      '2026-05-03 憲法記念日',
      '2026-05-04 みどりの日',
      '2026-05-05 こどもの日',
      '2026-05-06 こどもの日 振替休日',
    ]);
  });

  it('skips weekends, national holidays and closing days', () => {
    const none = new Set<string>();
    expect(isBusinessDay('2026-11-23', none)).toBe(false); // 勤労感謝の日 (Monday)
    expect(isBusinessDay('2026-11-22', none)).toBe(false); // Sunday
    expect(isBusinessDay('2026-11-24', none)).toBe(true);
    expect(isBusinessDay('2026-11-24', new Set(['2026-11-24']))).toBe(false);
    // Friday 2026-12-25 + 2 business days with the year-end closing 12/29–1/3.
    const closing = new Set(['2026-12-29', '2026-12-30', '2026-12-31', '2027-01-02', '2027-01-03']);
    expect(addBusinessDays('2026-12-25', 1, closing)).toBe('2026-12-28');
    expect(addBusinessDays('2026-12-25', 2, closing)).toBe('2027-01-04');
    expect(addBusinessDays('2026-11-23', 0, none)).toBe('2026-11-24');
  });

  it('always lands on a business day, never before the start', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 0, max: 20 }), (offset, n) => {
        const start = new Date(Date.UTC(2025, 0, 1) + offset * 86_400_000).toISOString().slice(0, 10);
        const end = addBusinessDays(start, n, new Set());
        return isBusinessDay(end, new Set()) && end >= start;
      }),
    );
  });

  it("gives today's date in Tokyo", () => {
    expect(tokyoDate(new Date('2026-11-23T15:30:00Z'))).toBe('2026-11-24');
    expect(tokyoDate(new Date('2026-11-23T14:59:59Z'))).toBe('2026-11-23');
  });
});
