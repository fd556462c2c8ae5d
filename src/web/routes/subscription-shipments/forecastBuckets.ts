/** How the forecast's days are grouped in the table and the chart. */
export type Bucket = 'day' | 'week' | 'month';
export const BUCKETS: readonly Bucket[] = ['day', 'week', 'month'];

/** Buckets of the window's days: each day, each 7 days from the first day, or each calendar month. */
export function bucketsOf(days: string[], bucket: Bucket): { key: string; indexes: number[] }[] {
  const out: { key: string; indexes: number[] }[] = [];
  days.forEach((day, i) => {
    const key = bucket === 'day' ? day : bucket === 'month' ? day.slice(0, 7) : (days[i - (i % 7)] as string);
    const last = out[out.length - 1];
    if (last && last.key === key) last.indexes.push(i);
    else out.push({ key, indexes: [i] });
  });
  return out;
}

/** The units of a bucket. */
export const sum = (units: number[], indexes: number[]): number => indexes.reduce((n, i) => n + (units[i] ?? 0), 0);
