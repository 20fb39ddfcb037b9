import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../../infra/db.ts';
import { type CaseType, categories, districts, teams } from '../../infra/schema/index.ts';
import { type DistrictShape, districtAt } from './geo.ts';

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

export async function routeNewCase(
  db: DbOrTx,
  input: { type: CaseType | null; categoryId: number | null; lat: number | null; lon: number | null },
): Promise<RoutingDecision> {
  const districtId = input.lat !== null && input.lon !== null ? await findDistrictId(db, input.lat, input.lon) : null;
  if (input.categoryId !== null) {
    const [category] = await db
      .select({ name: categories.name, teamId: categories.defaultTeamId, teamName: teams.name })
      .from(categories)
      .leftJoin(teams, eq(teams.id, categories.defaultTeamId))
      .where(eq(categories.id, input.categoryId));
    if (category?.teamId) {
      return { teamId: category.teamId, districtId, reason: `Kategorie „${category.name}“ gehört zu ${category.teamName}` };
    }
  }
  const slug = TEAM_FOR_TYPE[input.type ?? 'unknown'];
  const [team] = await db.select({ id: teams.id, name: teams.name }).from(teams).where(eq(teams.slug, slug));
  if (!team) return { teamId: null, districtId, reason: 'Kein passendes Team gefunden – bitte von Hand zuweisen' };
  const why = input.type === 'idea' ? 'Ideen bearbeitet' : input.type ? 'diese Art bearbeitet' : 'unklare Anliegen sichtet';
  return { teamId: team.id, districtId, reason: `${team.name}, weil sie ${why}` };
}

async function findDistrictId(db: DbOrTx, lat: number, lon: number): Promise<number | null> {
  const rows = (await db.select().from(districts)) as DistrictShape[];
  return districtAt(rows, lat, lon)?.id ?? null;
}
