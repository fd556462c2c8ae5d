/** Dates and times are always shown in Asia/Tokyo, whatever the browser's zone. */
export const TIME_ZONE = 'Asia/Tokyo';

const dateTimeFmt = new Intl.DateTimeFormat('ja-JP', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

const dateTimeSecFmt = new Intl.DateTimeFormat('ja-JP', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

const isoDateFmt = new Intl.DateTimeFormat('en-CA', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** 2025/04/01 09:30 (Tokyo). Empty string for null or an unparsable value. */
export function formatDateTime(value: string | null | undefined, seconds = false): string {
  if (!value) return '';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return (seconds ? dateTimeSecFmt : dateTimeFmt).format(date);
}

/** Today's date in Tokyo as YYYY-MM-DD. */
export function todayInTokyo(now: Date = new Date()): string {
  return isoDateFmt.format(now);
}

/** Adds days to a YYYY-MM-DD date (calendar arithmetic, no time zone involved). */
export function addDays(isoDate: string, days: number): string {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d + days));
  return date.toISOString().slice(0, 10);
}

/** 2025/04/29（火） or 2025/04/29 (Tue), from a YYYY-MM-DD calendar date. */
export function formatDate(isoDate: string, locale: string): string {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  const weekday = new Intl.DateTimeFormat(locale === 'en' ? 'en-US' : 'ja-JP', {
    weekday: 'short',
    timeZone: 'UTC',
  }).format(date);
  const base = `${y}/${String(m).padStart(2, '0')}/${String(d).padStart(2, '0')}`;
  return locale === 'en' ? `${base} (${weekday})` : `${base}（${weekday}）`;
}

export function isFuture(value: string | null | undefined, now: Date = new Date()): boolean {
  if (!value) return false;
  const time = new Date(value).getTime();
  return !Number.isNaN(time) && time > now.getTime();
}
