import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { computeClock, formatBusinessMinutes, type PolicyLike, pickPolicy, resumedPauses, slaState } from './case-clock.ts';
import { businessCalendar, DEFAULT_OFFICE_HOURS } from './holidays.ts';

const berlin = (local: string) => DateTime.fromISO(local, { zone: 'Europe/Berlin' }).toJSDate();
const inBerlin = (d: Date | null) => (d ? DateTime.fromJSDate(d, { zone: 'Europe/Berlin' }).toFormat("yyyy-MM-dd'T'HH:mm") : null);
const cal = businessCalendar(DEFAULT_OFFICE_HOURS, 'BW');

const policy = (over: Partial<PolicyLike>): PolicyLike => ({
  id: 0,
  name: 'p',
  teamId: null,
  caseType: null,
  priority: null,
  responseMinutes: 480,
  resolutionMinutes: 2400,
  warnPercent: 80,
  ...over,
});

describe('pickPolicy', () => {
  const policies = [
    policy({ id: 1, name: 'Standard' }),
    policy({ id: 2, name: 'Störungen', caseType: 'defect' }),
    policy({ id: 3, name: 'Dringende Störungen', caseType: 'defect', priority: 'urgent' }),
    policy({ id: 4, name: 'Tiefbauamt', teamId: 7 }),
    policy({ id: 5, name: 'Dringend', priority: 'urgent' }),
  ];

  it('takes the most specific match: team over type over priority', () => {
    expect(pickPolicy(policies, { teamId: 7, type: 'defect', priority: 'urgent' })?.id).toBe(4);
    expect(pickPolicy(policies, { teamId: 1, type: 'defect', priority: 'urgent' })?.id).toBe(3);
    expect(pickPolicy(policies, { teamId: 1, type: 'defect', priority: 'normal' })?.id).toBe(2);
    expect(pickPolicy(policies, { teamId: 1, type: 'idea', priority: 'urgent' })?.id).toBe(5);
  });

  it('falls back to the default, and without one to no clock at all', () => {
    expect(pickPolicy(policies, { teamId: null, type: null, priority: 'normal' })?.id).toBe(1);
    expect(pickPolicy(policies.slice(1), { teamId: null, type: 'idea', priority: 'normal' })).toBeNull();
  });
});

describe('computeClock', () => {
  const base = {
    startedAt: berlin('2026-03-02T09:00'),
    responseMinutes: 480,
    resolutionMinutes: 2400,
    warnPercent: 80,
    responsePausedMinutes: 0,
    resolutionPausedMinutes: 0,
    firstResponseAt: null,
    pausedSince: null,
  };

  it('puts both deadlines in business time and warns at 80 % of the next one', () => {
    const c = computeClock(base, cal);
    expect(inBerlin(c.responseDueAt)).toBe('2026-03-03T09:00');
    // 40 h: Mon 7 + Tue 8 + Wed 8 + Thu 8 + Fri 4 = 35, then 5 more on Monday.
    expect(inBerlin(c.resolutionDueAt)).toBe('2026-03-09T13:00');
    expect(c.dueKind).toBe('response');
    expect(inBerlin(c.dueAt)).toBe('2026-03-03T09:00');
    expect(inBerlin(c.warnAt)).toBe('2026-03-02T15:24');
  });

  it('follows the resolution once the first response is given', () => {
    const c = computeClock({ ...base, firstResponseAt: berlin('2026-03-02T10:00') }, cal);
    expect(c.dueKind).toBe('resolution');
    expect(inBerlin(c.dueAt)).toBe('2026-03-09T13:00');
  });

  it('has no running deadline while paused, and adds the paused minutes afterwards', () => {
    expect(computeClock({ ...base, pausedSince: berlin('2026-03-02T10:00') }, cal).dueAt).toBeNull();
    const later = computeClock({ ...base, responsePausedMinutes: 120 }, cal);
    expect(inBerlin(later.dueAt)).toBe('2026-03-03T11:00');
  });
});

describe('resumedPauses', () => {
  const clock = {
    firstResponseAt: null,
    responsePausedMinutes: 0,
    resolutionPausedMinutes: 30,
    responseDueAt: berlin('2026-03-03T09:00'),
    resolutionDueAt: berlin('2026-03-09T13:00'),
  };

  it('adds the paused business minutes to every deadline still open', () => {
    const r = resumedPauses({ ...clock, pausedSince: berlin('2026-03-02T15:00') }, berlin('2026-03-03T10:00'), cal);
    // Monday 15–16 and Tuesday 8–10.
    expect(r).toEqual({ responsePausedMinutes: 180, resolutionPausedMinutes: 210 });
  });

  it('does not rescue a deadline that was missed before the pause began', () => {
    const r = resumedPauses({ ...clock, pausedSince: berlin('2026-03-03T10:00') }, berlin('2026-03-03T12:00'), cal);
    expect(r).toEqual({ responsePausedMinutes: 0, resolutionPausedMinutes: 150 });
  });

  it('needs no more response time once the first response was given', () => {
    const r = resumedPauses(
      { ...clock, firstResponseAt: berlin('2026-03-02T10:00'), pausedSince: berlin('2026-03-02T11:00') },
      berlin('2026-03-02T12:00'),
      cal,
    );
    expect(r).toEqual({ responsePausedMinutes: 0, resolutionPausedMinutes: 90 });
  });
});

describe('slaState', () => {
  const due = { dueAt: berlin('2026-03-03T09:00'), warnAt: berlin('2026-03-02T15:24'), resolutionDueAt: berlin('2026-03-09T13:00') };
  const open = { status: 'in_progress' as const, closedAt: null, ...due };

  it('says im Plan, bald fällig, überfällig as time passes', () => {
    expect(slaState(berlin('2026-03-02T10:00'), open)).toBe('ok');
    expect(slaState(berlin('2026-03-02T15:30'), open)).toBe('soon');
    expect(slaState(berlin('2026-03-03T09:00'), open)).toBe('overdue');
  });

  it('says pausiert while waiting, and met or missed once closed', () => {
    expect(slaState(berlin('2026-03-10T10:00'), { ...open, status: 'waiting', dueAt: null, warnAt: null })).toBe('paused');
    const closed = { ...open, status: 'resolved' as const, dueAt: null, warnAt: null };
    expect(slaState(berlin('2026-03-20T10:00'), { ...closed, closedAt: berlin('2026-03-09T12:00') })).toBe('met');
    expect(slaState(berlin('2026-03-20T10:00'), { ...closed, closedAt: berlin('2026-03-09T14:00') })).toBe('missed');
  });

  it('formats business time in hours and minutes', () => {
    expect(formatBusinessMinutes(150)).toBe('2 Std. 30 Min.');
    expect(formatBusinessMinutes(480)).toBe('8 Std.');
    expect(formatBusinessMinutes(45)).toBe('45 Min.');
  });
});
