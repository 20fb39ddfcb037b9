import type { Db } from '../../../infra/db.ts';
import { namesOf } from './describe.ts';
import { type ClaimedField, type Conflict, type DecidedField, describeValue, evaluateRules } from './engine.ts';
import { type Directory, recentCases, ruleFactsOf } from './queries.ts';
import type { Rule, RuleInput } from './schema.ts';

export const DRY_RUN_CASES = 1000;
const SAMPLE = 25;

export interface DryRunRow {
  number: string;
  excerpt: string;
  /** German, e.g. "Team: Leitstelle → Tiefbauamt". Empty when the rule matched but changes nothing. */
  changes: string[];
  effects: string[];
  /** German, e.g. "Team: bleibt bei Regel „Lärm“ – diese Regel wird überstimmt". */
  conflicts: string[];
}

/** How often, per field and other rule, the rule met another one in the full run. */
export interface DryRunConflict {
  field: ClaimedField;
  /** kept: the other (earlier) rule holds the field; replaced: this rule or the other one took it over. */
  outcome: Conflict['outcome'];
  /** True when this rule's value counts, false when it is overruled. */
  thisWins: boolean;
  other: { ruleId: number; ruleName: string };
  count: number;
}

export interface DryRunResult {
  checked: number;
  matched: number;
  /** Matched cases where at least one field would differ from what the case has now. */
  changed: number;
  /** Cases where the time budget cut the rule off (it counts as not matched there). */
  aborted: number;
  byField: Partial<Record<DecidedField, number>>;
  /** Together with the other switched-on rules: where this rule and another set the same field. */
  conflicts: DryRunConflict[];
  sample: DryRunRow[];
}

export const fieldLabels: Record<DecidedField | ClaimedField, string> = {
  type: 'Art',
  category: 'Kategorie',
  team: 'Team',
  priority: 'Priorität',
  assignee: 'Zuständig',
  tags: 'Schlagwörter',
  sla: 'Frist',
  acknowledge: 'Eingangsbestätigung',
};

/** The German line of one conflict, seen from the rule under test. */
export function conflictText(c: Pick<DryRunConflict, 'field' | 'outcome' | 'thisWins' | 'other'>): string {
  const other = `Regel „${c.other.ruleName}“`;
  const field = fieldLabels[c.field];
  if (c.outcome === 'kept')
    return c.thisWins
      ? `${field}: diese Regel hat schon entschieden – ${other} wird überstimmt`
      : `${field}: ${other} hat schon entschieden – diese Regel wird überstimmt`;
  return c.thisWins
    ? `${field}: diese Regel überstimmt ${other} (dort „Weiter auswerten“)`
    : `${field}: ${other} überstimmt diese Regel (hier „Weiter auswerten“)`;
}

/** Where the rule under test stands among the stored rules: its own place, or after all of them when it is new. */
export interface DryRunPlace {
  ruleId: number | null;
  /** The stored rules (valid ones), in any order. */
  rules: readonly Rule[];
}

const CANDIDATE_ID = 0;

/**
 * "What would this rule have done to the last 1,000 cases?" The rule is evaluated alone, as if
 * enabled and for new cases, against each case as it is now; nothing is written.
 */
export async function dryRun(
  db: Db,
  rule: RuleInput,
  dir: Directory,
  place: DryRunPlace = { ruleId: null, rules: [] },
  limit = DRY_RUN_CASES,
): Promise<DryRunResult> {
  const rows = await recentCases(db, limit);
  const names = namesOf(dir);
  const candidate = [{ ...rule, enabled: true, triggers: ['created' as const], id: CANDIDATE_ID, position: 0 }];
  const together = withCandidate(rule, place);
  const conflicts = new Map<string, DryRunConflict>();
  const result: DryRunResult = { checked: rows.length, matched: 0, changed: 0, aborted: 0, byField: {}, conflicts: [], sample: [] };
  for (const c of rows) {
    const facts = ruleFactsOf(c);
    const ev = evaluateRules(candidate, facts, { trigger: 'created' });
    if (ev.aborted) result.aborted++;
    if (ev.trace[0]?.status !== 'matched') continue;
    result.matched++;
    const now: Record<DecidedField, unknown> = {
      type: c.type,
      category: c.category,
      team: c.team,
      priority: c.priority,
      assignee: null,
      tags: [],
    };
    const changes: string[] = [];
    for (const [field, value] of Object.entries(ev.changes) as [DecidedField, unknown][]) {
      if (field !== 'tags' && value === now[field]) continue;
      result.byField[field] = (result.byField[field] ?? 0) + 1;
      const from = now[field] === null || field === 'tags' || field === 'assignee' ? null : describeValue(field, now[field], names);
      const to = describeValue(field, value, names);
      changes.push(from === null ? `${fieldLabels[field]}: ${to}` : `${fieldLabels[field]}: ${from} → ${to}`);
    }
    if (changes.length) result.changed++;
    const met = together.length > 1 ? ownConflicts(evaluateRules(together, facts, { trigger: 'created' }).conflicts) : [];
    for (const m of met) {
      const key = `${m.field}:${m.other.ruleId}:${m.thisWins}`;
      const seen = conflicts.get(key);
      if (seen) seen.count++;
      else conflicts.set(key, { ...m, count: 1 });
    }
    if (result.sample.length < SAMPLE) {
      const effects = ev.actions.map((a) =>
        a.kind === 'sla'
          ? `Frist „${names.policy(a.policyId)}“`
          : a.kind === 'acknowledge'
            ? 'eigene Eingangsbestätigung'
            : `Benachrichtigung an ${names.team(a.team)}`,
      );
      const excerpt = c.description.length > 120 ? `${c.description.slice(0, 120)} …` : c.description;
      result.sample.push({ number: c.number, excerpt, changes, effects, conflicts: met.map(conflictText) });
    }
  }
  result.conflicts = [...conflicts.values()].sort((a, b) => b.count - a.count);
  return result;
}

/**
 * The stored rules with the one under test in its place (replacing its stored version), switched
 * on and for new cases like the lone run; the others as stored, so switched-off ones stay off.
 */
function withCandidate(rule: RuleInput, place: DryRunPlace): Rule[] {
  const others = place.rules.filter((r) => r.id !== place.ruleId);
  const own = place.ruleId === null ? undefined : place.rules.find((r) => r.id === place.ruleId);
  const position = own?.position ?? Math.max(0, ...others.map((r) => r.position)) + 1;
  return [...others, { ...rule, enabled: true, triggers: ['created'], id: CANDIDATE_ID, position }];
}

function ownConflicts(list: readonly Conflict[]): Omit<DryRunConflict, 'count'>[] {
  const out: Omit<DryRunConflict, 'count'>[] = [];
  for (const c of list) {
    if (c.winner.ruleId === CANDIDATE_ID) out.push({ field: c.field, outcome: c.outcome, thisWins: true, other: c.overruled });
    else if (c.overruled.ruleId === CANDIDATE_ID) out.push({ field: c.field, outcome: c.outcome, thisWins: false, other: c.winner });
  }
  return out;
}
