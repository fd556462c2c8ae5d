import { describe, expect, it } from 'vitest';
import { bucketsOf, sum } from './forecastBuckets';

const days = Array.from({ length: 10 }, (_, i) => {
  const d = new Date(Date.UTC(2030, 3, 27 + i));
  return d.toISOString().slice(0, 10);
});

describe('forecast buckets', () => {
  it('groups by day, by 7 days from the first, and by calendar month', () => {
    expect(bucketsOf(days, 'day')).toHaveLength(10);
    expect(bucketsOf(days, 'week')).toEqual([
      { key: '2030-04-27', indexes: [0, 1, 2, 3, 4, 5, 6] },
      { key: '2030-05-04', indexes: [7, 8, 9] },
    ]);
    expect(bucketsOf(days, 'month')).toEqual([
      { key: '2030-04', indexes: [0, 1, 2, 3] },
      { key: '2030-05', indexes: [4, 5, 6, 7, 8, 9] },
    ]);
  });

  it('sums the units of a bucket', () => {
    const units = [1, 0, 2, 0, 0, 3, 0, 0, 0, 4];
    expect(bucketsOf(days, 'month').map((b) => sum(units, b.indexes))).toEqual([3, 7]);
  });
});
