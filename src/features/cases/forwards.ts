import { and, desc, eq, inArray, or, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../infra/db.ts';
import { caseForwards, cases, teams } from '../../infra/schema/index.ts';
import type { Viewer } from './access.ts';

/**
 * Hand-offs between teams ("weitergeleitet"). The team a case left (and the clerk who moved it, for
 * a case that had no team) keeps reading it: its status, facts, the citizen's messages and the
 * answers to them, and the internal notes up to the moment of its last hand-off. Notes the new
 * team writes afterwards, and the audit trail after that moment, stay with the new team; so does
 * every change (the POST routes answer 403).
 */
export interface ForwardSeen {
  forwardedAt: Date;
  /** The team it went to in that hand-off; null when it went back to the Sichtung. */
  toTeamName: string | null;
}

/** Written in the transaction of the team change itself, so a hand-off never goes unrecorded. */
export async function recordForward(
  tx: Tx,
  f: { caseId: number; fromTeamId: number | null; toTeamId: number | null; by: number | null; at: Date },
): Promise<void> {
  await tx
    .insert(caseForwards)
    .values({ caseId: f.caseId, fromTeamId: f.fromTeamId, toTeamId: f.toTeamId, forwardedBy: f.by, forwardedAt: f.at });
}

/** Hand-offs that count as "ours" for this viewer: from one of their teams, or made by them. */
function ours(viewer: Viewer): SQL {
  const byTeam = viewer.teamIds.length > 0 ? inArray(caseForwards.fromTeamId, viewer.teamIds) : sql`false`;
  return or(byTeam, eq(caseForwards.forwardedBy, viewer.id)) ?? sql`false`;
}

/** The viewer's latest hand-off of this case, or null when they never handed it on. */
export async function forwardSeenBy(db: DbOrTx, viewer: Viewer, caseId: number): Promise<ForwardSeen | null> {
  const [row] = await db
    .select({ forwardedAt: caseForwards.forwardedAt, toTeamName: teams.name })
    .from(caseForwards)
    .leftJoin(teams, eq(teams.id, caseForwards.toTeamId))
    .where(and(eq(caseForwards.caseId, caseId), ours(viewer)))
    .orderBy(desc(caseForwards.forwardedAt), desc(caseForwards.id))
    .limit(1);
  return row ?? null;
}

/** The inbox view "Von uns weitergeleitet": cases the viewer's teams (or the viewer) handed on. */
export function forwardedByViewerWhere(viewer: Viewer): SQL {
  return sql`exists (select 1 from ${caseForwards} where ${caseForwards.caseId} = ${cases.id} and ${ours(viewer)})`;
}

/** "Weitergeleitet an Tiefbauamt" / "… an die Sichtung (ohne Team)". */
export function forwardTarget(f: Pick<ForwardSeen, 'toTeamName'>): string {
  return f.toTeamName === null ? 'die Sichtung (ohne Team)' : f.toTeamName;
}
