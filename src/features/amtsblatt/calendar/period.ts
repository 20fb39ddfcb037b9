import { DateTime } from 'luxon';
import { TOWN_ZONE } from '../imports/ics.ts';

export type CalendarView = 'monat' | 'woche';

export interface Period {
  view: CalendarView;
  /** The days shown, each as its local date (yyyy-mm-dd) and its start instant. */
  days: { date: string; start: Date; inMonth: boolean }[];
  from: Date;
  to: Date;
  title: string;
  prev: string;
  next: string;
  anchor: string;
}

/** Month view: whole weeks Monday to Sunday around the month; week view: Monday to Sunday. */
export function periodOf(view: CalendarView, anchorIso: string | undefined, now: Date): Period {
  const parsed = anchorIso ? DateTime.fromISO(anchorIso, { zone: TOWN_ZONE }) : null;
  const anchor = (parsed?.isValid ? parsed : DateTime.fromJSDate(now, { zone: TOWN_ZONE })).startOf('day');
  const first = view === 'monat' ? anchor.startOf('month').startOf('week') : anchor.startOf('week');
  const last = view === 'monat' ? anchor.endOf('month').endOf('week').startOf('day') : first.plus({ days: 6 });
  const days: Period['days'] = [];
  for (let d = first; d <= last; d = d.plus({ days: 1 })) {
    days.push({ date: d.toISODate() ?? '', start: d.toJSDate(), inMonth: view === 'woche' || d.month === anchor.month });
  }
  const step = view === 'monat' ? { months: 1 } : { weeks: 1 };
  const title =
    view === 'monat'
      ? anchor.setLocale('de').toFormat('LLLL yyyy')
      : `Woche ${first.weekNumber}: ${first.setLocale('de').toFormat('d. LLLL')} bis ${last.setLocale('de').toFormat('d. LLLL yyyy')}`;
  return {
    view,
    days,
    from: first.toJSDate(),
    to: last.plus({ days: 1 }).toJSDate(),
    title,
    prev: anchor.minus(step).toISODate() ?? '',
    next: anchor.plus(step).toISODate() ?? '',
    anchor: anchor.toISODate() ?? '',
  };
}

/** The local day (yyyy-mm-dd) of an instant in the town. */
export const localDay = (d: Date) => DateTime.fromJSDate(d, { zone: TOWN_ZONE }).toISODate() ?? '';
/** "14:30" in the town. */
export const localTime = (d: Date) => DateTime.fromJSDate(d, { zone: TOWN_ZONE }).toFormat('HH:mm');
/** The value of a datetime-local field for an instant. */
export const localInput = (d: Date) => DateTime.fromJSDate(d, { zone: TOWN_ZONE }).toFormat("yyyy-MM-dd'T'HH:mm");

/** A datetime-local value ("2026-12-03T09:30") read in the town's zone; null when it is no such value. */
export function parseLocalInput(value: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?$/.test(value)) return null;
  const d = DateTime.fromISO(value, { zone: TOWN_ZONE });
  return d.isValid ? d.toJSDate() : null;
}
