import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import { describe, expect, it } from 'vitest';
import { caseStatuses } from '../../../infra/schema/index.ts';
import { receivedAt } from './index.ts';
import { demoCases } from './musterstadt-cases.ts';
import { demoCategories, demoDistricts, demoTeams, demoTownCore, demoUsers } from './musterstadt-data.ts';

const containing = (lat: number, lon: number) =>
  demoDistricts.filter((d) => booleanPointInPolygon([lon, lat], d.geometry)).map((d) => d.name);

describe('Musterstadt districts', () => {
  it('are five valid closed polygons', () => {
    expect(demoDistricts).toHaveLength(5);
    for (const d of demoDistricts) {
      const [ring] = d.geometry.coordinates;
      expect(ring, d.name).toBeDefined();
      expect(ring?.length, d.name).toBeGreaterThanOrEqual(4);
      expect(ring?.[0], d.name).toEqual(ring?.at(-1));
    }
  });

  it('do not overlap and cover the town core without gaps', () => {
    // Sample on a grid whose offsets avoid the borders, where a point counts for both neighbours.
    const { west, east, south, north } = demoTownCore;
    let samples = 0;
    for (let lat = south + 0.000137; lat < north; lat += 0.00071) {
      for (let lon = west + 0.000113; lon < east; lon += 0.00093) {
        expect(containing(lat, lon), `${lat},${lon}`).toHaveLength(1);
        samples++;
      }
    }
    expect(samples).toBeGreaterThan(1500);
  });

  it('contain the default map centre in the Altstadt', () => {
    expect(containing(47.6633, 9.1753)).toEqual(['Altstadt']);
  });

  it('are each roughly one to four kilometres across', () => {
    for (const d of demoDistricts) {
      const ring = d.geometry.coordinates[0] ?? [];
      const lons = ring.map((p) => p[0] as number);
      const lats = ring.map((p) => p[1] as number);
      const widthKm = (Math.max(...lons) - Math.min(...lons)) * 75; // ~75 km per degree of longitude at 47.7° N
      const heightKm = (Math.max(...lats) - Math.min(...lats)) * 111;
      expect(Math.max(widthKm, heightKm), d.name).toBeGreaterThan(0.8);
      expect(Math.max(widthKm, heightKm), d.name).toBeLessThan(4);
    }
  });
});

describe('Musterstadt demo data', () => {
  it('puts every located case inside exactly one district', () => {
    for (const c of demoCases.filter((x) => x.place)) {
      expect(containing(c.place?.lat ?? 0, c.place?.lon ?? 0), c.place?.street).toHaveLength(1);
    }
  });

  it('names only known categories, teams and users, with unique slugs', () => {
    const teamSlugs = new Set<string>(demoTeams.map((t) => t.slug));
    const categorySlugs = new Set(demoCategories.map((c) => c.slug));
    expect(categorySlugs.size).toBe(demoCategories.length);
    for (const c of demoCategories) {
      expect(teamSlugs.has(c.team), c.slug).toBe(true);
      expect(c.slug).toMatch(/^[a-z0-9-]+$/);
    }
    const userKeys = new Set(demoUsers.map((u) => u.key));
    for (const c of demoCases) {
      if (c.category) expect(categorySlugs.has(c.category), c.category).toBe(true);
      for (const s of c.steps) expect(userKeys.has(s.by)).toBe(true);
    }
  });

  it('covers every channel with a way back, every type and every status', () => {
    expect(new Set(demoCases.map((c) => c.channel))).toEqual(new Set(['web', 'email', 'phone', 'fax', 'walk_in']));
    expect(new Set(demoCases.map((c) => c.type)).size).toBe(5);
    const finalStatus = demoCases.map((c) => {
      const status = c.steps.filter((s) => s.do === 'status').at(-1);
      if (status?.do === 'status') return status.status;
      return c.steps.some((s) => s.do === 'assign') ? 'in_progress' : 'new';
    });
    expect(new Set(finalStatus)).toEqual(new Set(caseStatuses));
  });

  it('lets staff steps happen only after the case came in, in order', () => {
    for (const c of demoCases) {
      const afters = c.steps.map((s) => s.after);
      expect(afters).toEqual([...afters].sort((a, b) => a - b));
      expect(c.daysAgo).toBeLessThanOrEqual(42);
    }
  });

  it('uses reserved example domains for every reporter address', () => {
    for (const c of demoCases) if (c.reporter?.email) expect(c.reporter.email).toMatch(/@example\.org$/);
  });
});

describe('receivedAt', () => {
  const now = new Date(2026, 10, 26, 9, 30);
  it('goes back the given days to the given hour', () => {
    expect(receivedAt(now, 3, 14)).toEqual(new Date(2026, 10, 23, 14, 0));
  });
  it('never lies in the future, even for an hour later today', () => {
    expect(receivedAt(now, 0, 18).getTime()).toBeLessThan(now.getTime());
  });
});
