import { eq } from 'drizzle-orm';
import { conflict, invalid, notFound } from '../../../infra/errors.ts';
import { cases } from '../../../infra/schema/index.ts';
import { canSeeTeam } from '../../cases/access.ts';
import { recordAudit } from '../../cases/audit.ts';
import { lockCase } from '../../cases/queries.ts';
import { type CasesDeps, editCase, STALE_MESSAGE, type StaffActor } from '../../cases/service.ts';
import { closeHint, openHintOf } from './queries.ts';

export type HintChoice = 'keep' | 'move';

export const ALREADY_DECIDED = 'Die Zuständigkeit hat inzwischen jemand anderes geprüft. Bitte laden Sie die Seite neu.';

/**
 * "Zuständigkeit prüfen" decided by a person: keep the team the category gave, or hand the case
 * to the classifier's team. The move goes through the case service like any team change (version
 * check, audit, assignee cleared, SLA and live updates follow); then the hint is closed with an
 * audit entry saying who decided what. Returns whether the actor still sees the case.
 */
export async function resolveTeamConflict(
  deps: CasesDeps,
  actor: StaffActor,
  caseId: number,
  input: { version: number; choice: HintChoice },
): Promise<{ stillVisible: boolean }> {
  const hint = await openHintOf(deps.db, caseId);
  if (!hint) throw conflict(ALREADY_DECIDED);
  const keptName = hint.ruleTeamName ?? hint.details.ruleTeamName ?? 'dem bisherigen Team';
  const movedName = hint.classifierTeamName ?? hint.details.classifierTeamName ?? 'das andere Team';
  let stillVisible = true;
  if (input.choice === 'move') {
    if (hint.classifierTeamId === null || hint.classifierTeamName === null) {
      throw invalid(`Das Team „${movedName}“ gibt es nicht mehr. Bitte wählen Sie das Team im Formular „Bearbeiten“.`);
    }
    const classifierTeamId = hint.classifierTeamId;
    const [row] = await deps.db.select().from(cases).where(eq(cases.id, caseId));
    if (!row || !canSeeTeam(actor, row.teamId)) throw notFound('Dieses Anliegen gibt es nicht, oder Sie haben keinen Zugriff darauf.');
    const edited = await editCase(deps, actor, caseId, {
      version: input.version,
      type: row.type,
      categoryId: row.categoryId,
      teamId: classifierTeamId,
      priority: row.priority,
      status: row.status,
    });
    stillVisible = edited.stillVisible;
  }
  await deps.db.transaction(async (tx) => {
    const kase = await lockCase(tx, caseId);
    if (!kase) throw notFound('Dieses Anliegen gibt es nicht, oder Sie haben keinen Zugriff darauf.');
    // Keeping changes nothing on the case, so the version check lives here; a move checked it in editCase.
    if (input.choice === 'keep') {
      if (!canSeeTeam(actor, kase.teamId)) throw notFound('Dieses Anliegen gibt es nicht, oder Sie haben keinen Zugriff darauf.');
      if (kase.version !== input.version) throw conflict(STALE_MESSAGE);
    }
    const now = deps.clock.now();
    if (!(await closeHint(tx, caseId, actor.id, now))) throw conflict(ALREADY_DECIDED);
    const reason = input.choice === 'keep' ? `bleibt bei ${keptName}` : `an ${movedName} gegeben`;
    await recordAudit(tx, {
      caseId,
      actor: { userId: actor.id, label: actor.displayName },
      action: 'routing_checked',
      details: { reason },
      at: now,
    });
  });
  return { stillVisible };
}
