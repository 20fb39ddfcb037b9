import { and, eq, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../../../infra/db.ts';
import { routingHints, teams } from '../../../infra/schema/index.ts';
import type { HintDraft, TeamConflictDetails } from './detect.ts';

/** Stored with the new case, in its transaction. */
export async function insertHint(db: DbOrTx, caseId: number, hint: HintDraft, at: Date): Promise<void> {
  await db.insert(routingHints).values({
    caseId,
    kind: hint.kind,
    ruleTeamId: hint.ruleTeamId,
    classifierTeamId: hint.classifierTeamId,
    confidence: hint.confidence,
    details: hint.details,
    createdAt: at,
  });
}

export interface OpenHint {
  caseId: number;
  kind: string;
  ruleTeamId: number | null;
  classifierTeamId: number | null;
  confidence: number | null;
  details: Partial<TeamConflictDetails>;
  /** Current names (a team may have been renamed since); null when the team is gone. */
  ruleTeamName: string | null;
  classifierTeamName: string | null;
  createdAt: Date;
}

export async function openHintOf(db: DbOrTx, caseId: number): Promise<OpenHint | null> {
  const [row] = await db
    .select({
      caseId: routingHints.caseId,
      kind: routingHints.kind,
      ruleTeamId: routingHints.ruleTeamId,
      classifierTeamId: routingHints.classifierTeamId,
      confidence: routingHints.confidence,
      details: routingHints.details,
      createdAt: routingHints.createdAt,
    })
    .from(routingHints)
    .where(and(eq(routingHints.caseId, caseId), isNull(routingHints.resolvedAt)));
  if (!row) return null;
  const nameOf = async (id: number | null) =>
    id === null ? null : ((await db.select({ name: teams.name }).from(teams).where(eq(teams.id, id)))[0]?.name ?? null);
  return {
    ...row,
    details: (row.details ?? {}) as Partial<TeamConflictDetails>,
    ruleTeamName: await nameOf(row.ruleTeamId),
    classifierTeamName: await nameOf(row.classifierTeamId),
  };
}

/** Closes the hint once: false when someone else closed it first. */
export async function closeHint(db: DbOrTx, caseId: number, userId: number, at: Date): Promise<boolean> {
  const rows = await db
    .update(routingHints)
    .set({ resolvedAt: at, resolvedBy: userId })
    .where(and(eq(routingHints.caseId, caseId), isNull(routingHints.resolvedAt)))
    .returning({ caseId: routingHints.caseId });
  return rows.length > 0;
}
