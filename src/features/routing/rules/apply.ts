import type { DbOrTx } from '../../../infra/db.ts';
import type { CaseType, ChannelName, Priority, RuleTrigger } from '../../../infra/schema/index.ts';
import { type Actor, type AuditAction, SYSTEM } from '../../cases/audit.ts';
import { caseTypeLabels, priorityLabels } from '../../cases/labels.ts';
import { referenceData } from '../../cases/reference-data.ts';
import { type HintDraft, teamConflictHint } from '../hints/detect.ts';
import { routeNewCase } from '../service.ts';
import { type RuleSnapshot, referencesKnown, ruleSnapshot } from './cache.ts';
import { type Budget, type Evaluation, evaluateRules, type RuleFacts, type RuleRef, type TraceEntry } from './engine.ts';

/** An audit entry still without its case: written together with the case row. */
export interface AuditDraft {
  actor: Actor;
  action: AuditAction;
  details: Record<string, unknown>;
}

/** What intake knows about a new case before it is stored. */
export interface NewCaseFacts {
  channel: ChannelName;
  type: CaseType | null;
  categoryId: number | null;
  description: string;
  lat: number | null;
  lon: number | null;
  accountTeamId?: number | null;
  reporterEmail: string | null;
  receivedAt: Date;
  prediction?: RuleFacts['prediction'];
  /** A team the classifier is confident about: it takes the default routing's place, unless the category names a team. */
  classifierTeam?: { id: number; actor: Actor; confidence: number } | null;
}

export interface NotifyEffect {
  teamName: string;
  email: string;
  ruleName: string;
}

/** Everything rules and the default routing decided for a new case: its fields, audit entries and effects. */
export interface NewCaseDecision {
  fields: {
    type: CaseType | null;
    categoryId: number | null;
    teamId: number | null;
    districtId: number | null;
    priority: Priority;
    assigneeId: number | null;
    tags: string[];
  };
  audit: AuditDraft[];
  /** A rule's own confirmation text, replacing the standard one. */
  acknowledgement: { template: string; ruleName: string } | null;
  notify: NotifyEffect[];
  /** Names of the decided team and category, for texts (confirmation, notification). */
  names: { team: string | null; category: string | null };
  /** For the SLA feature: the policy a rule chose (it applies it; the engine only reports it). */
  sla: ({ policyId: number } & RuleRef) | null;
  /** "Zuständigkeit prüfen": a category-based team against a confident classifier team, stored with the case. */
  hint: HintDraft | null;
  trace: TraceEntry[];
}

export const ruleActor = (ruleName: string): Actor => ({ userId: null, label: `Regel „${ruleName}“` });
const DEFAULT_ROUTING: Actor = { userId: null, label: 'Automatische Zuweisung' };
const by = (ref: RuleRef) => `durch Regel „${ref.ruleName}“`;

/**
 * The "decide" step of intake: rules first, the default routing (category team, else type team)
 * as the fallback when no rule chose a team. Reads only cached data, writes nothing: the caller
 * stores the fields and audit entries with the case in one go, and runs `ruleEffects` for mails.
 */
export async function applyRulesOnCreate(db: DbOrTx, facts: NewCaseFacts, opts: { budget?: Budget } = {}): Promise<NewCaseDecision> {
  const place = { lat: facts.lat, lon: facts.lon, accountTeamId: facts.accountTeamId ?? null };
  const first = await routeNewCase(db, { type: facts.type, categoryId: facts.categoryId, ...place });
  let snapshot = await ruleSnapshot(db);
  // Something named is missing (created a moment ago, perhaps in another process): reload once.
  // A copy loaded that way is kept for the TTL, so a name that is really gone costs no reloads.
  if (!snapshot.fresh && !referencesKnown(snapshot, facts.categoryId)) snapshot = await ruleSnapshot(db, { fresh: true });
  const category = facts.categoryId === null ? null : snapshot.categoriesById.get(facts.categoryId);
  const evaluation = evaluateRules(
    snapshot.rules,
    {
      channel: facts.channel,
      type: facts.type,
      category: category?.slug ?? null,
      team: null,
      priority: 'normal',
      text: facts.description,
      districtId: first.districtId,
      lat: facts.lat,
      lon: facts.lon,
      senderEmail: facts.reporterEmail,
      receivedAt: facts.receivedAt,
      tags: [],
      ...(facts.prediction ? { prediction: facts.prediction } : {}),
    },
    { trigger: 'created', ...(opts.budget ? { budget: opts.budget } : {}) },
  );
  const decided = resolve(snapshot, evaluation, {
    type: facts.type,
    categoryId: facts.categoryId,
    categoryName: category?.name ?? null,
    priority: 'normal',
    assigneeId: null,
    tags: [],
  });
  const fields: NewCaseDecision['fields'] = {
    type: decided.type,
    categoryId: decided.categoryId,
    teamId: decided.teamId ?? null,
    districtId: first.districtId,
    priority: decided.priority,
    assigneeId: decided.assigneeId,
    tags: decided.tags,
  };
  const audit = [...decided.audit, ...skippedNotes(snapshot, evaluation, 'created')];
  let hint: HintDraft | null = null;
  if (decided.teamId !== undefined && facts.classifierTeam) {
    const ref = evaluation.decidedBy.team;
    const rule = ref ? snapshot.rules.find((r) => r.id === ref.ruleId) : undefined;
    hint = teamConflictHint(snapshot, {
      teamId: decided.teamId,
      rule: rule ?? null,
      categoryId: decided.categoryId,
      classifier: facts.classifierTeam,
    });
  }
  if (decided.teamId === undefined) {
    // The rules changed what the default routing looks at: route again with their answer.
    const changed = decided.type !== facts.type || decided.categoryId !== facts.categoryId;
    const route = changed ? await routeNewCase(db, { type: decided.type, categoryId: decided.categoryId, ...place }) : first;
    const categoryRef = decided.categoryId === null ? undefined : (await referenceData(db)).categoriesById.get(decided.categoryId);
    const categoryNamesTeam = categoryRef?.defaultTeamId != null;
    if (facts.classifierTeam && !categoryNamesTeam) {
      const teamName = snapshot.teamsById.get(facts.classifierTeam.id)?.name ?? 'Team';
      fields.teamId = facts.classifierTeam.id;
      audit.unshift({
        actor: facts.classifierTeam.actor,
        action: 'routed',
        details: { teamId: fields.teamId, reason: `weitergeleitet an ${teamName} durch ${facts.classifierTeam.actor.label}` },
      });
    } else {
      fields.teamId = route.teamId;
      audit.unshift({ actor: DEFAULT_ROUTING, action: 'routed', details: { teamId: route.teamId, reason: route.reason } });
      if (categoryNamesTeam && facts.classifierTeam && route.teamId !== null) {
        hint = teamConflictHint(snapshot, {
          teamId: route.teamId,
          rule: null,
          categoryId: decided.categoryId,
          classifier: facts.classifierTeam,
        });
      }
    }
  }
  const names = {
    team: fields.teamId === null ? null : (snapshot.teamsById.get(fields.teamId)?.name ?? null),
    category: fields.categoryId === null ? null : (snapshot.categoriesById.get(fields.categoryId)?.name ?? null),
  };
  if (hint) audit.push(hint.audit);
  return { fields, audit, names, ...effects(snapshot, evaluation, audit), hint, trace: evaluation.trace };
}

interface Resolved {
  type: CaseType | null;
  categoryId: number | null;
  /** Undefined: no rule chose a team (a new case then takes the default routing). */
  teamId: number | undefined;
  priority: Priority;
  assigneeId: number | null;
  /** Tags to add (those the case has not got yet). */
  tags: string[];
  audit: AuditDraft[];
}

/** What a case is before the rules act: a new case's defaults, or a stored case's current values. */
export interface ResolveFrom {
  type: CaseType | null;
  categoryId: number | null;
  categoryName: string | null;
  /** Undefined for a new case (no team yet, the default routing follows). */
  teamId?: number | null;
  priority: Priority;
  assigneeId: number | null;
  tags: readonly string[];
}

/**
 * Turns what the rules decided into fields and audit entries, for new cases and for rules on
 * changes alike: slugs and e-mail addresses become ids, a value the case already has changes
 * nothing, a name that no longer exists is skipped with a visible note.
 */
export function resolve(s: RuleSnapshot, ev: Evaluation, from: ResolveFrom): Resolved {
  const out: Resolved = {
    type: from.type,
    categoryId: from.categoryId,
    teamId: undefined,
    priority: from.priority,
    assigneeId: from.assigneeId,
    tags: [],
    audit: [],
  };
  const note = (ref: RuleRef, details: Record<string, unknown>, action: AuditAction = 'rule_applied') =>
    out.audit.push({ actor: ruleActor(ref.ruleName), action, details: { ruleId: ref.ruleId, ...details } });
  const missing = (ref: RuleRef, what: string) => note(ref, { reason: `${what} gibt es nicht (mehr) – übersprungen` });
  const { changes, decidedBy } = ev;
  if (changes.type && decidedBy.type && changes.type !== from.type) {
    out.type = changes.type;
    note(
      decidedBy.type,
      { from: from.type, to: changes.type, reason: `Art ${caseTypeLabels[changes.type]} ${by(decidedBy.type)}` },
      'type_changed',
    );
  }
  if (changes.category && decidedBy.category) {
    const category = s.categoriesBySlug.get(changes.category);
    if (!category) missing(decidedBy.category, `Die Kategorie „${changes.category}“`);
    else if (category.id !== from.categoryId) {
      out.categoryId = category.id;
      note(decidedBy.category, { from: from.categoryName, to: category.name }, 'category_changed');
    }
  }
  if (changes.team && decidedBy.team) {
    const team = s.teamsBySlug.get(changes.team);
    if (!team) missing(decidedBy.team, `Das Team „${changes.team}“`);
    else if (team.id !== from.teamId) {
      out.teamId = team.id;
      // fromTeamId lets the team the case leaves hear of it (live updates, audit.ts).
      const fromTeam = from.teamId == null ? {} : { fromTeamId: from.teamId };
      note(decidedBy.team, { teamId: team.id, ...fromTeam, reason: `weitergeleitet an ${team.name} ${by(decidedBy.team)}` }, 'routed');
    }
  }
  if (changes.priority && decidedBy.priority && changes.priority !== from.priority) {
    out.priority = changes.priority;
    note(
      decidedBy.priority,
      { from: from.priority, to: changes.priority, reason: `Priorität ${priorityLabels[changes.priority]}` },
      'priority_changed',
    );
  }
  if (changes.assignee && decidedBy.assignee) {
    const user = s.usersByEmail.get(changes.assignee);
    if (!user) missing(decidedBy.assignee, `Die Person „${changes.assignee}“`);
    else if (user.id !== from.assigneeId) {
      out.assigneeId = user.id;
      note(decidedBy.assignee, { to: user.name, reason: by(decidedBy.assignee) }, 'assigned');
    }
  }
  const newTags = (changes.tags ?? []).filter((t) => !from.tags.includes(t));
  if (newTags.length > 0 && decidedBy.tags) {
    out.tags = newTags;
    note(decidedBy.tags, { tags: newTags, reason: `Schlagwörter ${newTags.join(', ')} ${by(decidedBy.tags)}` });
  }
  return out;
}

/**
 * Rules that did not run, said in the audit trail like a missing deadline policy: a stored rule
 * that cannot run (a pattern RE2 does not take), and the rules the time budget cut off.
 */
export function skippedNotes(s: RuleSnapshot, ev: Evaluation, trigger: RuleTrigger): AuditDraft[] {
  const notes: AuditDraft[] = s.broken
    .filter((r) => r.triggers.includes(trigger))
    .map((r) => ({
      actor: ruleActor(r.ruleName),
      action: 'rule_applied',
      details: { ruleId: r.ruleId, reason: `Die Regel ist fehlerhaft gespeichert (${r.problem}) – übersprungen` },
    }));
  if (ev.aborted) {
    const { budgetMs, at, unchecked } = ev.aborted;
    const others = unchecked > 1 ? ` und ${unchecked - 1} weitere Regel${unchecked > 2 ? 'n' : ''}` : '';
    notes.push({
      actor: SYSTEM,
      action: 'rule_applied',
      details: { ruleId: at.ruleId, reason: `Regelprüfung nach ${budgetMs} ms abgebrochen: „${at.ruleName}“${others} nicht geprüft` },
    });
  }
  return notes;
}

/** What rules do beyond the case's fields: their own confirmation, a deadline policy, team mails (audited here). */
export function effects(s: RuleSnapshot, ev: Evaluation, audit: AuditDraft[]) {
  let acknowledgement: NewCaseDecision['acknowledgement'] = null;
  let sla: NewCaseDecision['sla'] = null;
  const notify: NotifyEffect[] = [];
  for (const a of ev.actions) {
    const actor = ruleActor(a.ruleName);
    if (a.kind === 'acknowledge') acknowledgement = { template: a.template, ruleName: a.ruleName };
    if (a.kind === 'sla') {
      const policy = s.policiesById.get(a.policyId);
      if (policy) sla = { policyId: a.policyId, ruleId: a.ruleId, ruleName: a.ruleName };
      const reason = policy ? `Frist „${policy.name}“` : `Die Frist-Richtlinie Nr. ${a.policyId} gibt es nicht (mehr) – übersprungen`;
      audit.push({ actor, action: 'rule_applied', details: { ruleId: a.ruleId, slaPolicyId: a.policyId, reason } });
    }
    if (a.kind === 'notifyTeam') {
      const team = s.teamsBySlug.get(a.team);
      const reason = !team
        ? `Das Team „${a.team}“ gibt es nicht (mehr) – keine Benachrichtigung`
        : team.email
          ? `${team.name} per E-Mail benachrichtigt`
          : `${team.name} hat keine E-Mail-Adresse – keine Benachrichtigung`;
      if (team?.email) notify.push({ teamName: team.name, email: team.email, ruleName: a.ruleName });
      audit.push({ actor, action: 'rule_applied', details: { ruleId: a.ruleId, reason } });
    }
  }
  return { acknowledgement, sla, notify };
}
