import type { Bundesland } from '../../config.ts';
import type { DbOrTx, Tx } from '../../infra/db.ts';
import type { CaseStatus, CaseType, Priority } from '../../infra/schema/index.ts';
import { type Actor, recordAudit } from '../cases/audit.ts';
import type { BusinessCalendar } from './business-time.ts';
import { computeClock, type PolicyLike, type PolicySubject, pickPolicy, resumedPauses, runningStatuses } from './case-clock.ts';
import { type CaseSlaRow, caseSubject, findCaseSla, insertCaseSla, lockCaseSla, type NewCaseSla, updateCaseSla } from './queries.ts';
import { calendarOf, slaSettings } from './settings.ts';
import { formatDue } from './views/format.ts';

/**
 * Keeping each case's clock true: applied when a case is created, paused while it waits on the
 * citizen or is closed, resumed when it is active again, switched to the resolution deadline by the
 * first reply, re-chosen when team, type or priority change. Every function here runs inside the
 * caller's transaction and returns the instants at which `sla.check` should look again; the caller
 * schedules them after commit (scheduleSlaChecks), the sweep job catches any that get lost.
 */

export interface SlaTimer {
  caseId: number;
  at: Date;
}

export const SLA_ACTOR: Actor = { userId: null, label: 'Fristenüberwachung' };

export type { NewCaseSla };

function clockFor(policy: PolicyLike, startedAt: Date, cal: BusinessCalendar): NewCaseSla {
  const base = {
    startedAt,
    responseMinutes: policy.responseMinutes,
    resolutionMinutes: policy.resolutionMinutes,
    warnPercent: policy.warnPercent,
    responsePausedMinutes: 0,
    resolutionPausedMinutes: 0,
    firstResponseAt: null,
    pausedSince: null,
  };
  return { ...base, policyId: policy.id, policyName: policy.name, ...computeClock(base, cal), updatedAt: startedAt };
}

/** The audit line that shows staff which deadline was chosen and why. */
export function appliedReason(sla: Pick<NewCaseSla, 'policyName' | 'responseDueAt' | 'resolutionDueAt'>, how?: string): string {
  const by = how ? ` ${how}` : '';
  return `Frist „${sla.policyName}“${by}: erste Antwort bis ${formatDue(sla.responseDueAt)}, erledigt bis ${formatDue(sla.resolutionDueAt)}`;
}

/**
 * The clock of a new case, to be stored with it in the same write (intake's decide step). A
 * `policyId` (set by a routing rule) wins over the automatic choice. Null: no policy applies.
 */
export async function slaForNewCase(
  db: DbOrTx,
  subject: PolicySubject & { policyId?: number | null },
  startedAt: Date,
  state: Bundesland,
): Promise<{ row: NewCaseSla; audit: { actor: Actor; action: 'sla_applied'; details: { reason: string } } } | null> {
  const settings = await slaSettings(db);
  const chosen =
    (subject.policyId != null ? settings.policies.find((p) => p.id === subject.policyId) : undefined) ??
    pickPolicy(settings.policies, subject);
  if (!chosen) return null;
  const row = clockFor(chosen, startedAt, calendarOf(settings, subject.teamId, state));
  return { row, audit: { actor: SLA_ACTOR, action: 'sla_applied', details: { reason: appliedReason(row) } } };
}

/** The instants worth a look: the warning and each deadline still open. None while paused. */
export function slaTimers(
  caseId: number,
  c: Pick<CaseSlaRow, 'responseDueAt' | 'resolutionDueAt'> & Partial<Pick<CaseSlaRow, 'pausedSince' | 'warnAt' | 'firstResponseAt'>>,
): SlaTimer[] {
  if (c.pausedSince) return [];
  const times = [c.warnAt, c.firstResponseAt ? null : c.responseDueAt, c.resolutionDueAt].filter((d): d is Date => d instanceof Date);
  return [...new Set(times.map((d) => d.getTime()))].sort((a, b) => a - b).map((t) => ({ caseId, at: new Date(t) }));
}

export interface CaseChange {
  caseId: number;
  before: { status: CaseStatus; teamId: number | null; type: CaseType | null; priority: Priority };
  after: { status: CaseStatus; teamId: number | null; type: CaseType | null; priority: Priority };
  /** A reply to the citizen went out with this change: the first one stops the response clock. */
  replied: boolean;
}

/**
 * Brings the clock in line with a change of the case (already written in this transaction).
 * Leaving a running status pauses; entering one resumes (resumedPauses); a change of team, type
 * or priority picks the policy again, keeping pauses and the first response. A deadline that moves
 * into the future may warn and escalate again; one still in the past keeps its stamps (fires once).
 */
export async function slaAfterChange(tx: Tx, change: CaseChange, now: Date, state: Bundesland): Promise<SlaTimer[]> {
  const { before, after } = change;
  const policyRelevant = before.teamId !== after.teamId || before.type !== after.type || before.priority !== after.priority;
  // A note, an assignment or a tag leaves the clock as it is: no lock, no rewrite.
  if (!policyRelevant && before.status === after.status && !change.replied) return [];
  const clock = await lockCaseSla(tx, change.caseId);
  const settings = await slaSettings(tx);
  const cal = calendarOf(settings, after.teamId, state);
  if (!clock) {
    // No clock yet (no policy matched at intake, or the case is older than its policy): start now.
    if (!policyRelevant || !runningStatuses.includes(after.status)) return [];
    const policy = pickPolicy(settings.policies, after);
    if (!policy) return [];
    const row = clockFor(policy, now, cal);
    await insertCaseSla(tx, change.caseId, row);
    await recordAudit(tx, {
      caseId: change.caseId,
      actor: SLA_ACTOR,
      action: 'sla_applied',
      details: { reason: appliedReason(row) },
      at: now,
    });
    return slaTimers(change.caseId, row);
  }

  const next = { ...clock };
  const isRunning = runningStatuses.includes(after.status);
  if (!isRunning && !clock.pausedSince) next.pausedSince = now;
  if (isRunning && clock.pausedSince) {
    Object.assign(next, resumedPauses(clock, now, calendarOf(settings, before.teamId, state)));
    next.pausedSince = null;
  }
  if (change.replied && !next.firstResponseAt) next.firstResponseAt = now;
  let reason: string | null = null;
  if (policyRelevant) {
    const policy = pickPolicy(settings.policies, after);
    if (policy && policy.id !== clock.policyId) {
      Object.assign(next, {
        policyId: policy.id,
        policyName: policy.name,
        responseMinutes: policy.responseMinutes,
        resolutionMinutes: policy.resolutionMinutes,
        warnPercent: policy.warnPercent,
      });
      reason = 'nach Änderung von Team, Art oder Priorität';
    }
  }
  Object.assign(next, computeClock(next, cal));
  // A deadline moved into the future is a new deadline: it may warn and escalate again.
  if (next.responseDueAt.getTime() !== clock.responseDueAt.getTime() && next.responseDueAt > now) {
    next.responseWarnedAt = null;
    next.responseEscalatedAt = null;
  }
  if (next.resolutionDueAt.getTime() !== clock.resolutionDueAt.getTime() && next.resolutionDueAt > now) {
    next.resolutionWarnedAt = null;
    next.resolutionEscalatedAt = null;
  }
  next.updatedAt = now;
  await updateCaseSla(tx, next);
  if (reason) {
    await recordAudit(tx, {
      caseId: change.caseId,
      actor: SLA_ACTOR,
      action: 'sla_applied',
      details: { reason: appliedReason(next, reason) },
      at: now,
    });
  }
  const timers = slaTimers(change.caseId, next);
  // Same instants as before: the chain of checks already scheduled still fits, no second one.
  return sameInstants(timers, slaTimers(change.caseId, clock)) ? [] : timers;
}

export const sameInstants = (a: SlaTimer[], b: SlaTimer[]) =>
  a.length === b.length && a.every((t, i) => t.at.getTime() === b[i]?.at.getTime());

/**
 * The checks still to come after the one scheduled for `at`. Checks run as a chain (each schedules
 * the next); a chain whose instant is no longer among the clock's timers was overtaken by a change
 * that started its own, and ends here.
 */
export async function timersAfter(db: DbOrTx, caseId: number, at: Date): Promise<SlaTimer[]> {
  const clock = await findCaseSla(db, caseId);
  if (!clock) return [];
  const all = slaTimers(caseId, clock);
  if (!all.some((t) => t.at.getTime() === at.getTime())) return [];
  return all.filter((t) => t.at.getTime() > at.getTime());
}

/**
 * Applies one policy to a case (a routing rule's "Frist anwenden"), replacing its targets but
 * keeping start, pauses and first response. Unknown policy ids change nothing.
 */
export async function applyPolicy(
  tx: Tx,
  caseId: number,
  policyId: number,
  opts: { now: Date; state: Bundesland; actor?: Actor },
): Promise<SlaTimer[]> {
  const settings = await slaSettings(tx);
  const policy = settings.policies.find((p) => p.id === policyId);
  const subject = await caseSubject(tx, caseId);
  if (!policy || !subject) return [];
  const cal = calendarOf(settings, subject.teamId, opts.state);
  const clock = await lockCaseSla(tx, caseId);
  let row: NewCaseSla;
  if (!clock) {
    row = clockFor(policy, subject.createdAt, cal);
    if (!runningStatuses.includes(subject.status)) row = { ...row, pausedSince: opts.now, dueAt: null, warnAt: null, dueKind: null };
    await insertCaseSla(tx, caseId, row);
  } else {
    // The policy it already holds: nothing moves, and warnings already sent stay sent.
    if (clock.policyId === policy.id) return [];
    const next = {
      ...clock,
      policyId: policy.id,
      policyName: policy.name,
      responseMinutes: policy.responseMinutes,
      resolutionMinutes: policy.resolutionMinutes,
      warnPercent: policy.warnPercent,
      updatedAt: opts.now,
    };
    Object.assign(next, computeClock(next, cal));
    // A deadline that moved into the future may warn and escalate again; one that did not move keeps its stamps.
    const moved = (a: Date, b: Date) => a.getTime() !== b.getTime();
    if (moved(next.responseDueAt, clock.responseDueAt) && next.responseDueAt > opts.now)
      Object.assign(next, { responseWarnedAt: null, responseEscalatedAt: null });
    if (moved(next.resolutionDueAt, clock.resolutionDueAt) && next.resolutionDueAt > opts.now)
      Object.assign(next, { resolutionWarnedAt: null, resolutionEscalatedAt: null });
    await updateCaseSla(tx, next);
    row = next;
  }
  await recordAudit(tx, {
    caseId,
    actor: opts.actor ?? SLA_ACTOR,
    action: 'sla_applied',
    details: { reason: appliedReason(row) },
    at: opts.now,
  });
  return slaTimers(caseId, row);
}

/** The CaseChange of a staff edit: the locked row before, the columns changed, the audit steps taken. */
export function caseChangeOf(
  row: { id: number; status: CaseStatus; teamId: number | null; type: CaseType | null; priority: Priority },
  change: { status?: CaseStatus; teamId?: number | null; type?: CaseType | null; priority?: Priority },
  steps: readonly { action: string }[],
): CaseChange {
  const before = { status: row.status, teamId: row.teamId, type: row.type, priority: row.priority };
  return {
    caseId: row.id,
    before,
    after: {
      status: change.status ?? before.status,
      teamId: change.teamId !== undefined ? change.teamId : before.teamId,
      type: change.type !== undefined ? change.type : before.type,
      priority: change.priority ?? before.priority,
    },
    replied: steps.some((s) => s.action === 'replied'),
  };
}
