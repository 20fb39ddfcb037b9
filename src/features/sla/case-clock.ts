import type { CaseStatus, CaseType, Priority, SlaDueKind } from '../../infra/schema/index.ts';
import { addBusinessMinutes, type BusinessCalendar, businessMinutesBetween } from './business-time.ts';

/** The pure rules of a case's SLA clock: which policy applies, the due times, pausing, the state shown. */

export interface PolicyLike {
  id: number;
  name: string;
  teamId: number | null;
  caseType: CaseType | null;
  priority: Priority | null;
  responseMinutes: number;
  resolutionMinutes: number;
  warnPercent: number;
  /** "Vorrang vor Team-Fristen": beats every matching policy without it, however specific. */
  overridesTeam?: boolean;
}

export interface PolicySubject {
  teamId: number | null;
  type: CaseType | null;
  priority: Priority;
}

/**
 * The most specific policy whose set fields all equal the case's: a team match outweighs a type
 * match, which outweighs a priority match (so "Tiefbauamt" beats "Störung, dringend"), unless a
 * matching policy has "Vorrang vor Team-Fristen": those come first, and among them again the most
 * specific (so "Dringend" with the tick beats "Tiefbauamt"). The policy with nothing set is the
 * default; without one, null (the case gets no clock).
 */
export function pickPolicy<P extends PolicyLike>(policies: readonly P[], subject: PolicySubject): P | null {
  let best: P | null = null;
  let bestScore = -1;
  for (const p of policies) {
    if (p.teamId !== null && p.teamId !== subject.teamId) continue;
    if (p.caseType !== null && p.caseType !== subject.type) continue;
    if (p.priority !== null && p.priority !== subject.priority) continue;
    const score = (p.overridesTeam ? 8 : 0) + (p.teamId !== null ? 4 : 0) + (p.caseType !== null ? 2 : 0) + (p.priority !== null ? 1 : 0);
    if (score > bestScore) {
      best = p;
      bestScore = score;
    }
  }
  return best;
}

export interface ClockInput {
  startedAt: Date;
  responseMinutes: number;
  resolutionMinutes: number;
  warnPercent: number;
  responsePausedMinutes: number;
  resolutionPausedMinutes: number;
  firstResponseAt: Date | null;
  pausedSince: Date | null;
  /** From a change of office hours (see rebaseClock): count from here, minus the minutes that ran before. */
  countedFrom?: Date | null;
  countedMinutes?: number;
  /** The times stored so far: a deadline or warning point already passed keeps its instant (see computeClock). */
  responseDueAt?: Date;
  resolutionDueAt?: Date;
  dueKind?: SlaDueKind | null;
  warnAt?: Date | null;
}

export interface ClockTimes {
  responseDueAt: Date;
  resolutionDueAt: Date;
  /** The deadline that matters next: the first response until there is one, then the resolution. */
  dueKind: SlaDueKind | null;
  dueAt: Date | null;
  warnAt: Date | null;
}

/**
 * Due times from the start, the targets and the paused minutes, in the team's business time. After
 * a change of office hours the count starts at `countedFrom` with the minutes already spent taken
 * off. A deadline (or warning point) reached before that point cannot be placed in today's hours:
 * it keeps its stored instant (or, without one, the point itself). An answered first response is history
 * and keeps its instant too, so "rechtzeitig" never turns into "nach der Frist" afterwards.
 */
export function computeClock(c: ClockInput, cal: BusinessCalendar): ClockTimes {
  const from = c.countedFrom ?? c.startedAt;
  const counted = c.countedMinutes ?? 0;
  const due = (minutes: number, stored: Date | undefined) => {
    if (minutes > 0) return addBusinessMinutes(from, minutes, cal);
    return stored && stored.getTime() <= from.getTime() ? stored : from;
  };
  const responseDueAt =
    c.firstResponseAt && c.responseDueAt ? c.responseDueAt : due(c.responseMinutes + c.responsePausedMinutes - counted, c.responseDueAt);
  const resolutionDueAt = due(c.resolutionMinutes + c.resolutionPausedMinutes - counted, c.resolutionDueAt);
  if (c.pausedSince) return { responseDueAt, resolutionDueAt, dueKind: null, dueAt: null, warnAt: null };
  const kind: SlaDueKind = c.firstResponseAt ? 'resolution' : 'response';
  const target = kind === 'response' ? c.responseMinutes : c.resolutionMinutes;
  const paused = kind === 'response' ? c.responsePausedMinutes : c.resolutionPausedMinutes;
  const warnAt = due(
    Math.floor((target * c.warnPercent) / 100) + paused - counted,
    c.dueKind === kind ? (c.warnAt ?? undefined) : undefined,
  );
  return { responseDueAt, resolutionDueAt, dueKind: kind, dueAt: kind === 'response' ? responseDueAt : resolutionDueAt, warnAt };
}

/**
 * Ends a pause at `now`: the business minutes paused count for each deadline that was still open
 * and not yet passed when the pause began. A deadline already missed stays missed; a first response
 * already given needs no more time.
 */
export function resumedPauses(
  c: Pick<ClockInput, 'pausedSince' | 'firstResponseAt' | 'responsePausedMinutes' | 'resolutionPausedMinutes'> & {
    responseDueAt: Date;
    resolutionDueAt: Date;
  },
  now: Date,
  cal: BusinessCalendar,
): { responsePausedMinutes: number; resolutionPausedMinutes: number } {
  if (!c.pausedSince || now.getTime() <= c.pausedSince.getTime()) {
    return { responsePausedMinutes: c.responsePausedMinutes, resolutionPausedMinutes: c.resolutionPausedMinutes };
  }
  const paused = Math.round(businessMinutesBetween(c.pausedSince, now, cal));
  const since = c.pausedSince.getTime();
  const responseOpen = c.firstResponseAt === null && since < c.responseDueAt.getTime();
  const resolutionOpen = since < c.resolutionDueAt.getTime();
  return {
    responsePausedMinutes: c.responsePausedMinutes + (responseOpen ? paused : 0),
    resolutionPausedMinutes: c.resolutionPausedMinutes + (resolutionOpen ? paused : 0),
  };
}

/** Statuses in which the clock runs; waiting on the citizen and every closed status stop it. */
export const runningStatuses: readonly CaseStatus[] = ['new', 'in_progress'];

export type SlaState = 'overdue' | 'soon' | 'ok' | 'paused' | 'met' | 'missed';

export const slaStateLabels: Record<SlaState, string> = {
  overdue: 'überfällig',
  soon: 'bald fällig',
  ok: 'im Plan',
  paused: 'pausiert',
  met: 'Frist eingehalten',
  missed: 'Frist verpasst',
};

/** The state a person sees; always with its words, so it never depends on colour alone. */
export function slaState(
  now: Date,
  c: { status: CaseStatus; closedAt: Date | null; dueAt: Date | null; warnAt: Date | null; resolutionDueAt: Date },
): SlaState {
  if (c.closedAt && !runningStatuses.includes(c.status) && c.status !== 'waiting') {
    return c.closedAt.getTime() <= c.resolutionDueAt.getTime() ? 'met' : 'missed';
  }
  if (!c.dueAt) return 'paused';
  if (now.getTime() >= c.dueAt.getTime()) return 'overdue';
  if (c.warnAt && now.getTime() >= c.warnAt.getTime()) return 'soon';
  return 'ok';
}

/** "2 Std. 30 Min." for business minutes; days are not used, as a business day differs per team. */
export function formatBusinessMinutes(minutes: number): string {
  const m = Math.max(0, Math.round(minutes));
  const h = Math.floor(m / 60);
  const rest = m % 60;
  if (h === 0) return `${rest} Min.`;
  return rest === 0 ? `${h} Std.` : `${h} Std. ${rest} Min.`;
}
