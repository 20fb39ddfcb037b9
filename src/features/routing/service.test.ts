import { describe, expect, it } from 'vitest';
import type { ReferenceData } from '../cases/reference-data.ts';
import { decideRoute } from './service.ts';

const team = (id: number, slug: string, name: string) => ({ id, slug, name, email: null, roundRobin: false });
const leitstelle = team(1, 'leitstelle', 'Leitstelle');
const innovation = team(2, 'innovationsmanagement', 'Innovationsmanagement');
const tiefbau = team(3, 'tiefbauamt', 'Tiefbauamt');

const streetLight = {
  id: 10,
  slug: 'strassenbeleuchtung',
  name: 'Straßenbeleuchtung',
  groupName: 'Straße & Verkehr',
  active: true,
  defaultTeamId: 3,
};
const litter = { id: 11, slug: 'illegaler-muell', name: 'Illegaler Müll', groupName: 'Sauberkeit', active: true, defaultTeamId: null };

function ref(teams = [leitstelle, innovation, tiefbau]): ReferenceData {
  return {
    teamsBySlug: new Map(teams.map((t) => [t.slug, t])),
    teamsById: new Map(teams.map((t) => [t.id, t])),
    categoriesById: new Map([streetLight, litter].map((c) => [c.id, c])),
    categoriesBySlug: new Map([streetLight, litter].map((c) => [c.slug, c])),
    districts: [
      {
        id: 7,
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
      },
    ],
  };
}

const input = { type: null, categoryId: null, lat: null, lon: null } as const;

describe('decideRoute', () => {
  it('sends a category to its team and says why', () => {
    expect(decideRoute(ref(), { ...input, type: 'idea', categoryId: 10 })).toEqual({
      teamId: 3,
      districtId: null,
      reason: 'Kategorie „Straßenbeleuchtung“ gehört zu Tiefbauamt',
    });
  });

  it('falls back to the team for the type when the category has no team', () => {
    expect(decideRoute(ref(), { ...input, type: 'idea', categoryId: 11 })).toMatchObject({
      teamId: 2,
      reason: 'Innovationsmanagement, weil sie Ideen bearbeitet',
    });
    expect(decideRoute(ref(), { ...input, type: 'complaint' })).toMatchObject({
      teamId: 1,
      reason: 'Leitstelle, weil sie diese Art bearbeitet',
    });
    expect(decideRoute(ref(), input)).toMatchObject({ teamId: 1, reason: 'Leitstelle, weil sie unklare Anliegen sichtet' });
  });

  it('leaves the case without team, with a reason, when the town has no matching team', () => {
    expect(decideRoute(ref([tiefbau]), { ...input, type: 'defect' })).toEqual({
      teamId: null,
      districtId: null,
      reason: 'Kein passendes Team gefunden – bitte von Hand zuweisen',
    });
  });

  it('finds the district containing the point, and none outside', () => {
    expect(decideRoute(ref(), { ...input, lat: 47.665, lon: 9.175 }).districtId).toBe(7);
    expect(decideRoute(ref(), { ...input, lat: 47.7, lon: 9.175 }).districtId).toBeNull();
  });
});
