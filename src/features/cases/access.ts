import { inArray, isNull, or, type SQL, sql } from 'drizzle-orm';
import { cases } from '../../infra/schema/index.ts';

/** The part of the signed-in user that decides what they may see. */
export interface Viewer {
  id: number;
  role: 'admin' | 'staff';
  teamIds: number[];
}

/**
 * Staff see the cases of their own teams plus cases without a team (triage: someone has to pick
 * those up, and hiding them would make them nobody's). Admins see everything.
 */
export function canSeeTeam(viewer: Viewer, teamId: number | null): boolean {
  return viewer.role === 'admin' || teamId === null || viewer.teamIds.includes(teamId);
}

/** The same rule as SQL on `cases`, for lists; undefined means "no restriction". */
export function visibleCasesWhere(viewer: Viewer): SQL | undefined {
  if (viewer.role === 'admin') return undefined;
  if (viewer.teamIds.length === 0) return isNull(cases.teamId);
  return or(inArray(cases.teamId, viewer.teamIds), isNull(cases.teamId)) ?? sql`false`;
}
