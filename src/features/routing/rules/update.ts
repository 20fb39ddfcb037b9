import { eq, sql } from 'drizzle-orm';
import type { Config } from '../../../config.ts';
import type { Clock } from '../../../infra/clock.ts';
import type { Db } from '../../../infra/db.ts';
import { emit } from '../../../infra/events.ts';
import type { Queue } from '../../../infra/queue.ts';
import { type CaseType, cases } from '../../../infra/schema/index.ts';
import { recordAudit, SYSTEM } from '../../cases/audit.ts';
import { caseChanged } from '../../cases/events.ts';
import { type AuditDraft, effects, resolve, ruleActor, skippedNotes } from './apply.ts';
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
  const runs = (r: { triggers: readonly string[] }) => r.triggers.includes('updated');
  if (!snapshot.rules.some((r) => r.enabled && runs(r)) && !snapshot.broken.some(runs)) return false;
  return deps.db.transaction(async (tx) => {
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
    // A rule the time budget cut off before counts as matched: better no mail than a second one.
    const matchedBefore = new Set(earlier.trace.filter((t) => t.status === 'matched' || t.status === 'aborted').map((t) => t.ruleId));
    const decided = resolve(snapshot, ev, {
      type: c.type,
      categoryId: c.categoryId,
      categoryName: c.categoryName,
      teamId: c.teamId,
      priority: c.priority,
      assigneeId: c.assigneeId,
      tags: c.tags,
    });
    const set: Partial<typeof cases.$inferInsert> = {};
    if (decided.type !== c.type) set.type = decided.type;
    if (decided.categoryId !== c.categoryId) set.categoryId = decided.categoryId;
    if (decided.teamId !== undefined) set.teamId = decided.teamId;
    if (decided.priority !== c.priority) set.priority = decided.priority;
    if (decided.assigneeId !== c.assigneeId) set.assigneeId = decided.assigneeId;
    if (decided.tags.length > 0) set.tags = [...c.tags, ...decided.tags];
    const extra: AuditDraft[] = skippedNotes(snapshot, ev, 'updated');
    const { notify, sla } = effects(snapshot, { ...ev, actions: ev.actions.filter((a) => !matchedBefore.has(a.ruleId)) }, extra);
    if (decided.audit.length === 0 && extra.length === 0) return false;
    const now = deps.clock.now();
    if (Object.keys(set).length > 0) {
      await tx
        .update(cases)
        .set({ ...set, updatedAt: now, version: sql`${cases.version} + 1` })
        .where(eq(cases.id, caseId));
    }
    const drafts = [...decided.audit, ...extra];
    for (const a of drafts) await recordAudit(tx, { caseId, ...a, at: now });
    // The deadline follows in the case.changed subscriber (SLA); a rule's named policy rides along.
    await emit(
      tx,
      'case.changed',
      caseChanged(
        { id: caseId, status: c.status, teamId: c.teamId, type: c.type, priority: c.priority, categoryId: c.categoryId },
        {
          type: decided.type,
          categoryId: decided.categoryId,
          priority: decided.priority,
          ...(set.teamId !== undefined ? { teamId: set.teamId } : {}),
        },
        {
          actions: drafts.map((a) => a.action),
          actor: drafts[0]?.actor ?? SYSTEM,
          at: now,
          ...(sla ? { deadlinePolicy: { id: sla.policyId, actor: ruleActor(sla.ruleName) } } : {}),
        },
      ),
    );
    await enqueueNotifications(tx, c, notify, { publicUrl: deps.config.publicUrl }, 'updated');
    return true;
  });
}
