import type { DbOrTx } from '../../infra/db.ts';
import type { CaseType } from '../../infra/schema/index.ts';
import { type ReferenceData, referenceData } from '../cases/reference-data.ts';
import { districtAt } from './geo.ts';

/**
 * Decides the responsible team for a new case. The seed's rule comes first: the category's team
 * acts; without a category, Störungen, Beschwerden and Fragen go to the Leitstelle and ideas to
 * Innovationsmanagement. The reason is stored on the case, so every automatic decision is visible.
 */
export const TEAM_FOR_TYPE: Record<CaseType | 'unknown', string> = {
  defect: 'leitstelle',
  complaint: 'leitstelle',
  question: 'leitstelle',
  praise: 'leitstelle',
  idea: 'innovationsmanagement',
  unknown: 'leitstelle',
};

export interface RoutingDecision {
  teamId: number | null;
  districtId: number | null;
  reason: string;
}

export interface RoutingInput {
  type: CaseType | null;
  categoryId: number | null;
  lat: number | null;
  lon: number | null;
  /** The team of the mailbox it came in on: after the category's team, before the team for the type. */
  accountTeamId?: number | null;
}

/**
 * Routes from the cached reference data (no query on the way, unless the category or default team
 * is missing from the copy: then it is reloaded once, see lookupReference).
 */
export async function routeNewCase(db: DbOrTx, input: RoutingInput): Promise<RoutingDecision> {
  const slug = TEAM_FOR_TYPE[input.type ?? 'unknown'];
  const ref = await referenceData(db);
  const known = (r: ReferenceData) => {
    const category = input.categoryId === null ? null : r.categoriesById.get(input.categoryId);
    if (category === undefined) return false;
    return r.teamsBySlug.has(slug) && (category?.defaultTeamId == null || r.teamsById.has(category.defaultTeamId));
  };
  return decideRoute(known(ref) ? ref : await referenceData(db, { fresh: true }), input);
}

/** The decision itself, pure: category team first, else the team for the type; district by point-in-polygon. */
export function decideRoute(ref: ReferenceData, input: RoutingInput): RoutingDecision {
  const districtId = input.lat !== null && input.lon !== null ? (districtAt(ref.districts, input.lat, input.lon)?.id ?? null) : null;
  const category = input.categoryId === null ? undefined : ref.categoriesById.get(input.categoryId);
  const categoryTeam = category?.defaultTeamId == null ? undefined : ref.teamsById.get(category.defaultTeamId);
  if (category && categoryTeam) {
    return { teamId: categoryTeam.id, districtId, reason: `Kategorie „${category.name}“ gehört zu ${categoryTeam.name}` };
  }
  const accountTeam = input.accountTeamId == null ? undefined : ref.teamsById.get(input.accountTeamId);
  if (accountTeam) return { teamId: accountTeam.id, districtId, reason: `Standard-Team des Postfachs: ${accountTeam.name}` };
  const team = ref.teamsBySlug.get(TEAM_FOR_TYPE[input.type ?? 'unknown']);
  if (!team) return { teamId: null, districtId, reason: 'Kein passendes Team gefunden – bitte von Hand zuweisen' };
  const why = input.type === 'idea' ? 'Ideen bearbeitet' : input.type ? 'diese Art bearbeitet' : 'unklare Anliegen sichtet';
  return { teamId: team.id, districtId, reason: `${team.name}, weil sie ${why}` };
}
