import { eq, inArray, isNull } from 'drizzle-orm';
import type { Bundesland } from '../../config.ts';
import type { Db, Tx } from '../../infra/db.ts';
import { AppError, fieldErrors, invalid, notFound } from '../../infra/errors.ts';
import type { Logger } from '../../infra/log.ts';
import type { Queue } from '../../infra/queue.ts';
import { officeHours, slaPolicies, teamLeads, teams, users } from '../../infra/schema/index.ts';
import { listRules } from '../routing/rules/queries.ts';
import { type PolicyInput, parseLeadIds, parseOfficeHoursForm, parsePolicyForm } from './admin-forms.ts';
import { policyWithScope } from './admin-queries.ts';
import { sendRecomputeJobs } from './jobs.ts';
import { sameHours } from './recompute.ts';
import { hoursInForce, type RecomputeChange, recomputeOrPlan } from './recompute-service.ts';
import { invalidateSlaSettings } from './settings.ts';

/**
 * Changing policies, office hours and team leads. A policy change applies to clocks started (or
 * re-chosen) from now on, unless the admin asks to apply it to the running cases holding it too;
 * new office hours move the running clocks of the teams concerned (recompute-service.ts).
 */
export interface SlaAdminDeps {
  db: Db;
  log: Logger;
  queue: Queue;
  state: Bundesland;
  now: () => Date;
  /** Above this many clocks the recomputation runs in jobs (default RECOMPUTE_INLINE_LIMIT). */
  recomputeInline?: number;
}

/** What happened to running clocks: how many were (or are being) recomputed, and whether later by jobs. */
export interface RecomputeOutcome {
  count: number;
  later: boolean;
}

const NOTHING: RecomputeOutcome = { count: 0, later: false };

/**
 * Inside the change's transaction: recompute (or plan the jobs). Returns what to do after commit.
 * One log line per change, with the count: an audit line on each of possibly thousands of cases
 * would bury their real history and send every open inbox a live notice per case.
 */
async function recomputeIn(tx: Tx, deps: SlaAdminDeps, change: RecomputeChange) {
  const plan = await recomputeOrPlan(tx, change, {
    now: deps.now(),
    state: deps.state,
    ...(deps.recomputeInline !== undefined ? { inlineLimit: deps.recomputeInline } : {}),
  });
  return {
    outcome: { count: plan.count, later: plan.later },
    afterCommit: async () => {
      await sendRecomputeJobs(deps.queue, plan);
      const moved = plan.later ? undefined : plan.result.moved;
      deps.log.info({ change: change.kind, count: plan.count, moved, later: plan.later }, 'running sla clocks recomputed');
    },
  };
}

function parsePolicy(raw: Record<string, unknown>): PolicyInput {
  const parsed = parsePolicyForm(raw);
  if (!parsed.success) throw invalid('Bitte prüfen Sie die Angaben.', fieldErrors(parsed.error, { fallback: 'name' }));
  return parsed.data;
}

async function checkScope(deps: SlaAdminDeps, input: PolicyInput, exceptId?: number): Promise<void> {
  if (input.teamId !== null) {
    const [team] = await deps.db.select({ id: teams.id }).from(teams).where(eq(teams.id, input.teamId));
    if (!team) throw invalid('Dieses Team gibt es nicht.', { teamId: 'Bitte wählen Sie ein Team aus der Liste.' });
  }
  const clash = await policyWithScope(deps.db, input);
  if (clash && clash.id !== exceptId) {
    const message = `Für genau diese Kombination gibt es schon eine Frist: „${clash.name}“. Bitte ändern Sie diese.`;
    throw new AppError('Conflict', message, { teamId: message });
  }
}

const values = (input: PolicyInput) => ({
  name: input.name,
  teamId: input.teamId,
  caseType: input.caseType,
  priority: input.priority,
  responseMinutes: input.responseMinutes,
  resolutionMinutes: input.resolutionMinutes,
  warnPercent: input.warnPercent,
  overridesTeam: input.overridesTeam,
  targetUnit: input.targetUnit,
});

export async function createPolicy(deps: SlaAdminDeps, raw: Record<string, unknown>): Promise<number> {
  const input = parsePolicy(raw);
  await checkScope(deps, input);
  const [row] = await deps.db
    .insert(slaPolicies)
    .values({ ...values(input), createdAt: deps.now(), updatedAt: deps.now() })
    .onConflictDoNothing()
    .returning({ id: slaPolicies.id });
  // A parallel admin created the same combination between the check and the insert.
  if (!row)
    throw new AppError('Conflict', 'Für diese Kombination wurde gerade eine Frist angelegt.', { teamId: 'Bitte laden Sie die Seite neu.' });
  invalidateSlaSettings(deps.db);
  deps.log.info({ policyId: row.id }, 'sla policy created');
  return row.id;
}

/** Saves a policy; with `applyToRunning` the open cases holding it get its new targets too. */
export async function updatePolicy(
  deps: SlaAdminDeps,
  id: number,
  raw: Record<string, unknown>,
  opts: { applyToRunning?: boolean } = {},
): Promise<RecomputeOutcome> {
  const input = parsePolicy(raw);
  await checkScope(deps, input, id);
  const { outcome, afterCommit } = await deps.db.transaction(async (tx) => {
    const updated = await tx
      .update(slaPolicies)
      .set({ ...values(input), updatedAt: deps.now() })
      .where(eq(slaPolicies.id, id))
      .returning({ id: slaPolicies.id });
    if (updated.length === 0) throw notFound('Diese Frist gibt es nicht (mehr).');
    if (!opts.applyToRunning) return { outcome: NOTHING, afterCommit: async () => {} };
    return recomputeIn(tx, deps, { kind: 'policy', policyId: id });
  });
  invalidateSlaSettings(deps.db);
  deps.log.info({ policyId: id }, 'sla policy updated');
  await afterCommit();
  return outcome;
}

/** Running clocks keep their targets (copied when applied); they only lose the link to the policy. */
export async function deletePolicy(deps: SlaAdminDeps, id: number): Promise<void> {
  // A rule naming the policy would silently stop setting deadlines: the admin changes it first.
  const users = (await listRules(deps.db)).filter((r) => r.actions.some((a) => a.kind === 'sla' && a.policyId === id));
  if (users.length > 0) {
    const names = users.map((r) => `„${r.name}“`).join(', ');
    throw new AppError(
      'Conflict',
      `Diese Frist wird von ${users.length === 1 ? 'der Regel' : 'den Regeln'} ${names} verwendet. Bitte ändern Sie zuerst die Regel unter „Regeln“.`,
    );
  }
  const deleted = await deps.db.delete(slaPolicies).where(eq(slaPolicies.id, id)).returning({ id: slaPolicies.id });
  if (deleted.length === 0) throw notFound('Diese Frist gibt es nicht (mehr).');
  invalidateSlaSettings(deps.db);
  deps.log.info({ policyId: id }, 'sla policy deleted');
}

async function ensureTeam(deps: SlaAdminDeps, teamId: number | null): Promise<void> {
  if (teamId === null) return;
  const [team] = await deps.db.select({ id: teams.id }).from(teams).where(eq(teams.id, teamId));
  if (!team) throw notFound('Dieses Team gibt es nicht (mehr).');
}

/** Office hours of a team (null: the town's default) and, for a team, its leads; one transaction. */
export async function saveOfficeHours(deps: SlaAdminDeps, teamId: number | null, body: Record<string, unknown>): Promise<RecomputeOutcome> {
  await ensureTeam(deps, teamId);
  const parsed = parseOfficeHoursForm(body);
  if (!parsed.ok) throw invalid('Bitte prüfen Sie die Öffnungszeiten.', parsed.errors);
  const leadIds = teamId === null ? [] : parseLeadIds(body.lead);
  if (leadIds === null) throw invalid('Die Auswahl der Teamleitung ist ungültig.', { lead: 'Bitte wählen Sie Personen aus der Liste.' });
  const { outcome, afterCommit } = await deps.db.transaction(async (tx) => {
    const scope = teamId === null ? isNull(officeHours.teamId) : eq(officeHours.teamId, teamId);
    const [existing] = await tx.select({ id: officeHours.id }).from(officeHours).where(scope).for('update');
    const before = await hoursInForce(tx, teamId);
    const week = parsed.week.map((day) => day.map(([open, close]): [number, number] => [open, close]));
    const row = { week, closedDays: parsed.closedDays, updatedAt: deps.now() };
    if (existing) await tx.update(officeHours).set(row).where(eq(officeHours.id, existing.id));
    else
      await tx
        .insert(officeHours)
        .values({ ...row, teamId })
        .onConflictDoUpdate({ target: officeHours.teamId, set: row });
    if (teamId !== null) {
      const known = leadIds.length ? await tx.select({ id: users.id }).from(users).where(inArray(users.id, leadIds)) : [];
      if (known.length !== leadIds.length)
        throw invalid('Diese Person gibt es nicht.', { lead: 'Bitte wählen Sie Personen aus der Liste.' });
      await tx.delete(teamLeads).where(eq(teamLeads.teamId, teamId));
      if (leadIds.length) await tx.insert(teamLeads).values(leadIds.map((userId) => ({ teamId, userId })));
    }
    if (sameHours(before, row)) return { outcome: NOTHING, afterCommit: async () => {} };
    return recomputeIn(tx, deps, { kind: 'hours', teamId, before });
  });
  invalidateSlaSettings(deps.db);
  deps.log.info({ teamId }, 'office hours saved');
  await afterCommit();
  return outcome;
}

/** A team goes back to the town's default office hours (its leads stay); its running clocks follow. */
export async function resetOfficeHours(deps: SlaAdminDeps, teamId: number): Promise<RecomputeOutcome> {
  await ensureTeam(deps, teamId);
  const { outcome, afterCommit } = await deps.db.transaction(async (tx) => {
    const before = await hoursInForce(tx, teamId);
    const deleted = await tx.delete(officeHours).where(eq(officeHours.teamId, teamId)).returning({ id: officeHours.id });
    if (deleted.length === 0 || sameHours(before, await hoursInForce(tx, teamId))) return { outcome: NOTHING, afterCommit: async () => {} };
    return recomputeIn(tx, deps, { kind: 'hours', teamId, before });
  });
  invalidateSlaSettings(deps.db);
  await afterCommit();
  return outcome;
}
