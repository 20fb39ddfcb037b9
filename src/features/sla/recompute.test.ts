import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { computeClock, resumedPauses } from './case-clock.ts';
import { businessCalendar, DEFAULT_OFFICE_HOURS, type OfficeHoursSetting } from './holidays.ts';
import { dueTimesChanged, rebaseClock, type StoredClock, sameHours, withPolicyTargets } from './recompute.ts';

const berlin = (local: string) => DateTime.fromISO(local, { zone: 'Europe/Berlin' }).toJSDate();
const inBerlin = (d: Date | null) => (d ? DateTime.fromJSDate(d, { zone: 'Europe/Berlin' }).toFormat("ccc yyyy-MM-dd'T'HH:mm") : null);

// Mo–Do 8–16, Fr 8–12 before; Mo–Fr 7–19 after (the Leitstelle gets longer hours).
const oldHours = businessCalendar(DEFAULT_OFFICE_HOURS, 'BW');
const longWeek: OfficeHoursSetting = {
  week: [[[420, 1140]], [[420, 1140]], [[420, 1140]], [[420, 1140]], [[420, 1140]], [], []],
  closedDays: [],
};
const newHours = businessCalendar(longWeek, 'BW');

function clock(startedAt: Date, over: Partial<StoredClock> = {}): StoredClock {
  const base = {
    startedAt,
    responseMinutes: 480,
    resolutionMinutes: 2400,
    warnPercent: 80,
    responsePausedMinutes: 0,
    resolutionPausedMinutes: 0,
    firstResponseAt: null,
    pausedSince: null,
    countedFrom: null,
    countedMinutes: 0,
    responseWarnedAt: null,
    responseEscalatedAt: null,
    resolutionWarnedAt: null,
    resolutionEscalatedAt: null,
    ...over,
  };
  return { ...base, ...computeClock(base, oldHours), ...over };
}

describe('rebaseClock (new office hours under a running clock)', () => {
  it('keeps the time already spent and counts only the rest in the new hours', () => {
    // Filed Friday 13:00 after closing: under the old hours only Monday 08:00–08:30 has run.
    const c = clock(berlin('2026-02-27T13:00'));
    expect(inBerlin(c.responseDueAt)).toBe('Mon 2026-03-02T16:00');
    const moved = rebaseClock(c, berlin('2026-03-02T08:30'), oldHours, newHours);
    expect(moved.countedMinutes).toBe(30);
    expect(moved.countedFrom?.getTime()).toBe(berlin('2026-03-02T08:30').getTime());
    // 7.5 h left from 08:30 in 07–19 hours. Counting the new hours from Friday instead would have
    // made it due at 09:00 the same morning, for six Friday evening hours that were never open.
    expect(inBerlin(moved.responseDueAt)).toBe('Mon 2026-03-02T16:00');
    expect(inBerlin(moved.dueAt)).toBe('Mon 2026-03-02T16:00');
    // 39.5 h left: Mon 10.5 h, Tue 12, Wed 12, then 5 h on Thursday.
    expect(inBerlin(moved.resolutionDueAt)).toBe('Thu 2026-03-05T12:00');
    // Warning at 80 % of 8 h = 6 h 24 min, 30 min spent: 5 h 54 min after 08:30.
    expect(inBerlin(moved.warnAt)).toBe('Mon 2026-03-02T14:24');
  });

  it('moves a deadline later when the hours get shorter, for the time not yet spent only', () => {
    const c = clock(berlin('2026-03-02T09:00'));
    const short = businessCalendar(
      { week: [[[480, 720]], [[480, 720]], [[480, 720]], [[480, 720]], [[480, 720]], [], []], closedDays: [] },
      'BW',
    );
    const moved = rebaseClock(c, berlin('2026-03-02T11:00'), oldHours, short);
    // 2 h spent, 6 h left in 08–12 hours: Monday 11–12, Tuesday 4 h, Wednesday 08–09.
    expect(inBerlin(moved.responseDueAt)).toBe('Wed 2026-03-04T09:00');
    expect(dueTimesChanged(c, moved)).toBe(true);
  });

  it('changes nothing when the hours stay the same, and gives the same result when run twice', () => {
    const c = clock(berlin('2026-03-02T09:00'));
    const at = berlin('2026-03-03T10:00');
    const same = rebaseClock(c, at, oldHours, oldHours);
    expect(dueTimesChanged(c, same)).toBe(false);
    const once = rebaseClock(c, at, oldHours, newHours);
    const twice = rebaseClock(once, at, oldHours, newHours);
    expect(twice).toEqual(once);
  });

  it('leaves a deadline that had already passed where it was, with its stamps', () => {
    const escalatedAt = berlin('2026-03-03T09:01');
    const c = clock(berlin('2026-03-02T09:00'), { responseWarnedAt: berlin('2026-03-02T15:24'), responseEscalatedAt: escalatedAt });
    expect(inBerlin(c.responseDueAt)).toBe('Tue 2026-03-03T09:00');
    const moved = rebaseClock(c, berlin('2026-03-03T12:00'), oldHours, newHours);
    expect(moved.responseDueAt.getTime()).toBe(c.responseDueAt.getTime());
    expect(moved.dueAt?.getTime()).toBe(c.responseDueAt.getTime());
    expect(moved.responseEscalatedAt).toBe(escalatedAt);
    expect(moved.responseWarnedAt).toEqual(c.responseWarnedAt);
    // The resolution deadline still runs: 11 h spent (Mon 7, Tue 4), 29 h left from Tuesday noon.
    expect(inBerlin(moved.resolutionDueAt)).toBe('Thu 2026-03-05T17:00');
    // And it stays put when the clock is computed again later (a status change, say).
    expect(computeClock(moved, newHours).responseDueAt.getTime()).toBe(c.responseDueAt.getTime());
  });

  it('moves a paused clock at the moment it stopped; the pause is then measured in the new hours', () => {
    const c = clock(berlin('2026-03-02T09:00'), { pausedSince: berlin('2026-03-02T11:00') });
    expect(c.dueAt).toBeNull();
    const moved = rebaseClock(c, berlin('2026-03-02T14:00'), oldHours, newHours);
    expect(moved.countedMinutes).toBe(120);
    expect(moved.countedFrom?.getTime()).toBe(berlin('2026-03-02T11:00').getTime());
    expect(moved.dueAt).toBeNull();
    // Work resumes Tuesday 10:00 with 6 h of the 8 h left: due Tuesday 16:00 in the new hours.
    const now = berlin('2026-03-03T10:00');
    const resumed = { ...moved, ...resumedPauses(moved, now, newHours), pausedSince: null };
    expect(resumed.responsePausedMinutes).toBe(11 * 60);
    expect(inBerlin(computeClock(resumed, newHours).responseDueAt)).toBe('Tue 2026-03-03T16:00');
  });

  it('keeps an answered first response where it was', () => {
    const c = clock(berlin('2026-03-02T09:00'), { firstResponseAt: berlin('2026-03-02T10:00') });
    const moved = rebaseClock(c, berlin('2026-03-02T12:00'), oldHours, newHours);
    expect(moved.responseDueAt.getTime()).toBe(c.responseDueAt.getTime());
    expect(moved.dueKind).toBe('resolution');
    expect(inBerlin(moved.dueAt)).toBe(inBerlin(moved.resolutionDueAt));
  });
});

describe('withPolicyTargets (a policy edit applied to running cases)', () => {
  const policy = { id: 9, name: 'Schneller', responseMinutes: 120, resolutionMinutes: 960, warnPercent: 50 };

  it('gives an open clock the new targets from its start', () => {
    const c = clock(berlin('2026-03-02T09:00'));
    const next = withPolicyTargets(c, policy, berlin('2026-03-02T09:30'), oldHours);
    expect(next).toMatchObject({ policyId: 9, policyName: 'Schneller', responseMinutes: 120, resolutionMinutes: 960, warnPercent: 50 });
    expect(inBerlin(next.responseDueAt)).toBe('Mon 2026-03-02T11:00');
    expect(inBerlin(next.warnAt)).toBe('Mon 2026-03-02T10:00');
  });

  it('leaves an answered or escalated deadline as it was', () => {
    const answered = clock(berlin('2026-03-02T09:00'), { firstResponseAt: berlin('2026-03-02T10:00') });
    const a = withPolicyTargets(answered, policy, berlin('2026-03-02T11:00'), oldHours);
    expect(a.responseMinutes).toBe(480);
    expect(a.responseDueAt.getTime()).toBe(answered.responseDueAt.getTime());
    expect(a.resolutionMinutes).toBe(960);

    const escalated = clock(berlin('2026-03-02T09:00'), { responseEscalatedAt: berlin('2026-03-03T09:00') });
    const e = withPolicyTargets(escalated, { ...policy, responseMinutes: 960 }, berlin('2026-03-03T10:00'), oldHours);
    expect(e.responseMinutes).toBe(480);
    expect(e.responseDueAt.getTime()).toBe(escalated.responseDueAt.getTime());
    expect(e.responseEscalatedAt).toEqual(escalated.responseEscalatedAt);
  });

  it('warns again only when the new warning point lies ahead', () => {
    const warned = clock(berlin('2026-03-02T09:00'), { responseWarnedAt: berlin('2026-03-02T15:24') });
    const later = withPolicyTargets(
      warned,
      { ...policy, responseMinutes: 960, resolutionMinutes: 2400 },
      berlin('2026-03-02T15:30'),
      oldHours,
    );
    // Half of 16 h: 8 h after Monday 09:00.
    expect(inBerlin(later.warnAt)).toBe('Tue 2026-03-03T09:00');
    expect(later.responseWarnedAt).toBeNull();
    const sooner = withPolicyTargets(warned, policy, berlin('2026-03-02T15:30'), oldHours);
    expect(sooner.responseWarnedAt).toEqual(warned.responseWarnedAt);
  });
});

describe('sameHours', () => {
  it('compares the week and the closing days, not how they were typed', () => {
    expect(sameHours(DEFAULT_OFFICE_HOURS, { week: DEFAULT_OFFICE_HOURS.week.map((d) => [...d]), closedDays: [] })).toBe(true);
    expect(sameHours({ ...longWeek, closedDays: ['12-31', '12-24'] }, { ...longWeek, closedDays: ['12-24', '12-31'] })).toBe(true);
    expect(sameHours(DEFAULT_OFFICE_HOURS, longWeek)).toBe(false);
    expect(sameHours(DEFAULT_OFFICE_HOURS, { ...DEFAULT_OFFICE_HOURS, closedDays: ['12-24'] })).toBe(false);
  });
});
