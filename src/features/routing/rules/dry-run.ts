import type { Db } from '../../../infra/db.ts';
import { namesOf } from './describe.ts';
import { type DecidedField, describeValue, evaluateRules } from './engine.ts';
import { type Directory, recentCases, ruleFactsOf } from './queries.ts';
import type { RuleInput } from './schema.ts';

export const DRY_RUN_CASES = 1000;
const SAMPLE = 25;

export interface DryRunRow {
  number: string;
  excerpt: string;
  /** German, e.g. "Team: Leitstelle → Tiefbauamt". Empty when the rule matched but changes nothing. */
  changes: string[];
  effects: string[];
}

export interface DryRunResult {
  checked: number;
  matched: number;
  /** Matched cases where at least one field would differ from what the case has now. */
  changed: number;
  /** Cases where the time budget cut the rule off (it counts as not matched there). */
  aborted: number;
  byField: Partial<Record<DecidedField, number>>;
  sample: DryRunRow[];
}

const fieldLabels: Record<DecidedField, string> = {
  type: 'Art',
  category: 'Kategorie',
  team: 'Team',
  priority: 'Priorität',
  assignee: 'Zuständig',
  tags: 'Schlagwörter',
};

/**
 * "What would this rule have done to the last 1,000 cases?" The rule is evaluated alone, as if
 * enabled and for new cases, against each case as it is now; nothing is written.
 */
export async function dryRun(db: Db, rule: RuleInput, dir: Directory, limit = DRY_RUN_CASES): Promise<DryRunResult> {
  const rows = await recentCases(db, limit);
  const names = namesOf(dir);
  const candidate = [{ ...rule, enabled: true, triggers: ['created' as const], id: 0, position: 0 }];
  const result: DryRunResult = { checked: rows.length, matched: 0, changed: 0, aborted: 0, byField: {}, sample: [] };
  for (const c of rows) {
    const ev = evaluateRules(candidate, ruleFactsOf(c), { trigger: 'created' });
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
    if (result.sample.length < SAMPLE) {
      const effects = ev.actions.map((a) =>
        a.kind === 'sla'
          ? `Frist „${names.policy(a.policyId)}“`
          : a.kind === 'acknowledge'
            ? 'eigene Eingangsbestätigung'
            : `Benachrichtigung an ${names.team(a.team)}`,
      );
      const excerpt = c.description.length > 120 ? `${c.description.slice(0, 120)} …` : c.description;
      result.sample.push({ number: c.number, excerpt, changes, effects });
    }
  }
  return result;
}
