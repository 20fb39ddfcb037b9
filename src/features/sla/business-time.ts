import { DateTime } from 'luxon';

/**
 * Business-time arithmetic for SLA clocks: office hours per weekday, closed days (public holidays,
 * a team's own closing days), in one IANA time zone. Office hours are wall-clock times, so every
 * day's opening is computed in the zone itself: after the switch to summer time, 08:00 is 06:00 UTC
 * instead of 07:00, and a 24-hour on-call day in the night of the switch has 23 or 25 hours.
 */

/** [open, close] in minutes after local midnight, 0 ≤ open < close ≤ 1440. */
export type OfficeInterval = readonly [number, number];
/** One weekday's office hours; an empty list is a closed day. */
export type DayHours = readonly OfficeInterval[];

export interface BusinessCalendar {
  zone: string;
  /** Seven entries, Monday first (ISO weekday 1 = index 0). */
  week: readonly DayHours[];
  /** Whether a local date ("YYYY-MM-DD") is closed all day. */
  isClosedDay(isoDate: string): boolean;
}

export interface Pause {
  start: Date;
  /** null: still paused. */
  end: Date | null;
}

const MINUTE = 60_000;
/** A calendar that has hours but never opens within this many days is broken (e.g. every day closed). */
const MAX_DAYS = 3 * 366;

/** One local day: its start, the next day's start and its open intervals, all as epoch milliseconds. */
interface Day {
  start: number;
  next: number;
  open: [number, number][];
}

// Days are computed with luxon once per calendar and remembered: a case's due times walk the same
// few weeks again and again, and luxon's zone arithmetic is the expensive part.
const dayCache = new WeakMap<BusinessCalendar, Map<number, Day>>();
const DAY_CACHE_LIMIT = 4000;

function dayStarting(cal: BusinessCalendar, day: DateTime): Day {
  let days = dayCache.get(cal);
  if (!days) {
    days = new Map();
    dayCache.set(cal, days);
  }
  const start = day.toMillis();
  const hit = days.get(start);
  if (hit) return hit;
  const computed = { start, next: day.plus({ days: 1 }).toMillis(), open: openIntervals(cal, day) };
  if (days.size >= DAY_CACHE_LIMIT) days.clear();
  days.set(start, computed);
  return computed;
}

// The day the last lookup by instant found, per calendar: every report of a day starts its clock on
// that same day, and finding local midnight of an instant costs luxon's zone arithmetic each time.
const lastFirstDay = new WeakMap<BusinessCalendar, Day>();

function firstDay(cal: BusinessCalendar, at: Date): Day {
  const t = at.getTime();
  const last = lastFirstDay.get(cal);
  if (last && last.start <= t && t < last.next) return last;
  const day = dayStarting(cal, DateTime.fromJSDate(at, { zone: cal.zone }).startOf('day'));
  lastFirstDay.set(cal, day);
  return day;
}

function nextDay(cal: BusinessCalendar, day: Day): Day {
  return dayCache.get(cal)?.get(day.next) ?? dayStarting(cal, DateTime.fromMillis(day.next, { zone: cal.zone }));
}

/** The instant of `minutes` after local midnight of `day`, as wall-clock time in the day's zone. */
function wallClock(day: DateTime, minutes: number): number {
  if (minutes >= 1440) return day.plus({ days: 1 }).toMillis();
  return day.set({ hour: Math.floor(minutes / 60), minute: minutes % 60 }).toMillis();
}

/** The open intervals of one local day as epoch milliseconds. */
function openIntervals(cal: BusinessCalendar, day: DateTime): [number, number][] {
  const hours = cal.week[day.weekday - 1] ?? [];
  if (hours.length === 0 || cal.isClosedDay(day.toISODate() ?? '')) return [];
  return hours.map(([open, close]) => [wallClock(day, open), wallClock(day, close)]);
}

function assertUsable(cal: BusinessCalendar): void {
  if (cal.week.length !== 7) throw new Error('a business calendar needs seven weekdays');
  if (cal.week.every((d) => d.length === 0)) throw new Error('a business calendar without any office hours');
}

/**
 * The instant at which `minutes` of business time after `start` are used up. A start outside office
 * hours counts from the next opening; the result can be a closing time (due at 16:00 sharp).
 * Zero minutes return `start` itself.
 */
export function addBusinessMinutes(start: Date, minutes: number, cal: BusinessCalendar): Date {
  if (!(minutes > 0)) return new Date(start.getTime());
  assertUsable(cal);
  const from = start.getTime();
  let remaining = minutes * MINUTE;
  let day = firstDay(cal, start);
  for (let i = 0; i < MAX_DAYS; i++, day = nextDay(cal, day)) {
    for (const [open, close] of day.open) {
      const begin = Math.max(open, from);
      if (begin >= close) continue;
      const available = close - begin;
      if (remaining <= available) return new Date(begin + remaining);
      remaining -= available;
    }
  }
  throw new Error(`no office hours within ${MAX_DAYS} days`);
}

/** Business minutes between two instants (negative when `b` is before `a`). */
export function businessMinutesBetween(a: Date, b: Date, cal: BusinessCalendar): number {
  if (b.getTime() < a.getTime()) return -businessMinutesBetween(b, a, cal);
  assertUsable(cal);
  const from = a.getTime();
  const to = b.getTime();
  let total = 0;
  for (let day = firstDay(cal, a); day.start < to; day = nextDay(cal, day)) {
    for (const [open, close] of day.open) {
      const begin = Math.max(open, from);
      const end = Math.min(close, to);
      if (end > begin) total += end - begin;
    }
  }
  return total / MINUTE;
}

/** Business minutes spent paused up to `until`; a pause still running counts up to `until`. */
export function pausedBusinessMinutes(pauses: readonly Pause[], until: Date, cal: BusinessCalendar): number {
  let total = 0;
  for (const p of pauses) {
    const end = p.end && p.end.getTime() < until.getTime() ? p.end : until;
    if (end.getTime() > p.start.getTime()) total += businessMinutesBetween(p.start, end, cal);
  }
  return total;
}

/** Business minutes the clock ran between `start` and `until`, without the paused stretches. */
export function elapsedBusinessMinutes(start: Date, until: Date, pauses: readonly Pause[], cal: BusinessCalendar): number {
  const clipped = pauses.map((p) => ({ start: p.start < start ? start : p.start, end: p.end }));
  return businessMinutesBetween(start, until, cal) - pausedBusinessMinutes(clipped, until, cal);
}
