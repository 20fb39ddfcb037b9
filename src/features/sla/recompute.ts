import type { SlaDueKind } from '../../infra/schema/index.ts';
import { type BusinessCalendar, businessMinutesBetween } from './business-time.ts';
import { type ClockInput, type ClockTimes, computeClock, type PolicyLike } from './case-clock.ts';
import type { OfficeHoursSetting } from './holidays.ts';

/**
 * The pure rules for moving running clocks after an admin's change: new office hours (rebaseClock)
 * and a policy edit applied to running cases (withPolicyTargets). The database side is in
 * recompute-service.ts.
 */

export interface StoredClock extends ClockInput {
  responseDueAt: Date;
  resolutionDueAt: Date;
  countedFrom: Date | null;
  countedMinutes: number;
  dueKind: SlaDueKind | null;
  dueAt: Date | null;
  warnAt: Date | null;
  responseWarnedAt: Date | null;
  responseEscalatedAt: Date | null;
  resolutionWarnedAt: Date | null;
  resolutionEscalatedAt: Date | null;
}

/** Whether two office-hour settings give the same calendar (saving only the team leads changes no clock). */
export function sameHours(a: OfficeHoursSetting, b: OfficeHoursSetting): boolean {
  const week = (s: OfficeHoursSetting) => JSON.stringify(s.week.map((d) => d.map(([open, close]) => [open, close])));
  return week(a) === week(b) && JSON.stringify([...a.closedDays].sort()) === JSON.stringify([...b.closedDays].sort());
}

/**
 * Moves a clock onto new office hours from `at` on. The business time that already ran stays spent
 * as it was counted under the old hours, and only what is left is counted in the new ones: opening
 * earlier from tomorrow must not make a week-old case overdue today for hours it never had, and
 * shorter hours must not hand out time that has already gone by. A paused clock is moved at the
 * moment it stopped, because the pause itself is measured in the new hours when work resumes.
 *
 * The warned and escalated stamps stay as they are: the minutes already spent do not change, so a
 * warning point or deadline that had passed is still passed (and keeps its instant, see
 * computeClock), and one still ahead is still ahead. Nothing fires twice and nothing is skipped.
 * Minutes are counted whole, rounded down: the deadline moves at most one minute in the clerk's favour.
 */
export function rebaseClock<C extends StoredClock>(c: C, at: Date, before: BusinessCalendar, after: BusinessCalendar): C & ClockTimes {
  const from = c.countedFrom ?? c.startedAt;
  const point = c.pausedSince && c.pausedSince.getTime() < at.getTime() ? c.pausedSince : at;
  const next =
    point.getTime() > from.getTime()
      ? { ...c, countedFrom: point, countedMinutes: c.countedMinutes + Math.floor(businessMinutesBetween(from, point, before)) }
      : { ...c };
  return { ...next, ...computeClock(next, after) };
}

const warnedColumn = { response: 'responseWarnedAt', resolution: 'resolutionWarnedAt' } as const;

/**
 * A clock with the targets of an edited policy. A deadline that is over keeps its target: an
 * answered first response, and any deadline already escalated (its priority was raised and the
 * leads were told; moving it afterwards would undo nothing and could escalate it a second time).
 * The warning of the deadline now running may come again only if its new warning point lies ahead;
 * one that is due again at once after a warning already sent stays quiet.
 */
export function withPolicyTargets<C extends StoredClock>(
  c: C,
  policy: Pick<PolicyLike, 'id' | 'name' | 'responseMinutes' | 'resolutionMinutes' | 'warnPercent'>,
  now: Date,
  cal: BusinessCalendar,
): C & ClockTimes & { policyId: number; policyName: string } {
  const responseOver = c.firstResponseAt !== null || c.responseEscalatedAt !== null;
  const resolutionOver = c.resolutionEscalatedAt !== null;
  const next = {
    ...c,
    policyId: policy.id,
    policyName: policy.name,
    warnPercent: policy.warnPercent,
    responseMinutes: responseOver ? c.responseMinutes : policy.responseMinutes,
    resolutionMinutes: resolutionOver ? c.resolutionMinutes : policy.resolutionMinutes,
  };
  const times = computeClock(next, cal);
  const result = { ...next, ...times };
  if (times.dueKind && times.warnAt && times.warnAt.getTime() > now.getTime()) result[warnedColumn[times.dueKind]] = null;
  return result;
}

/** Whether a recomputation moved anything a person or a check job looks at. */
export function dueTimesChanged(a: Pick<StoredClock, 'responseDueAt' | 'resolutionDueAt' | 'warnAt'>, b: typeof a): boolean {
  const same = (x: Date | null, y: Date | null) => (x?.getTime() ?? null) === (y?.getTime() ?? null);
  return !same(a.responseDueAt, b.responseDueAt) || !same(a.resolutionDueAt, b.resolutionDueAt) || !same(a.warnAt, b.warnAt);
}
