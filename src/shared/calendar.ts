import holidayJp from '@holiday-jp/holiday_jp';

/** A calendar day, 'YYYY-MM-DD', in Japan. */
export type IsoDate = string;
export type CalendarDay = { date: IsoDate; name: string; kind: 'national' | 'closing' };

function toIso(d: Date): IsoDate {
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;
}

function fromIso(date: IsoDate): Date {
  return new Date(`${date}T00:00:00Z`);
}

type Holiday = { date: IsoDate; name: string; name_en: string };
const HOLIDAYS = holidayJp.holidays as Record<IsoDate, Holiday>;
const HOLIDAY_DATES = Object.keys(HOLIDAYS).sort();

/** National holidays (国民の祝日, 振替休日, 国民の休日) between two dates, inclusive (data to 2050). */
export function nationalHolidays(from: IsoDate, to: IsoDate): CalendarDay[] {
  return HOLIDAY_DATES.filter((d) => d >= from && d <= to).map((d) => ({
    date: d,
    name: HOLIDAYS[d]?.name ?? '',
    kind: 'national' as const,
  }));
}

/** Weekends, national holidays and the tenant's closing days are not business days. */
export function isBusinessDay(date: IsoDate, closing: ReadonlySet<IsoDate>): boolean {
  const day = fromIso(date).getUTCDay();
  if (day === 0 || day === 6 || closing.has(date)) return false;
  return HOLIDAYS[date] === undefined;
}

/** The date `days` business days after `date` (0 → the date itself if a business day, else the next). */
export function addBusinessDays(date: IsoDate, days: number, closing: ReadonlySet<IsoDate>): IsoDate {
  let d = fromIso(date);
  while (!isBusinessDay(toIso(d), closing)) d = new Date(d.getTime() + 86_400_000);
  for (let left = days; left > 0; ) {
    d = new Date(d.getTime() + 86_400_000);
    if (isBusinessDay(toIso(d), closing)) left--;
  }
  return toIso(d);
}

// Made once: building an Intl.DateTimeFormat costs far more than using one.
const TOKYO_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo' });

/** Today's date in Asia/Tokyo. */
export function tokyoDate(at: Date): IsoDate {
  return TOKYO_DAY.format(at);
}
