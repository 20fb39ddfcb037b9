import { eq } from 'drizzle-orm';
import type { MultiPolygon, Polygon } from 'geojson';
import type { DbOrTx } from '../../infra/db.ts';
import { categories, districts, teamSettings, teams } from '../../infra/schema/index.ts';

/** A district (Stadtteil) with its outline, as routing tests points against it. */
export interface DistrictShape {
  id: number;
  name: string;
  geometry: Polygon | MultiPolygon;
}

export interface TeamRef {
  id: number;
  slug: string;
  name: string;
  /** Where a rule's "notify the team" mail goes; null: the team has no shared address. */
  email: string | null;
  /** The team assigns new cases to its members in turn (team settings); intake skips the step otherwise. */
  roundRobin: boolean;
}

export interface CategoryRef {
  id: number;
  slug: string;
  name: string;
  groupName: string;
  active: boolean;
  defaultTeamId: number | null;
}

/**
 * Teams, categories and district shapes: read on every report, changed a few times a year. The one
 * cache of them: default routing, the classifier step and the rules snapshot all read this copy.
 */
export interface ReferenceData {
  teamsBySlug: ReadonlyMap<string, TeamRef>;
  teamsById: ReadonlyMap<number, TeamRef>;
  categoriesById: ReadonlyMap<number, CategoryRef>;
  categoriesBySlug: ReadonlyMap<string, CategoryRef>;
  districts: DistrictShape[];
}

/**
 * How long a loaded copy is used. Admin services in this process call `invalidateReferenceData`
 * after a change, so here a change counts at once; other app processes (several behind one
 * PostgreSQL) see it at the latest after this TTL. A lookup that misses (a category or team created
 * a moment ago, perhaps elsewhere) reloads at once, so only changes and removals wait for the TTL.
 */
export const REFERENCE_TTL_MS = 30_000;

interface Entry {
  data: Promise<ReferenceData>;
  loadedAt: number;
  loading: boolean;
}

// One copy per database handle: tests open many databases in one process, and a transaction (the
// demo seed inserts its town and then takes cases in the same transaction) must see its own rows.
const cache = new WeakMap<DbOrTx, Entry>();

async function load(db: DbOrTx): Promise<ReferenceData> {
  // Sequential on purpose: a transaction handle runs one query at a time anyway.
  const teamRows = (
    await db
      .select({ id: teams.id, slug: teams.slug, name: teams.name, email: teams.email, roundRobin: teamSettings.roundRobin })
      .from(teams)
      .leftJoin(teamSettings, eq(teamSettings.teamId, teams.id))
  ).map((t) => ({ ...t, roundRobin: t.roundRobin ?? false }));
  const categoryRows = await db
    .select({
      id: categories.id,
      slug: categories.slug,
      name: categories.name,
      groupName: categories.groupName,
      active: categories.active,
      defaultTeamId: categories.defaultTeamId,
    })
    .from(categories);
  const districtRows = (await db
    .select({ id: districts.id, name: districts.name, geometry: districts.geometry })
    .from(districts)) as DistrictShape[];
  return {
    teamsBySlug: new Map(teamRows.map((t) => [t.slug, t])),
    teamsById: new Map(teamRows.map((t) => [t.id, t])),
    categoriesById: new Map(categoryRows.map((c) => [c.id, c])),
    categoriesBySlug: new Map(categoryRows.map((c) => [c.slug, c])),
    districts: districtRows,
  };
}

/**
 * The reference data, from memory when the copy is younger than the TTL. Concurrent callers share
 * one load; a failed load is not kept, so the next caller tries again.
 */
export function referenceData(db: DbOrTx, opts: { fresh?: boolean } = {}): Promise<ReferenceData> {
  const now = performance.now();
  const entry = cache.get(db);
  if (entry && !opts.fresh && now - entry.loadedAt < REFERENCE_TTL_MS) return entry.data;
  // A load under way serves a `fresh` request too, so a burst of misses (a script posting unknown
  // category ids) costs one reload at a time, not one per request.
  if (entry?.loading) return entry.data;
  const next: Entry = { data: load(db), loadedAt: now, loading: true };
  cache.set(db, next);
  next.data.then(
    () => {
      next.loading = false;
    },
    () => {
      if (cache.get(db) === next) cache.delete(db);
    },
  );
  return next.data;
}

/** Forget the loaded copy, e.g. after an admin changed a team, category or district. */
export function invalidateReferenceData(db: DbOrTx): void {
  cache.delete(db);
}

/**
 * Looks something up in the reference data; when it is not there, reloads once and looks again,
 * so something created a moment ago (in this process or another) is found without waiting for the TTL.
 */
export async function lookupReference<T>(db: DbOrTx, find: (ref: ReferenceData) => T | undefined): Promise<T | undefined> {
  const hit = find(await referenceData(db));
  if (hit !== undefined) return hit;
  return find(await referenceData(db, { fresh: true }));
}

const byName = new Intl.Collator('de').compare;

/** Teams by name, for selects and filters. */
export async function teamList(db: DbOrTx): Promise<TeamRef[]> {
  return [...(await referenceData(db)).teamsById.values()].sort((a, b) => byName(a.name, b.name));
}

/** Categories by group and name, for selects (the public form offers only the active ones). */
export async function categoryList(db: DbOrTx, opts: { activeOnly?: boolean } = {}): Promise<CategoryRef[]> {
  return [...(await referenceData(db)).categoriesById.values()]
    .filter((c) => !opts.activeOnly || c.active)
    .sort((a, b) => byName(a.groupName, b.groupName) || byName(a.name, b.name));
}
