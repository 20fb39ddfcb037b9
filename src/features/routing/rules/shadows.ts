import type { ClaimedField } from './engine.ts';
import type { Condition, LeafCondition, Rule, RuleAction } from './schema.ts';

/** An earlier rule that can keep a later one from setting a field (or, with "stop", from running at all). */
export interface Shadow {
  ruleId: number;
  ruleName: string;
  /** 1-based place in the list, as the rules page numbers them. */
  number: number;
  /** The fields the earlier rule holds first; empty when it stops the run ("Danach keine weiteren Regeln prüfen"). */
  fields: ClaimedField[];
}

const claimedBy: Partial<Record<RuleAction['kind'], ClaimedField>> = {
  setType: 'type',
  setCategory: 'category',
  setTeam: 'team',
  setPriority: 'priority',
  assign: 'assignee',
  sla: 'sla',
  acknowledge: 'acknowledge',
};

const fieldsOf = (r: Rule): Set<ClaimedField> =>
  new Set(r.actions.flatMap((a) => (claimedBy[a.kind] ? [claimedBy[a.kind] as ClaimedField] : [])));

type ListKind = 'channel' | 'type' | 'category' | 'district' | 'language';
const listKinds: readonly ListKind[] = ['channel', 'type', 'category', 'district', 'language'];

/** The "is one of" lists a rule needs in every case: leaves at the top, directly or in a top-level "all" group. */
function requiredLists(c: Condition): Map<ListKind, Set<string>> {
  const isLeaf = (x: Condition): x is LeafCondition => x.kind !== 'all' && x.kind !== 'any';
  const leaves: LeafCondition[] = isLeaf(c) ? [c] : c.kind === 'all' ? c.conditions.filter(isLeaf) : [];
  const out = new Map<ListKind, Set<string>>();
  for (const leaf of leaves) {
    if (!(listKinds as readonly string[]).includes(leaf.kind)) continue;
    const values = new Set((leaf as Extract<LeafCondition, { in: unknown[] }>).in.map(String));
    const kind = leaf.kind as ListKind;
    const before = out.get(kind);
    // Two lists of one kind in one "all" group: the case must be in both.
    out.set(kind, before ? new Set([...before].filter((v) => values.has(v))) : values);
  }
  return out;
}

/**
 * Can both rules match the same case? A conservative check: "no" only when both require an
 * "is one of" list of the same kind (channel, type, category, district, language) and the lists
 * share no value. Type and category count only while no rule up to the later one sets that field,
 * since a rule in between may change it. Everything else (words, patterns, places, times,
 * confidence, "any" groups) is taken as "may overlap".
 */
function canOverlap(a: Rule, b: Rule, changedBetween: ReadonlySet<ClaimedField>): boolean {
  if (!a.triggers.some((t) => b.triggers.includes(t))) return false;
  const la = requiredLists(a.conditions);
  const lb = requiredLists(b.conditions);
  for (const kind of listKinds) {
    if ((kind === 'type' || kind === 'category') && changedBetween.has(kind)) continue;
    const x = la.get(kind);
    const y = lb.get(kind);
    if (x && y && ![...x].some((v) => y.has(v))) return false;
  }
  return true;
}

/**
 * For each rule, the earlier switched-on rules that can overrule it: they set a field it sets too
 * and keep it (no "weiter auswerten"), or they end the run, and their conditions can match the
 * same case (see canOverlap). Rules in list order (position, id).
 */
export function shadowsOf(rules: readonly Rule[]): Map<number, Shadow[]> {
  const ordered = [...rules].sort((a, b) => a.position - b.position || a.id - b.id);
  const out = new Map<number, Shadow[]>();
  ordered.forEach((later, i) => {
    const wanted = fieldsOf(later);
    const found: Shadow[] = [];
    for (let j = 0; j < i; j++) {
      const earlier = ordered[j] as Rule;
      if (!earlier.enabled) continue;
      const changedBetween = new Set<ClaimedField>();
      for (let k = j; k < i; k++) for (const f of fieldsOf(ordered[k] as Rule)) changedBetween.add(f);
      if (!canOverlap(earlier, later, changedBetween)) continue;
      if (earlier.stopProcessing) {
        found.push({ ruleId: earlier.id, ruleName: earlier.name, number: j + 1, fields: [] });
        continue;
      }
      if (earlier.overridable) continue;
      const fields = [...fieldsOf(earlier)].filter((f) => wanted.has(f));
      if (fields.length > 0) found.push({ ruleId: earlier.id, ruleName: earlier.name, number: j + 1, fields });
    }
    out.set(later.id, found);
  });
  return out;
}
