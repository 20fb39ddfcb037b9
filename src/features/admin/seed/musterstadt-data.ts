import type { Polygon } from 'geojson';
import type { ServiceAttribute, UserRole } from '../../../infra/schema/index.ts';

/**
 * The fictional demo town: its teams, categories, districts and staff. Pure data, so the seeding
 * logic stays readable and the town can be changed without touching code. All names are invented.
 */

export const DEMO_MAIL_DOMAIN = 'musterstadt.example';

export const demoTeams = [
  { slug: 'leitstelle', name: 'Leitstelle' },
  { slug: 'innovationsmanagement', name: 'Innovationsmanagement' },
  { slug: 'tiefbauamt', name: 'Tiefbauamt' },
  { slug: 'gruenflaechenamt', name: 'Grünflächenamt' },
  { slug: 'abfallwirtschaft', name: 'Abfallwirtschaft' },
  { slug: 'ordnungsamt', name: 'Ordnungsamt' },
] as const;

export type DemoTeamSlug = (typeof demoTeams)[number]['slug'];

/** Modelled on the categories German defect-report portals commonly offer, each with the team that acts. */
/**
 * `radius` (metres) is how close an open report of the same category counts as a possible duplicate
 * (default 50 m): lamps stand about 30 m apart, one crossing's lights or one playground cover more.
 */
export const demoCategories: { slug: string; name: string; group: string; team: DemoTeamSlug; radius?: number }[] = [
  { slug: 'strassenschaden', name: 'Schlagloch / Straßenschaden', group: 'Straße & Verkehr', team: 'tiefbauamt', radius: 25 },
  { slug: 'gehweg', name: 'Gehweg', group: 'Straße & Verkehr', team: 'tiefbauamt' },
  { slug: 'radweg', name: 'Radweg', group: 'Straße & Verkehr', team: 'tiefbauamt' },
  { slug: 'strassenbeleuchtung', name: 'Straßenbeleuchtung', group: 'Straße & Verkehr', team: 'tiefbauamt', radius: 30 },
  { slug: 'ampel', name: 'Ampel', group: 'Straße & Verkehr', team: 'tiefbauamt', radius: 80 },
  { slug: 'verkehrszeichen', name: 'Verkehrszeichen', group: 'Straße & Verkehr', team: 'tiefbauamt' },
  { slug: 'gully', name: 'Gully / Straßenablauf', group: 'Straße & Verkehr', team: 'tiefbauamt', radius: 20 },
  { slug: 'illegaler-muell', name: 'Illegaler Müll', group: 'Sauberkeit', team: 'abfallwirtschaft', radius: 30 },
  { slug: 'muelleimer', name: 'Überfüllter Mülleimer', group: 'Sauberkeit', team: 'abfallwirtschaft' },
  { slug: 'graffiti', name: 'Graffiti', group: 'Sauberkeit', team: 'abfallwirtschaft', radius: 30 },
  { slug: 'hundekot', name: 'Hundekot', group: 'Sauberkeit', team: 'abfallwirtschaft' },
  { slug: 'container', name: 'Glas- / Altkleidercontainer', group: 'Sauberkeit', team: 'abfallwirtschaft', radius: 60 },
  { slug: 'baum', name: 'Baum / Gehölz', group: 'Grün', team: 'gruenflaechenamt', radius: 30 },
  { slug: 'gruenflaeche', name: 'Grünfläche / Park', group: 'Grün', team: 'gruenflaechenamt', radius: 100 },
  { slug: 'spielplatz', name: 'Spielplatz', group: 'Grün', team: 'gruenflaechenamt', radius: 100 },
  { slug: 'friedhof', name: 'Friedhof', group: 'Grün', team: 'gruenflaechenamt' },
  { slug: 'falschparker', name: 'Falschparker', group: 'Ordnung', team: 'ordnungsamt', radius: 30 },
  { slug: 'schrottfahrzeug', name: 'Abgestelltes Fahrzeug / Schrottrad', group: 'Ordnung', team: 'ordnungsamt' },
  { slug: 'laerm', name: 'Lärm', group: 'Ordnung', team: 'ordnungsamt', radius: 150 },
  { slug: 'hinweis-idee', name: 'Hinweis / Idee', group: 'Sonstiges', team: 'innovationsmanagement' },
  { slug: 'sonstiges', name: 'Sonstiges', group: 'Sonstiges', team: 'leitstelle' },
];

/*
 * Five Stadtteile tiling a town of about 3 × 3.5 km around the default map centre (47.6633, 9.1753).
 * Neighbours are built from the same named corner points, so shared borders match exactly: no gaps,
 * no overlaps. Coordinates are [lon, lat] as GeoJSON wants; rings run counter-clockwise (RFC 7946).
 */
const W = 9.155;
const E = 9.195;
const S = 47.648;
const N = 47.68;
const WEST_EDGE = 9.167; // Am Wald | Altstadt
const EAST_EDGE = 9.183; // Altstadt | Seeufer
const NORTH_EDGE = 47.669; // middle band | Nordstadt
const SOUTH_EDGE = 47.657; // middle band | Gewerbegebiet Süd
type Pt = [number, number];
const p = {
  wallNw: [WEST_EDGE, NORTH_EDGE] as Pt,
  wallSw: [WEST_EDGE, SOUTH_EDGE] as Pt,
  eastNw: [EAST_EDGE, NORTH_EDGE] as Pt,
  eastSw: [EAST_EDGE, SOUTH_EDGE] as Pt,
  // The old town wall bulges north a little around the church square.
  bulgeWest: [9.172, 47.6702] as Pt,
  bulgeEast: [9.179, 47.6697] as Pt,
};

const ring = (...points: Pt[]): Polygon => ({ type: 'Polygon', coordinates: [[...points, points[0] as Pt]] });

export const demoDistricts: { name: string; geometry: Polygon }[] = [
  {
    name: 'Altstadt',
    geometry: ring(p.wallSw, p.eastSw, p.eastNw, p.bulgeEast, p.bulgeWest, p.wallNw),
  },
  {
    name: 'Nordstadt',
    geometry: ring([W, NORTH_EDGE], p.wallNw, p.bulgeWest, p.bulgeEast, p.eastNw, [EAST_EDGE, N], [W, N]),
  },
  {
    name: 'Seeufer',
    // The lake shore is not straight; the east border follows it.
    geometry: ring(p.eastSw, [E, SOUTH_EDGE], [9.198, 47.664], [9.194, 47.672], [E, N], [EAST_EDGE, N], p.eastNw),
  },
  {
    name: 'Am Wald',
    geometry: ring([W, SOUTH_EDGE], p.wallSw, p.wallNw, [W, NORTH_EDGE]),
  },
  {
    name: 'Gewerbegebiet Süd',
    geometry: ring([W, S], [E, S], [E, SOUTH_EDGE], p.eastSw, p.wallSw, [W, SOUTH_EDGE]),
  },
];

/** The area every point of which lies in exactly one district (east of it the shore line varies). */
export const demoTownCore = { west: W, east: 9.194, south: S, north: N } as const;

export const DEMO_PASSWORD = 'Musterstadt-Demo-2026!';
export const DEMO_ADMIN_PASSWORD = 'Musterstadt-Admin-2026!';

export type DemoUserKey = 'admin' | 'leitstelle' | 'ideen' | 'tiefbau' | 'gruen' | 'abfall' | 'ordnung' | 'redaktion' | 'freigabe';

export const demoUsers: { key: DemoUserKey; name: string; role: UserRole; teams: DemoTeamSlug[]; note: string }[] = [
  { key: 'admin', name: 'Sabine Hartmann', role: 'admin', teams: [], note: 'Verwaltung / IT' },
  { key: 'leitstelle', name: 'Murat Yıldız', role: 'staff', teams: ['leitstelle'], note: 'Leitstelle' },
  { key: 'ideen', name: 'Jana Becker', role: 'staff', teams: ['innovationsmanagement'], note: 'Innovationsmanagement' },
  { key: 'tiefbau', name: 'Klaus Oberle', role: 'staff', teams: ['tiefbauamt'], note: 'Tiefbauamt' },
  { key: 'gruen', name: 'Lena Vogt', role: 'staff', teams: ['gruenflaechenamt'], note: 'Grünflächenamt' },
  { key: 'abfall', name: 'Dieter Braun', role: 'staff', teams: ['abfallwirtschaft'], note: 'Abfallwirtschaft' },
  { key: 'ordnung', name: 'Petra Schulze', role: 'staff', teams: ['ordnungsamt'], note: 'Ordnungsamt' },
  { key: 'redaktion', name: 'Tobias Krämer', role: 'staff', teams: [], note: 'Amtsblatt: Redaktion (schreibt)' },
  { key: 'freigabe', name: 'Ingrid Wolf', role: 'staff', teams: [], note: 'Amtsblatt: Freigabe (gibt frei)' },
];

export const demoUserEmail = (key: DemoUserKey) => `${key}@${DEMO_MAIL_DOMAIN}`;
export const demoUserPassword = (key: DemoUserKey) => (key === 'admin' ? DEMO_ADMIN_PASSWORD : DEMO_PASSWORD);

/** What other apps learn over Open311 about two categories: further words, and questions to ask. */
export const demoServiceExtras: Record<string, { keywords: string[]; attributes: ServiceAttribute[] }> = {
  strassenbeleuchtung: {
    keywords: ['Lampe', 'Laterne', 'Licht'],
    attributes: [
      { code: 'mastnummer', description: 'Welche Nummer steht am Mast?', datatype: 'string', required: false },
      {
        code: 'zustand',
        description: 'Was ist mit der Lampe?',
        datatype: 'singlevaluelist',
        required: false,
        values: [
          { key: 'aus', name: 'Sie ist aus' },
          { key: 'flackert', name: 'Sie flackert' },
          { key: 'tagsueber', name: 'Sie brennt tagsüber' },
        ],
      },
    ],
  },
  'illegaler-muell': {
    keywords: ['Sperrmüll', 'wilde Müllkippe'],
    attributes: [
      {
        code: 'art',
        description: 'Was liegt dort?',
        datatype: 'multivaluelist',
        required: false,
        values: [
          { key: 'sperrmuell', name: 'Sperrmüll' },
          { key: 'hausmuell', name: 'Hausmüll' },
          { key: 'gruenschnitt', name: 'Grünschnitt' },
          { key: 'gefahrstoffe', name: 'Farbe, Öl oder Batterien' },
        ],
      },
    ],
  },
};
