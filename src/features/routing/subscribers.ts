import { subscribe } from '../../infra/events.ts';
import { applyRulesOnUpdate, type UpdateRulesDeps } from './rules/update.ts';

/**
 * Rules with the trigger "updated" react when staff gave a case another type, category or team,
 * after that change committed; what the rules change themselves does not trigger them again.
 */
export function subscribeRouting(deps: UpdateRulesDeps): void {
  subscribe(deps.db, 'case.changed', async ({ caseId, before, after, actions }) => {
    // The rules' own change (it always notes 'rule_applied') must not set them off again: no ping-pong.
    if (actions.includes('rule_applied')) return;
    const touched = before.type !== after.type || before.categoryId !== after.categoryId || before.teamId !== after.teamId;
    if (touched) await applyRulesOnUpdate(deps, caseId, { type: before.type, categoryId: before.categoryId, teamId: before.teamId });
  });
}
