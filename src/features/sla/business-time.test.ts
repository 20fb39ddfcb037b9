import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  addBusinessMinutes,
  type BusinessCalendar,
  businessMinutesBetween,
  elapsedBusinessMinutes,
  pausedBusinessMinutes,
} from './business-time.ts';
import { businessCalendar, DEFAULT_OFFICE_HOURS } from './holidays.ts';

/** Wall-clock time in Berlin, as staff would say it. */
const berlin = (local: string) => DateTime.fromISO(local, { zone: 'Europe/Berlin' }).toJSDate();
const inBerlin = (d: Date) => DateTime.fromJSDate(d, { zone: 'Europe/Berlin' }).toFormat("ccc yyyy-MM-dd'T'HH:mm");

// Mo–Do 8–16, Fr 8–12, public holidays of Baden-Württemberg.
const bw = businessCalendar(DEFAULT_OFFICE_HOURS, 'BW');
const berlinState = businessCalendar(DEFAULT_OFFICE_HOURS, 'BE');
const allDay: BusinessCalendar = { zone: 'Europe/Berlin', week: Array(7).fill([[0, 1440]]), isClosedDay: () => false };

describe('addBusinessMinutes', () => {
  it('stays within one office day', () => {
    expect(inBerlin(addBusinessMinutes(berlin('2026-03-02T09:00'), 120, bw))).toBe('Mon 2026-03-02T11:00');
  });

  it('ends exactly at closing time rather than at the next opening', () => {
    expect(inBerlin(addBusinessMinutes(berlin('2026-03-02T15:00'), 60, bw))).toBe('Mon 2026-03-02T16:00');
  });

  it('carries the rest over to the next office day', () => {
    expect(inBerlin(addBusinessMinutes(berlin('2026-03-02T15:00'), 120, bw))).toBe('Tue 2026-03-03T09:00');
  });

  it('knows that Friday ends at noon and the weekend is closed', () => {
    expect(inBerlin(addBusinessMinutes(berlin('2026-03-06T11:00'), 120, bw))).toBe('Mon 2026-03-09T09:00');
  });

  it('counts a start outside office hours from the next opening', () => {
    expect(inBerlin(addBusinessMinutes(berlin('2026-03-07T10:00'), 30, bw))).toBe('Mon 2026-03-09T08:30');
    expect(inBerlin(addBusinessMinutes(berlin('2026-03-02T06:15'), 60, bw))).toBe('Mon 2026-03-02T09:00');
    expect(inBerlin(addBusinessMinutes(berlin('2026-03-02T17:00'), 60, bw))).toBe('Tue 2026-03-03T09:00');
    expect(inBerlin(addBusinessMinutes(berlin('2026-03-06T13:00'), 60, bw))).toBe('Mon 2026-03-09T09:00');
  });

  it('returns the start itself for zero minutes', () => {
    const start = berlin('2026-03-07T10:00');
    expect(addBusinessMinutes(start, 0, bw).getTime()).toBe(start.getTime());
  });

  it('skips Fronleichnam in Baden-Württemberg but not in Berlin', () => {
    // Wednesday before Fronleichnam (Thursday 4 June 2026).
    expect(inBerlin(addBusinessMinutes(berlin('2026-06-03T15:00'), 120, bw))).toBe('Fri 2026-06-05T09:00');
    expect(inBerlin(addBusinessMinutes(berlin('2026-06-03T15:00'), 120, berlinState))).toBe('Thu 2026-06-04T09:00');
  });

  it('skips Easter from Karfreitag to Ostermontag', () => {
    expect(inBerlin(addBusinessMinutes(berlin('2026-04-02T15:00'), 120, bw))).toBe('Tue 2026-04-07T09:00');
  });

  it('opens at 08:00 local time after the switch to summer time (last Sunday of March)', () => {
    const due = addBusinessMinutes(berlin('2026-03-27T11:00'), 120, bw);
    expect(inBerlin(due)).toBe('Mon 2026-03-30T09:00');
    expect(due.toISOString()).toBe('2026-03-30T07:00:00.000Z');
  });

  it('opens at 08:00 local time after the switch back to winter time (last Sunday of October)', () => {
    const due = addBusinessMinutes(berlin('2026-10-23T11:00'), 120, bw);
    expect(due.toISOString()).toBe('2026-10-26T08:00:00.000Z');
  });

  it('counts the real hours of a 23-hour and a 25-hour day for round-the-clock teams', () => {
    // 24 business hours from Saturday noon are 24 real hours: Sunday 13:00 after the clocks moved forward.
    expect(inBerlin(addBusinessMinutes(berlin('2026-03-28T12:00'), 24 * 60, allDay))).toBe('Sun 2026-03-29T13:00');
    expect(businessMinutesBetween(berlin('2026-03-29T00:00'), berlin('2026-03-30T00:00'), allDay)).toBe(23 * 60);
    expect(businessMinutesBetween(berlin('2026-10-25T00:00'), berlin('2026-10-26T00:00'), allDay)).toBe(25 * 60);
  });

  it('honours a team’s own closing days', () => {
    const closesOnChristmasEve = businessCalendar({ ...DEFAULT_OFFICE_HOURS, closedDays: ['12-24'] }, 'BW');
    // 23 Dec 2026 is a Wednesday; 24th closed, 25th/26th public holidays, then the weekend.
    expect(inBerlin(addBusinessMinutes(berlin('2026-12-23T15:00'), 120, closesOnChristmasEve))).toBe('Mon 2026-12-28T09:00');
    expect(inBerlin(addBusinessMinutes(berlin('2026-12-23T15:00'), 120, bw))).toBe('Thu 2026-12-24T09:00');
  });

  it('supports several office periods a day (a lunch break)', () => {
    const split: BusinessCalendar = {
      zone: 'Europe/Berlin',
      week: [
        [
          [480, 720],
          [780, 960],
        ],
        [],
        [],
        [],
        [],
        [],
        [],
      ],
      isClosedDay: () => false,
    };
    expect(inBerlin(addBusinessMinutes(berlin('2026-03-02T11:30'), 60, split))).toBe('Mon 2026-03-02T13:30');
  });

  it('refuses a calendar that never opens instead of looping forever', () => {
    const closed: BusinessCalendar = { zone: 'Europe/Berlin', week: Array(7).fill([]), isClosedDay: () => false };
    expect(() => addBusinessMinutes(berlin('2026-03-02T09:00'), 10, closed)).toThrow(/without any office hours/);
  });

  it('is the inverse of businessMinutesBetween for starts within office hours', () => {
    const starts = ['2026-03-02T08:00', '2026-03-05T15:59', '2026-03-27T11:30', '2026-05-29T08:10', '2026-12-22T13:00'];
    for (const s of starts) {
      for (const minutes of [1, 59, 240, 480, 2400, 9000]) {
        const start = berlin(s);
        expect(businessMinutesBetween(start, addBusinessMinutes(start, minutes, bw), bw)).toBe(minutes);
      }
    }
  });
});

it('gives one calendar the same answers as a fresh one, whichever days were asked before', () => {
  // The calendar remembers the last day it looked up by instant: a start just before or after
  // that day's midnight (summer time switch included) must not be taken for that day.
  const starts = ['2026-03-27T23:59', '2026-03-28T00:00', '2026-03-29T01:59', '2026-03-29T03:00', '2026-03-28T23:59', '2026-03-30T00:00'];
  const reused = businessCalendar(DEFAULT_OFFICE_HOURS, 'BW');
  for (const s of [...starts, ...starts.toReversed()]) {
    const fresh = businessCalendar(DEFAULT_OFFICE_HOURS, 'BW');
    expect(addBusinessMinutes(berlin(s), 90, reused)).toEqual(addBusinessMinutes(berlin(s), 90, fresh));
    expect(businessMinutesBetween(berlin(s), berlin('2026-03-31T12:00'), reused)).toBe(
      businessMinutesBetween(berlin(s), berlin('2026-03-31T12:00'), fresh),
    );
  }
});

describe('businessMinutesBetween', () => {
  it('counts only office hours', () => {
    expect(businessMinutesBetween(berlin('2026-03-02T09:00'), berlin('2026-03-03T10:00'), bw)).toBe(7 * 60 + 120);
    expect(businessMinutesBetween(berlin('2026-03-06T11:00'), berlin('2026-03-09T09:00'), bw)).toBe(120);
    expect(businessMinutesBetween(berlin('2026-03-07T09:00'), berlin('2026-03-08T18:00'), bw)).toBe(0);
  });

  it('is negative when the second instant comes first', () => {
    expect(businessMinutesBetween(berlin('2026-03-03T10:00'), berlin('2026-03-02T09:00'), bw)).toBe(-(7 * 60 + 120));
  });

  it('counts a whole working week as 36 hours (4 × 8 + 4)', () => {
    expect(businessMinutesBetween(berlin('2026-03-02T00:00'), berlin('2026-03-09T00:00'), bw)).toBe(36 * 60);
  });
});

describe('pauses', () => {
  const pauses = [
    { start: berlin('2026-03-02T10:00'), end: berlin('2026-03-02T12:00') },
    // Overnight: one hour on Tuesday, one on Wednesday.
    { start: berlin('2026-03-03T15:00'), end: berlin('2026-03-04T09:00') },
  ];

  it('sums the business minutes of every paused stretch', () => {
    expect(pausedBusinessMinutes(pauses, berlin('2026-03-10T00:00'), bw)).toBe(120 + 60 + 60);
  });

  it('counts a running pause up to now, and nothing after now', () => {
    const running = [{ start: berlin('2026-03-02T10:00'), end: null }];
    expect(pausedBusinessMinutes(running, berlin('2026-03-02T11:30'), bw)).toBe(90);
    expect(pausedBusinessMinutes(pauses, berlin('2026-03-02T11:00'), bw)).toBe(60);
  });

  it('leaves the paused time out of the elapsed time', () => {
    const start = berlin('2026-03-02T08:00');
    expect(elapsedBusinessMinutes(start, berlin('2026-03-04T12:00'), pauses, bw)).toBe(8 * 60 + 8 * 60 + 4 * 60 - 240);
  });
});
