import { SYSTEM } from '../../cases/audit.ts';
import type { AuditDraft } from '../rules/apply.ts';
import type { RuleSnapshot } from '../rules/cache.ts';
import type { Condition, Rule } from '../rules/schema.ts';

export const TEAM_CONFLICT = 'team_conflict';

/** What the case page shows; names as they were when the case came in, like the audit trail. */
export interface TeamConflictDetails {
  /** "rule": a rule that looks at the category chose the team; "category": the category's own team. */
  source: 'rule' | 'category';
  ruleName: string | null;
  categoryName: string | null;
  ruleTeamName: string;
  classifierTeamName: string;
}

export interface HintDraft {
  kind: typeof TEAM_CONFLICT;
  ruleTeamId: number;
  classifierTeamId: number;
  confidence: number;
  details: TeamConflictDetails;
  audit: AuditDraft;
}

const mentionsCategory = (c: Condition): boolean =>
  c.kind === 'all' || c.kind === 'any' ? c.conditions.some(mentionsCategory) : c.kind === 'category';

export const percentText = (confidence: number) => `${Math.round(confidence * 100)} %`;

/**
 * A category is often the classifier's own guess or a citizen's quick pick, while the classifier's
 * team comes from the whole text: when a team chosen by category (a rule looking at it, or the
 * category's own team) differs from a team the classifier is confident about (at or above the
 * town's threshold, else it would not be here), neither should win silently. The case keeps the
 * category's team and gets a hint for a person to decide. A rule choosing the team by anything
 * else (words, sender, place) is an admin's deliberate decision and gets no hint.
 */
export function teamConflictHint(
  s: Pick<RuleSnapshot, 'teamsById' | 'categoriesById'>,
  input: { teamId: number | null; rule: Rule | null; categoryId: number | null; classifier: { id: number; confidence: number } },
): HintDraft | null {
  const { teamId, rule, classifier } = input;
  if (teamId === null || teamId === classifier.id) return null;
  if (rule && !mentionsCategory(rule.conditions)) return null;
  const ruleTeam = s.teamsById.get(teamId);
  const classifierTeam = s.teamsById.get(classifier.id);
  if (!ruleTeam || !classifierTeam) return null;
  const categoryName = input.categoryId === null ? null : (s.categoriesById.get(input.categoryId)?.name ?? null);
  const details: TeamConflictDetails = {
    source: rule ? 'rule' : 'category',
    ruleName: rule?.name ?? null,
    categoryName,
    ruleTeamName: ruleTeam.name,
    classifierTeamName: classifierTeam.name,
  };
  const why = rule ? `Regel „${rule.name}“` : `Kategorie „${categoryName ?? 'ohne Namen'}“`;
  const reason = `${why} gibt ${ruleTeam.name}, der Klassifikator ${classifierTeam.name} mit ${percentText(classifier.confidence)} – bitte entscheiden`;
  return {
    kind: TEAM_CONFLICT,
    ruleTeamId: teamId,
    classifierTeamId: classifier.id,
    confidence: classifier.confidence,
    details,
    audit: { actor: SYSTEM, action: 'routing_hint', details: { reason } },
  };
}
