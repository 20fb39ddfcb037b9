import type { DayHours, OfficeInterval } from './business-time.ts';

/** How staff read and type office hours: "08:00–16:00", several ranges with commas, empty = closed. */

export const weekdayNames = ['Montag', 'Dienstag', 'Mittwoch', 'Donnerstag', 'Freitag', 'Samstag', 'Sonntag'] as const;
export const weekdayShort = ['Mo', 'Di', 'Mi', 'Do', 'Fr', 'Sa', 'So'] as const;

const RANGE = /^(\d{1,2})(?::(\d{2}))?\s*(?:-|–|bis)\s*(\d{1,2})(?::(\d{2}))?$/;

const clock = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

export function formatDayHours(day: DayHours): string {
  return day.map(([open, close]) => `${clock(open)}–${clock(close)}`).join(', ');
}

/** "Mo–Do 08:00–16:00 · Fr 08:00–12:00": a week in one line, equal neighbouring days grouped. */
export function formatWeek(week: readonly DayHours[]): string {
  const parts: string[] = [];
  let i = 0;
  while (i < 7) {
    const text = formatDayHours(week[i] ?? []);
    let j = i;
    while (j + 1 < 7 && formatDayHours(week[j + 1] ?? []) === text) j++;
    if (text) parts.push(`${weekdayShort[i]}${j > i ? `–${weekdayShort[j]}` : ''} ${text}`);
    i = j + 1;
  }
  return parts.length ? parts.join(' · ') : 'keine Öffnungszeiten';
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** Parses one weekday's field; ranges must be in order and must not overlap. */
export function parseDayHours(text: string): Parsed<OfficeInterval[]> {
  const trimmed = text.trim();
  if (trimmed === '' || /^(geschlossen|zu|-|–)$/i.test(trimmed)) return { ok: true, value: [] };
  const intervals: OfficeInterval[] = [];
  for (const part of trimmed.split(/[,;]/).map((p) => p.trim())) {
    const m = RANGE.exec(part);
    if (!m) return { ok: false, message: `„${part}“ verstehen wir nicht. Bitte so: 08:00–16:00, mehrere Zeiten mit Komma.` };
    const open = Number(m[1]) * 60 + Number(m[2] ?? 0);
    const close = Number(m[3]) * 60 + Number(m[4] ?? 0);
    if (Number(m[2] ?? 0) > 59 || Number(m[4] ?? 0) > 59 || open > 1439 || close > 1440) {
      return { ok: false, message: `„${part}“ ist keine Uhrzeit. Erlaubt sind 00:00 bis 24:00.` };
    }
    if (close <= open) return { ok: false, message: `In „${part}“ endet die Zeit, bevor sie beginnt.` };
    const previous = intervals.at(-1);
    if (previous && open < previous[1])
      return { ok: false, message: 'Die Zeiten überschneiden sich oder stehen nicht in der Reihenfolge des Tages.' };
    intervals.push([open, close]);
  }
  if (intervals.length > 4) return { ok: false, message: 'Höchstens vier Zeiträume pro Tag.' };
  return { ok: true, value: intervals };
}

const DAY_MONTH = /^(\d{1,2})\.(\d{1,2})\.?$/;
const daysInMonth = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** "24.12., 31.12." → ["12-24", "12-31"]: yearly closing days, sorted and without repeats. */
export function parseClosedDays(text: string): Parsed<string[]> {
  const parts = text
    .split(/[,;\s]+/)
    .map((p) => p.trim())
    .filter(Boolean);
  const days = new Set<string>();
  for (const part of parts) {
    const m = DAY_MONTH.exec(part);
    const day = Number(m?.[1]);
    const month = Number(m?.[2]);
    if (!m || month < 1 || month > 12 || day < 1 || day > (daysInMonth[month - 1] ?? 0)) {
      return { ok: false, message: `„${part}“ ist kein Tag. Bitte so: 24.12., 31.12.` };
    }
    days.add(`${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`);
  }
  if (days.size > 30) return { ok: false, message: 'Höchstens 30 Schließtage.' };
  return { ok: true, value: [...days].sort() };
}

export function formatClosedDays(days: readonly string[]): string {
  return days.map((d) => `${d.slice(3)}.${d.slice(0, 2)}.`).join(', ');
}
