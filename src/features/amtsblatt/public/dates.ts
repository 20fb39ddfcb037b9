import { DateTime } from 'luxon';

const ZONE = 'Europe/Berlin';

/** "2. März 2026" in the town's time. */
export const dayLabel = (d: Date) => DateTime.fromJSDate(d, { zone: ZONE }).setLocale('de').toFormat('d. MMMM yyyy');
/** "2. März 2026, 10:30 Uhr" in the town's time. */
export const dateTimeLabel = (d: Date) => DateTime.fromJSDate(d, { zone: ZONE }).setLocale('de').toFormat("d. MMMM yyyy, HH:mm 'Uhr'");

/** The first instant of a month (or year) in Berlin, and the first of the next: [from, to). */
export function monthRange(year: number, month?: number): { from: Date; to: Date } {
  const start = DateTime.fromObject({ year, month: month ?? 1, day: 1 }, { zone: ZONE });
  const end = month === undefined ? start.plus({ years: 1 }) : start.plus({ months: 1 });
  return { from: start.toJSDate(), to: end.toJSDate() };
}
