import { describe, expect, it } from 'vitest';
import { publicHolidays } from './holidays.ts';
import { formatClosedDays, formatWeek, parseClosedDays, parseDayHours } from './hours.ts';

describe('office hours as typed', () => {
  it('reads one or several ranges, with or without minutes', () => {
    expect(parseDayHours('08:00–16:00')).toEqual({ ok: true, value: [[480, 960]] });
    expect(parseDayHours('8-12, 13:00 - 16:30')).toEqual({
      ok: true,
      value: [
        [480, 720],
        [780, 990],
      ],
    });
    expect(parseDayHours('0:00-24:00')).toEqual({ ok: true, value: [[0, 1440]] });
  });

  it('reads an empty field or "geschlossen" as a closed day', () => {
    expect(parseDayHours('')).toEqual({ ok: true, value: [] });
    expect(parseDayHours(' geschlossen ')).toEqual({ ok: true, value: [] });
  });

  it('explains what is wrong in German', () => {
    const wrong = (text: string) => {
      const r = parseDayHours(text);
      return r.ok ? 'ok' : r.message;
    };
    expect(wrong('morgens')).toMatch(/verstehen wir nicht/);
    expect(wrong('16:00-08:00')).toMatch(/endet die Zeit, bevor sie beginnt/);
    expect(wrong('08:00-25:00')).toMatch(/keine Uhrzeit/);
    expect(wrong('08:61-12:00')).toMatch(/keine Uhrzeit/);
    expect(wrong('08:00-12:00, 11:00-16:00')).toMatch(/überschneiden/);
  });

  it('shows a week in one line, equal days grouped', () => {
    const week = [[[480, 960]], [[480, 960]], [[480, 960]], [[480, 960]], [[480, 720]], [], []] as [number, number][][];
    expect(formatWeek(week)).toBe('Mo–Do 08:00–16:00 · Fr 08:00–12:00');
    expect(formatWeek([[], [], [], [], [], [], []])).toBe('keine Öffnungszeiten');
  });
});

describe('closing days', () => {
  it('reads German day.month lists into sorted MM-DD', () => {
    expect(parseClosedDays('31.12., 24.12. 24.12')).toEqual({ ok: true, value: ['12-24', '12-31'] });
    expect(parseClosedDays('')).toEqual({ ok: true, value: [] });
    expect(formatClosedDays(['12-24', '12-31'])).toBe('24.12., 31.12.');
  });

  it('refuses days that do not exist', () => {
    expect(parseClosedDays('31.02.').ok).toBe(false);
    expect(parseClosedDays('1.13.').ok).toBe(false);
    expect(parseClosedDays('Heiligabend').ok).toBe(false);
  });
});

describe('public holidays per Bundesland', () => {
  it('has Fronleichnam in Baden-Württemberg, not in Berlin; Frauentag only in Berlin', () => {
    expect(publicHolidays('BW', 2026).get('2026-06-04')).toBe('Fronleichnam');
    expect(publicHolidays('BE', 2026).has('2026-06-04')).toBe(false);
    expect(publicHolidays('BE', 2026).has('2026-03-08')).toBe(true);
    expect(publicHolidays('BW', 2026).has('2026-03-08')).toBe(false);
  });

  it('leaves out observances and half bank holidays (Rosenmontag, Heiligabend are working days)', () => {
    const bw = publicHolidays('BW', 2026);
    expect(bw.has('2026-02-16')).toBe(false);
    expect(bw.has('2026-12-24')).toBe(false);
    expect(bw.has('2026-12-25')).toBe(true);
    expect(publicHolidays('BB', 2027).has('2027-10-31')).toBe(true);
  });
});
