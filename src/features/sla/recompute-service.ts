import { and, asc, eq, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Bundesland } from '../../config.ts';
import type { Db, DbOrTx, Tx } from '../../infra/db.ts';
import { type CaseStatus, caseSlas, cases, officeHours, slaRecomputeBatches } from '../../infra/schema/index.ts';
import { businessCalendar, DEFAULT_OFFICE_HOURS, type OfficeHoursSetting } from './holidays.ts';
import { updateCaseSla } from './queries.ts';
import { dueTimesChanged, rebaseClock, withPolicyTargets } from './recompute.ts';
import { type SlaTimer, sameInstants, slaTimers } from './service.ts';
import { calendarOf, invalidateSlaSettings, slaSettings } from './settings.ts';

/**
 * Moving the running clocks after an admin's change of office hours or of a policy ("Auch auf
 * laufende Fälle anwenden"). Up to RECOMPUTE_INLINE_LIMIT clocks are moved in the transaction of
 * the change itself, so the admin's confirmation is already true; more go to `sla.recompute` jobs
 * of RECOMPUTE_BATCH cases each (one transaction per job), and the page says they are on their way.
 * Only open cases are touched (new, in progress, waiting): a closed case's deadlines are history.
 */

export type RecomputeChange = { kind: 'hours'; teamId: number | null; before: OfficeHoursSetting } | { kind: 'policy'; policyId: number };

const interval = z.tuple([z.number().int().min(0).max(1440), z.number().int().min(0).max(1440)]);
/** A stored change (sla_recompute_batches.change), checked when read back. */
const storedChange = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('hours'),
    teamId: z.number().int().positive().nullable(),
    before: z.object({ week: z.array(z.array(interval).max(4)).length(7), closedDays: z.array(z.string().max(5)).max(30) }),
  }),
  z.object({ kind: z.literal('policy'), policyId: z.number().int().positive() }),
]);

export const RECOMPUTE_INLINE_LIMIT = 500;
export const RECOMPUTE_BATCH = 500;

const openStatuses: CaseStatus[] = ['new', 'in_progress', 'waiting'];

/** The clocks a change concerns: those on the changed office hours, or those holding the policy. */
function scopeOf(change: RecomputeChange): SQL {
  if (change.kind === 'policy') return eq(caseSlas.policyId, change.policyId);
  if (change.teamId !== null) return eq(cases.teamId, change.teamId);
  // The town's default: cases without a team and cases of teams without office hours of their own.
  return sql`(${cases.teamId} is null or not exists (select 1 from ${officeHours} where ${officeHours.teamId} = ${cases.teamId}))`;
}

export async function affectedCases(db: DbOrTx, change: RecomputeChange): Promise<number[]> {
  const rows = await db
    .select({ caseId: caseSlas.caseId })
    .from(caseSlas)
    .innerJoin(cases, eq(cases.id, caseSlas.caseId))
    .where(and(inArray(cases.status, openStatuses), scopeOf(change)))
    .orderBy(caseSlas.caseId);
  return rows.map((r) => r.caseId);
}

/** The office hours a team's clocks ran on, read in the transaction before it changes them. */
export async function hoursInForce(tx: Tx, teamId: number | null): Promise<OfficeHoursSetting> {
  const columns = { week: officeHours.week, closedDays: officeHours.closedDays };
  if (teamId !== null) {
    const [own] = await tx.select(columns).from(officeHours).where(eq(officeHours.teamId, teamId));
    if (own) return own;
  }
  const [standard] = await tx.select(columns).from(officeHours).where(isNull(officeHours.teamId));
  return standard ?? DEFAULT_OFFICE_HOURS;
}

export interface RecomputeResult {
  /** Clocks recomputed. */
  recomputed: number;
  /** Of these, clocks whose due or warning times moved. */
  moved: number;
  /** Checks to schedule after commit for clocks whose instants changed. */
  timers: SlaTimer[];
}

/**
 * Recomputes the clocks of these cases, each locked, re-checking that it is still open and still
 * in the change's scope (a job may run a little after the change). Office hours: the clock is
 * rebased at `at`, the moment of the change (rebaseClock). Policy: its current targets are applied
 * (withPolicyTargets). Running it twice gives the same result, so a retried job is harmless.
 */
export async function recomputeClocks(
  tx: Tx,
  caseIds: readonly number[],
  change: RecomputeChange,
  opts: { at: Date; now: Date; state: Bundesland },
): Promise<RecomputeResult> {
  const result: RecomputeResult = { recomputed: 0, moved: 0, timers: [] };
  // The change was written in this transaction: read the settings afresh, never a cached copy.
  invalidateSlaSettings(tx);
  const settings = await slaSettings(tx);
  const policy = change.kind === 'policy' ? settings.policies.find((p) => p.id === change.policyId) : undefined;
  if (change.kind === 'policy' && !policy) return result;
  const before = change.kind === 'hours' ? businessCalendar(change.before, opts.state) : null;
  for (let i = 0; i < caseIds.length; i += RECOMPUTE_BATCH) {
    const rows = await tx
      .select({ sla: caseSlas, teamId: cases.teamId })
      .from(caseSlas)
      .innerJoin(cases, eq(cases.id, caseSlas.caseId))
      .where(and(inArray(caseSlas.caseId, caseIds.slice(i, i + RECOMPUTE_BATCH)), inArray(cases.status, openStatuses), scopeOf(change)))
      .orderBy(caseSlas.caseId)
      .for('update', { of: caseSlas });
    for (const { sla, teamId } of rows) {
      const cal = calendarOf(settings, teamId, opts.state);
      const moved = before ? rebaseClock(sla, opts.at, before, cal) : policy ? withPolicyTargets(sla, policy, opts.now, cal) : sla;
      const next = { ...moved, updatedAt: opts.now };
      await updateCaseSla(tx, next);
      result.recomputed++;
      if (dueTimesChanged(sla, next)) result.moved++;
      const timers = slaTimers(sla.caseId, next);
      if (!sameInstants(timers, slaTimers(sla.caseId, sla))) result.timers.push(...timers);
    }
  }
  return result;
}

export type RecomputePlan = { later: false; count: number; result: RecomputeResult } | { later: true; count: number };

/**
 * In the change's transaction: recompute now when few clocks are affected, else store the work as
 * batches (sla_recompute_batches) for the `sla.recompute` job, in the same transaction.
 */
export async function recomputeOrPlan(
  tx: Tx,
  change: RecomputeChange,
  opts: { now: Date; state: Bundesland; inlineLimit?: number },
): Promise<RecomputePlan> {
  const ids = await affectedCases(tx, change);
  if (ids.length <= (opts.inlineLimit ?? RECOMPUTE_INLINE_LIMIT)) {
    return { later: false, count: ids.length, result: await recomputeClocks(tx, ids, change, { ...opts, at: opts.now }) };
  }
  for (let i = 0; i < ids.length; i += RECOMPUTE_BATCH) {
    await tx.insert(slaRecomputeBatches).values({ change, at: opts.now, caseIds: ids.slice(i, i + RECOMPUTE_BATCH) });
  }
  return { later: true, count: ids.length };
}

// Distinct from the other advisory locks (migrations, seed, rules): one batch at a time, town-wide.
const RECOMPUTE_LOCK = 727_314;
/** Batches one job run works off before it hands over to a fresh job. */
export const RECOMPUTE_BATCHES_PER_RUN = 20;

export async function hasRecomputeWork(db: DbOrTx): Promise<boolean> {
  const [row] = await db.select({ id: slaRecomputeBatches.id }).from(slaRecomputeBatches).limit(1);
  return row !== undefined;
}

/**
 * Works off stored batches, oldest first, one per transaction under an advisory lock, so batches of
 * two changes never interleave or overtake each other across worker processes. A batch is deleted
 * in the transaction that applied it. Returns the checks to schedule and how many batches were done.
 */
export async function workRecomputeBatches(
  db: Db,
  opts: { now: () => Date; state: Bundesland; maxBatches?: number },
): Promise<{ batches: number; recomputed: number; timers: SlaTimer[] }> {
  const out = { batches: 0, recomputed: 0, timers: [] as SlaTimer[] };
  for (let n = 0; n < (opts.maxBatches ?? RECOMPUTE_BATCHES_PER_RUN); n++) {
    const done = await db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${RECOMPUTE_LOCK}::bigint)`);
      const [batch] = await tx.select().from(slaRecomputeBatches).orderBy(asc(slaRecomputeBatches.id)).limit(1);
      if (!batch) return null;
      await tx.delete(slaRecomputeBatches).where(eq(slaRecomputeBatches.id, batch.id));
      const change = storedChange.safeParse(batch.change);
      // A batch this version cannot read is dropped (deleted above) rather than retried forever.
      if (!change.success) return { recomputed: 0, timers: [] };
      return recomputeClocks(tx, batch.caseIds, change.data, { at: batch.at, now: opts.now(), state: opts.state });
    });
    if (!done) break;
    out.batches++;
    out.recomputed += done.recomputed;
    out.timers.push(...done.timers);
  }
  return out;
}
