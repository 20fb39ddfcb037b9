import { describe, expect, it } from 'vitest';
import { appointmentsOf } from './ics.ts';

const ics = (...events: string[]) =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Musterstadt//Test//DE', ...events, 'END:VCALENDAR'].join('\r\n');

// Outlook names its zones in Windows terms; the file's VTIMEZONE says what they mean.
const WINDOWS_ZONE = [
  'BEGIN:VTIMEZONE',
  'TZID:W. Europe Standard Time',
  'BEGIN:STANDARD',
  'DTSTART:16011028T030000',
  'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10',
  'TZOFFSETFROM:+0200',
  'TZOFFSETTO:+0100',
  'END:STANDARD',
  'BEGIN:DAYLIGHT',
  'DTSTART:16010325T020000',
  'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0200',
  'END:DAYLIGHT',
  'END:VTIMEZONE',
].join('\r\n');

const window = { from: new Date('2026-10-10T00:00:00Z'), to: new Date('2026-12-09T00:00:00Z') };

describe('iCalendar appointments', () => {
  it('expands a weekly series across the end of summer time, without EXDATE, with a moved occurrence', () => {
    const text = ics(
      'BEGIN:VEVENT',
      'UID:sprechstunde@musterstadt',
      'SUMMARY:Bürgersprechstunde',
      'LOCATION:Rathaus\\, Zimmer 1',
      'DTSTART;TZID=Europe/Berlin:20261013T090000',
      'DTEND;TZID=Europe/Berlin:20261013T100000',
      'RRULE:FREQ=WEEKLY;COUNT=5',
      'EXDATE;TZID=Europe/Berlin:20261103T090000',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:sprechstunde@musterstadt',
      'RECURRENCE-ID;TZID=Europe/Berlin:20261110T090000',
      'SUMMARY:Bürgersprechstunde (verschoben)',
      'DTSTART;TZID=Europe/Berlin:20261111T100000',
      'DTEND;TZID=Europe/Berlin:20261111T110000',
      'END:VEVENT',
    );
    const got = appointmentsOf(text, window);
    expect(got.map((a) => [a.startsAt.toISOString(), a.endsAt?.toISOString(), a.recurrenceId, a.title])).toEqual([
      // 09:00 summer time (+02:00) …
      ['2026-10-13T07:00:00.000Z', '2026-10-13T08:00:00.000Z', '2026-10-13T07:00:00.000Z', 'Bürgersprechstunde'],
      ['2026-10-20T07:00:00.000Z', '2026-10-20T08:00:00.000Z', '2026-10-20T07:00:00.000Z', 'Bürgersprechstunde'],
      // … and 09:00 winter time (+01:00) after 25 October.
      ['2026-10-27T08:00:00.000Z', '2026-10-27T09:00:00.000Z', '2026-10-27T08:00:00.000Z', 'Bürgersprechstunde'],
      // 3 November is excluded; 10 November moved to the 11th at 10:00.
      ['2026-11-11T09:00:00.000Z', '2026-11-11T10:00:00.000Z', '2026-11-10T08:00:00.000Z', 'Bürgersprechstunde (verschoben)'],
    ]);
    expect(got[0]?.place).toBe('Rathaus, Zimmer 1');
  });

  it('reads all-day events from the town midnight, RDATE, UTC, floating times and a Windows zone', () => {
    const text = ics(
      WINDOWS_ZONE,
      'BEGIN:VEVENT',
      'UID:markt',
      'SUMMARY:Weihnachtsmarkt',
      'DTSTART;VALUE=DATE:20261205',
      'DTEND;VALUE=DATE:20261207',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:tag',
      'SUMMARY:Nikolaus',
      'DTSTART;VALUE=DATE:20261206',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:rat',
      'SUMMARY:Gemeinderat',
      'DTSTART:20261015T170000Z',
      'RDATE:20261119T180000Z',
      'RRULE:FREQ=YEARLY;COUNT=1',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:floating',
      'SUMMARY:Seniorenkaffee',
      'DTSTART:20261101T150000',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:outlook',
      'SUMMARY:Jour fixe',
      'DTSTART;TZID=W. Europe Standard Time:20261026T080000',
      'END:VEVENT',
    );
    const got = appointmentsOf(text, window);
    expect(got.map((a) => [a.uid, a.startsAt.toISOString(), a.endsAt?.toISOString() ?? null, a.allDay])).toEqual([
      ['rat', '2026-10-15T17:00:00.000Z', null, false],
      ['outlook', '2026-10-26T07:00:00.000Z', null, false],
      ['floating', '2026-11-01T14:00:00.000Z', null, false],
      ['rat', '2026-11-19T18:00:00.000Z', null, false],
      ['markt', '2026-12-04T23:00:00.000Z', '2026-12-06T23:00:00.000Z', true],
      ['tag', '2026-12-05T23:00:00.000Z', '2026-12-06T23:00:00.000Z', true],
    ]);
  });

  it('leaves out what lies outside the window and cancelled occurrences', () => {
    const text = ics(
      'BEGIN:VEVENT',
      'UID:alt',
      'SUMMARY:Vorbei',
      'DTSTART:20250101T100000Z',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:abgesagt',
      'SUMMARY:Abgesagt',
      'STATUS:CANCELLED',
      'DTSTART:20261020T100000Z',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:taeglich',
      'SUMMARY:Täglich seit Jahren',
      'DTSTART:20200101T100000Z',
      'RRULE:FREQ=DAILY',
      'END:VEVENT',
    );
    const got = appointmentsOf(text, window);
    expect(got.every((a) => a.uid === 'taeglich')).toBe(true);
    expect(got).toHaveLength(60);
  });

  it('refuses a broken file with a German message', () => {
    expect(() => appointmentsOf('BEGIN:VCALENDAR\r\nDTSTART:kaputt\r\n', window)).toThrow(/kein gültiges iCalendar/);
    expect(() => appointmentsOf('Hallo Welt', window)).toThrow(/kein gültiges iCalendar|keinen Kalender/);
  });
});
