import type { DbOrTx } from '../../../infra/db.ts';
import { type Directory, directory, listRules } from './queries.ts';
import type { Rule } from './schema.ts';

/** Rules plus the names they refer to, as intake needs them on every new case. */
export interface RuleSnapshot {
  rules: Rule[];
  teamsBySlug: ReadonlyMap<string, Directory['teams'][number]>;
  teamsById: ReadonlyMap<number, Directory['teams'][number]>;
  categoriesBySlug: ReadonlyMap<string, Directory['categories'][number]>;
  categoriesById: ReadonlyMap<number, Directory['categories'][number]>;
  usersByEmail: ReadonlyMap<string, Directory['users'][number]>;
  policiesById: ReadonlyMap<number, Directory['policies'][number]>;
  loadedAt: number;
}

/**
 * Saving a rule in this process invalidates at once; other app processes (several behind one
 * PostgreSQL) pick a change up after this TTL. A rule naming a team or category the copy does not
 * know yet reloads it once, so new teams work at once too.
 */
export const RULES_TTL_MS = 10_000;

interface Entry {
  data: Promise<RuleSnapshot>;
  loadedAt: number;
}

// Keyed by database handle: tests open many databases in one process, and the demo seed's
// transaction must see the rules and teams it inserted itself.
const cache = new WeakMap<DbOrTx, Entry>();

async function load(db: DbOrTx, loadedAt: number): Promise<RuleSnapshot> {
  const rules = (await listRules(db)).filter((r) => r.valid);
  const dir = await directory(db);
  return {
    rules,
    teamsBySlug: new Map(dir.teams.map((t) => [t.slug, t])),
    teamsById: new Map(dir.teams.map((t) => [t.id, t])),
    categoriesBySlug: new Map(dir.categories.map((c) => [c.slug, c])),
    categoriesById: new Map(dir.categories.map((c) => [c.id, c])),
    usersByEmail: new Map(dir.users.map((u) => [u.email.toLowerCase(), u])),
    policiesById: new Map(dir.policies.map((p) => [p.id, p])),
    loadedAt,
  };
}

export async function ruleSnapshot(db: DbOrTx, opts: { fresh?: boolean; now?: number } = {}): Promise<RuleSnapshot> {
  const now = opts.now ?? Date.now();
  const hit = cache.get(db);
  if (hit && !opts.fresh && now - hit.loadedAt < RULES_TTL_MS) return hit.data;
  const data = load(db, now);
  cache.set(db, { data, loadedAt: now });
  // A failed load must not stick: the next case tries again.
  data.catch(() => cache.delete(db));
  return data;
}

export function invalidateRules(db: DbOrTx): void {
  cache.delete(db);
}

/** True when every team, category, person and deadline policy the rules name is in the snapshot. */
export function referencesKnown(s: RuleSnapshot, categoryId: number | null): boolean {
  if (categoryId !== null && !s.categoriesById.has(categoryId)) return false;
  for (const rule of s.rules) {
    for (const a of rule.actions) {
      if ((a.kind === 'setTeam' && !s.teamsBySlug.has(a.value)) || (a.kind === 'notifyTeam' && !s.teamsBySlug.has(a.team))) return false;
      if (a.kind === 'setCategory' && !s.categoriesBySlug.has(a.value)) return false;
      if (a.kind === 'assign' && !s.usersByEmail.has(a.user)) return false;
      if (a.kind === 'sla' && !s.policiesById.has(a.policyId)) return false;
    }
  }
  return true;
}
