import { TIME_ZONE, todayInTokyo } from './datetime';

const partsFmt = new Intl.DateTimeFormat('en-CA', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** A time as an <input type="datetime-local"> value in Tokyo: 2025-04-01T09:30. */
export function toTokyoInput(date: Date): string {
  const parts = Object.fromEntries(partsFmt.formatToParts(date).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

/** A datetime-local value read as Tokyo time → ISO 8601 with +09:00; null when empty or malformed. */
export function fromTokyoInput(value: string): string | null {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value) ? `${value}:00+09:00` : null;
}

/** Whole years since a YYYY-MM-DD birth date, on today's Tokyo date. */
export function ageOn(birthDate: string | null | undefined, today: string = todayInTokyo()): number | null {
  if (!birthDate || !/^\d{4}-\d{2}-\d{2}/.test(birthDate)) return null;
  const [by, bm, bd] = birthDate.slice(0, 10).split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  const age = ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
  return age >= 0 ? age : null;
}

/** 3日 4時間 / 2時間 15分 / 40分 from seconds (case ages on the board). */
export function formatDuration(
  seconds: number,
  t: (key: 'units.d' | 'units.h' | 'units.m', opts: { n: number }) => string,
): string {
  const m = Math.floor(seconds / 60);
  const d = Math.floor(m / 1440);
  const h = Math.floor((m % 1440) / 60);
  const mm = m % 60;
  if (d > 0) return `${t('units.d', { n: d })} ${t('units.h', { n: h })}`;
  if (h > 0) return `${t('units.h', { n: h })} ${t('units.m', { n: mm })}`;
  return t('units.m', { n: mm });
}
