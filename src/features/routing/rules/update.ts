import { eq, sql } from 'drizzle-orm';
import type { Config } from '../../../config.ts';
import type { Clock } from '../../../infra/clock.ts';
import type { Db } from '../../../infra/db.ts';
import type { Queue } from '../../../infra/queue.ts';
import { type CaseType, cases } from '../../../infra/schema/index.ts';
import { recordAudit } from '../../cases/audit.ts';
import { caseTypeLabels, priorityLabels } from '../../cases/labels.ts';
import { kickOutbox } from '../../channels/outbox.ts';
import { scheduleSlaChecks } from '../../sla/jobs.ts';
import { applyPolicy, type SlaTimer, slaAfterChange } from '../../sla/service.ts';
import { type AuditDraft, effects, ruleActor } from './apply.ts';
import { ruleSnapshot } from './cache.ts';
import { enqueueNotifications } from './effects.ts';
import { evaluateRules } from './engine.ts';
import { caseFacts, ruleFactsOf } from './queries.ts';

export interface UpdateRulesDeps {
  db: Db;
  clock: Clock;
  queue: Queue;
  config: Pick<Config, 'publicUrl' | 'bundesland'>;
}

/**
 * Rules with the trigger "updated" run after staff changed a case's type, category or team, e.g.
 * "a case moved to Abfallwirtschaft gets the tag Sperrmüll and the team a mail". They run once per
 * staff change, in their own transaction after it; what they change does not trigger them again,
 * so two rules can never ping-pong a case. The deadline follows what they changed (or the policy a
 * rule names), and team mails leave after commit. Mails and deadline policies come only from rules
 * the change made apply (they did not match the case before it), so a rule that keeps applying
 * does not mail the team on every later edit. A rule's own confirmation is for new cases only.
 * Returns whether anything changed.
 */
/** Type, category and team of a case before the staff change that triggers the rules. */
export interface RoutingBefore {
  type: CaseType | null;
  categoryId: number | null;
  teamId: number | null;
}

export async function applyRulesOnUpdate(deps: UpdateRulesDeps, caseId: number, before: RoutingBefore): Promise<boolean> {
  const snapshot = await ruleSnapshot(deps.db);
  if (!snapshot.rules.some((r) => r.enabled && r.triggers.includes('updated'))) return false;
  const mails: number[] = [];
  const timers: SlaTimer[] = [];
  const changed = await deps.db.transaction(async (tx) => {
    const c = await caseFacts(tx, caseId);
    if (!c) return false;
    const facts = ruleFactsOf(c);
    const ev = evaluateRules(snapshot.rules, facts, { trigger: 'updated' });
    // Mails and deadlines answer a change that makes a rule apply, not every edit while it applies:
    // a rule that already matched the case before this change sends nothing again.
    const earlier = evaluateRules(
      snapshot.rules,
      {
        ...facts,
        type: before.type,
        category: before.categoryId === null ? null : (snapshot.categoriesById.get(before.categoryId)?.slug ?? null),
        team: before.teamId === null ? null : (snapshot.teamsById.get(before.teamId)?.slug ?? null),
      },
      { trigger: 'updated' },
    );
    const matchedBefore = new Set(earlier.trace.filter((t) => t.status === 'matched').map((t) => t.ruleId));
    const { changes, decidedBy } = ev;
    const set: Partial<typeof cases.$inferInsert> = {};
    const steps: {
      ruleName: string;
      ruleId: number;
      action: Parameters<typeof recordAudit>[1]['action'];
      details: Record<string, unknown>;
    }[] = [];
    const by = (ref: { ruleName: string; ruleId: number }) => ({ ruleName: ref.ruleName, ruleId: ref.ruleId });
    if (changes.type && decidedBy.type && changes.type !== c.type) {
      set.type = changes.type;
      steps.push({
        ...by(decidedBy.type),
        action: 'type_changed',
        details: { from: c.type, to: changes.type, reason: caseTypeLabels[changes.type] },
      });
    }
    if (changes.category && decidedBy.category && changes.category !== c.category) {
      const category = snapshot.categoriesBySlug.get(changes.category);
      if (category) {
        set.categoryId = category.id;
        steps.push({ ...by(decidedBy.category), action: 'category_changed', details: { from: c.category, to: category.name } });
      }
    }
    if (changes.team && decidedBy.team && changes.team !== c.team) {
      const team = snapshot.teamsBySlug.get(changes.team);
      if (team) {
        set.teamId = team.id;
        steps.push({
          ...by(decidedBy.team),
          action: 'routed',
          details: {
            teamId: team.id,
            fromTeamId: c.teamId,
            reason: `weitergeleitet an ${team.name} durch Regel „${decidedBy.team.ruleName}“`,
          },
        });
      }
    }
    if (changes.priority && decidedBy.priority && changes.priority !== c.priority) {
      set.priority = changes.priority;
      steps.push({
        ...by(decidedBy.priority),
        action: 'priority_changed',
        details: { from: c.priority, to: changes.priority, reason: priorityLabels[changes.priority] },
      });
    }
    if (changes.assignee && decidedBy.assignee) {
      const user = snapshot.usersByEmail.get(changes.assignee);
      if (user && user.id !== c.assigneeId) {
        set.assigneeId = user.id;
        steps.push({
          ...by(decidedBy.assignee),
          action: 'assigned',
          details: { to: user.name, reason: `durch Regel „${decidedBy.assignee.ruleName}“` },
        });
      }
    }
    const newTags = (changes.tags ?? []).filter((t) => !c.tags.includes(t));
    if (newTags.length > 0 && decidedBy.tags) {
      set.tags = [...c.tags, ...newTags];
      steps.push({
        ...by(decidedBy.tags),
        action: 'rule_applied',
        details: { tags: newTags, reason: `Schlagwörter ${newTags.join(', ')}` },
      });
    }
    const extra: AuditDraft[] = [];
    const { notify, sla } = effects(snapshot, { ...ev, actions: ev.actions.filter((a) => !matchedBefore.has(a.ruleId)) }, extra);
    if (steps.length === 0 && extra.length === 0) return false;
    const now = deps.clock.now();
    if (steps.length > 0) {
      await tx
        .update(cases)
        .set({ ...set, updatedAt: now, version: sql`${cases.version} + 1` })
        .where(eq(cases.id, caseId));
    }
    for (const s of steps) {
      await recordAudit(tx, {
        caseId,
        actor: ruleActor(s.ruleName),
        action: s.action,
        details: { ruleId: s.ruleId, ...s.details },
        at: now,
      });
    }
    for (const a of extra) await recordAudit(tx, { caseId, ...a, at: now });
    const after = {
      status: c.status,
      teamId: set.teamId ?? c.teamId,
      type: set.type ?? c.type,
      priority: set.priority ?? c.priority,
    };
    timers.push(
      ...(sla
        ? await applyPolicy(tx, caseId, sla.policyId, { now, state: deps.config.bundesland, actor: ruleActor(sla.ruleName) })
        : await slaAfterChange(
            tx,
            { caseId, before: { status: c.status, teamId: c.teamId, type: c.type, priority: c.priority }, after, replied: false },
            now,
            deps.config.bundesland,
          )),
    );
    mails.push(...(await enqueueNotifications(tx, c, notify, { publicUrl: deps.config.publicUrl }, 'updated')));
    return true;
  });
  await kickOutbox(deps.queue, mails);
  await scheduleSlaChecks(deps.queue, timers);
  return changed;
}
