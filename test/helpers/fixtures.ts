import type { Db } from '../../src/infra/db.ts';
import { categories, districts, teams } from '../../src/infra/schema/index.ts';

/** A small town for tests: the teams the routing defaults name, two categories, one district. */
export async function seedBasics(db: Db) {
  const [leitstelle, innovation, tiefbau] = await db
    .insert(teams)
    .values([
      { slug: 'leitstelle', name: 'Leitstelle', email: 'leitstelle@musterstadt.example' },
      { slug: 'innovationsmanagement', name: 'Innovationsmanagement' },
      { slug: 'tiefbauamt', name: 'Tiefbauamt' },
    ])
    .returning();
  const [streetLight, litter] = await db
    .insert(categories)
    .values([
      { slug: 'strassenbeleuchtung', name: 'Straßenbeleuchtung', groupName: 'Straße & Verkehr', defaultTeamId: tiefbau?.id ?? null },
      { slug: 'illegaler-muell', name: 'Illegaler Müll', groupName: 'Sauberkeit', defaultTeamId: null },
    ])
    .returning();
  const [altstadt] = await db
    .insert(districts)
    .values({
      name: 'Altstadt',
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [9.17, 47.66],
            [9.18, 47.66],
            [9.18, 47.67],
            [9.17, 47.67],
            [9.17, 47.66],
          ],
        ],
      },
    })
    .returning();
  if (!leitstelle || !innovation || !tiefbau || !streetLight || !litter || !altstadt) throw new Error('fixtures incomplete');
  return { teams: { leitstelle, innovation, tiefbau }, categories: { streetLight, litter }, districts: { altstadt } };
}
