import ICAL from 'ical.js';
import { DateTime } from 'luxon';
import { AppError } from '../../../infra/errors.ts';

/** The town's zone: floating times and unknown TZIDs are read in it, all-day events start at its midnight. */
export const TOWN_ZONE = 'Europe/Berlin';
/** A recurring event that never ends is read this far at most (a daily one for some 27 years). */
const MAX_STEPS_PER_EVENT = 10_000;

export interface Appointment {
  uid: string;
  /** The occurrence's original start (ISO, UTC) for recurring events; '' for a single event. */
  recurrenceId: string;
  title: string;
  startsAt: Date;
  endsAt: Date | null;
  allDay: boolean;
  place: string | null;
  description: string | null;
}

type Time = InstanceType<typeof ICAL.Time>;

/** One instant from an iCalendar time, by its own zone: UTC, an IANA zone, the file's VTIMEZONE, else the town's. */
function instantOf(t: Time, fileZones: Map<string, InstanceType<typeof ICAL.Timezone>>): Date {
  const parts = {
    year: t.year,
    month: t.month,
    day: t.day,
    hour: t.isDate ? 0 : t.hour,
    minute: t.isDate ? 0 : t.minute,
    second: t.isDate ? 0 : t.second,
  };
  if (!t.isDate && t.zone === ICAL.Timezone.utcTimezone)
    return new Date(Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second));
  // ical.js keeps a TZID it has no registered zone for as `timezone` (undeclared in its types).
  const tzid = t.isDate ? TOWN_ZONE : ((t as Time & { timezone?: string }).timezone ?? t.zone?.tzid ?? '');
  const iana = tzid && tzid !== 'floating' ? DateTime.fromObject(parts, { zone: tzid }) : null;
  if (iana?.isValid) return iana.toJSDate();
  const own = fileZones.get(tzid);
  if (own) {
    const offset = own.utcOffset(t);
    return new Date(Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second) - offset * 1000);
  }
  return DateTime.fromObject(parts, { zone: TOWN_ZONE }).toJSDate();
}

const clean = (v: unknown, max: number): string | null => {
  if (typeof v !== 'string') return null;
  const s = v.replace(/\s+/g, ' ').trim();
  return s ? s.slice(0, max) : null;
};

function parseCalendar(text: string): InstanceType<typeof ICAL.Component> {
  let jcal: unknown;
  try {
    jcal = ICAL.parse(text);
  } catch {
    throw new AppError('Invalid', 'Die Kalenderdatei ist kein gültiges iCalendar (.ics). Bitte prüfen Sie die Datei.');
  }
  const root = new ICAL.Component(jcal as unknown[]);
  if (root.name !== 'vcalendar') throw new AppError('Invalid', 'Die Datei enthält keinen Kalender (VCALENDAR fehlt).');
  return root;
}

/**
 * The appointments of an .ics between `from` and `to`: recurring events expanded (RRULE, RDATE,
 * EXDATE, moved or cancelled occurrences by RECURRENCE-ID), times in their zones, all-day events
 * from the town's midnight. Pure: the caller decides what becomes of them.
 */
export function appointmentsOf(text: string, window: { from: Date; to: Date }): Appointment[] {
  const root = parseCalendar(text);
  const fileZones = new Map<string, InstanceType<typeof ICAL.Timezone>>();
  for (const vtz of root.getAllSubcomponents('vtimezone')) {
    const tz = new ICAL.Timezone(vtz);
    if (tz.tzid) fileZones.set(tz.tzid, tz);
  }
  const masters = new Map<string, InstanceType<typeof ICAL.Event>>();
  const exceptions: InstanceType<typeof ICAL.Event>[] = [];
  for (const comp of root.getAllSubcomponents('vevent')) {
    const event = new ICAL.Event(comp);
    if (!event.uid || !event.startDate) continue;
    if (event.isRecurrenceException()) exceptions.push(event);
    else masters.set(event.uid, event);
  }
  for (const exc of exceptions) masters.get(exc.uid)?.relateException(exc);

  const out: Appointment[] = [];
  const inWindow = (start: Date, end: Date | null) => start < window.to && (end ?? start) >= window.from;
  const add = (event: InstanceType<typeof ICAL.Event>, start: Time, end: Time | null, recurrenceId: string) => {
    if (String(event.component.getFirstPropertyValue('status') ?? '').toUpperCase() === 'CANCELLED') return;
    const startsAt = instantOf(start, fileZones);
    // Without DTEND an event has no length (ical.js then gives its start), an all-day one lasts its day.
    const endAt = end ? instantOf(end, fileZones) : null;
    const endsAt = endAt && endAt > startsAt ? endAt : start.isDate ? new Date(startsAt.getTime() + 86_400_000) : null;
    if (!inWindow(startsAt, endsAt)) return;
    out.push({
      uid: event.uid.slice(0, 500),
      recurrenceId,
      title: clean(event.summary, 300) ?? 'Termin ohne Titel',
      startsAt,
      endsAt,
      allDay: start.isDate,
      place: clean(event.location, 300),
      description: clean(event.description, 4000),
    });
  };

  for (const event of masters.values()) {
    if (!event.isRecurring()) {
      add(event, event.startDate, event.endDate ?? null, '');
      continue;
    }
    const it = event.iterator();
    for (let i = 0, next = it.next(); next && i < MAX_STEPS_PER_EVENT; i++, next = it.next()) {
      if (instantOf(next, fileZones) >= window.to) break;
      const d = event.getOccurrenceDetails(next);
      add(d.item, d.startDate, d.endDate ?? null, instantOf(d.recurrenceId, fileZones).toISOString());
    }
  }
  // A moved occurrence whose series is not in the file stands alone.
  for (const exc of exceptions) {
    if (!masters.has(exc.uid)) add(exc, exc.startDate, exc.endDate ?? null, instantOf(exc.recurrenceId, fileZones).toISOString());
  }
  return out.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
}
