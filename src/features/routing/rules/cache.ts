import { asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../../infra/db.ts';
import { slaPolicies, users } from '../../../infra/schema/index.ts';
import { type ReferenceData, referenceData } from '../../cases/reference-data.ts';
import { listRules } from './queries.ts';
import type { Rule } from './schema.ts';

/** A stored rule that is switched on but cannot run (see StoredRule.valid): skipped with a note. */
export interface BrokenRule {
  ruleId: number;
  ruleName: string;
  triggers: Rule['triggers'];
  problem: string;
}

interface PersonRef {
  id: number;
  email: string;
  name: string;
}

/**
 * Rules plus the names they refer to, as intake needs them on every new case. Teams and categories
 * come from the shared reference data (one copy per process); people and deadline policies, which
 * only rules name, are loaded here.
 */
export interface RuleSnapshot extends Pick<ReferenceData, 'teamsBySlug' | 'teamsById' | 'categoriesBySlug' | 'categoriesById'> {
  rules: Rule[];
  broken: BrokenRule[];
  usersByEmail: ReadonlyMap<string, PersonRef>;
  policiesById: ReadonlyMap<number, { id: number; name: string }>;
  loadedAt: number;
  /** Loaded on purpose after a miss: a miss on this copy is real (a deleted team) and waits for the TTL. */
  fresh: boolean;
}

/**
 * Saving a rule in this process invalidates at once; other app processes (several behind one
 * PostgreSQL) pick a change up after this TTL. A rule naming a team, category, person or policy the
 * copy does not know yet reloads it once (reference data included), so new ones work at once too.
 */
export const RULES_TTL_MS = 10_000;

interface Entry {
  data: Promise<RuleSnapshot>;
  loadedAt: number;
}

// Keyed by database handle: tests open many databases in one process, and the demo seed's
// transaction must see the rules and teams it inserted itself.
const cache = new WeakMap<DbOrTx, Entry>();

async function load(db: DbOrTx, loadedAt: number, fresh: boolean): Promise<RuleSnapshot> {
  const stored = await listRules(db);
  const rules = stored.filter((r) => r.valid);
  const broken = stored
    .filter((r) => !r.valid && r.enabled)
    .map((r) => ({ ruleId: r.id, ruleName: r.name, triggers: r.triggers, problem: r.problem ?? '' }));
  const ref = await referenceData(db, { fresh });
  const people = await db.select({ id: users.id, email: users.email, name: users.displayName }).from(users).where(eq(users.active, true));
  const policies = await db.select({ id: slaPolicies.id, name: slaPolicies.name }).from(slaPolicies).orderBy(asc(slaPolicies.id));
  return {
    rules,
    broken,
    teamsBySlug: ref.teamsBySlug,
    teamsById: ref.teamsById,
    categoriesBySlug: ref.categoriesBySlug,
    categoriesById: ref.categoriesById,
    usersByEmail: new Map(people.map((u) => [u.email.toLowerCase(), u])),
    policiesById: new Map(policies.map((p) => [p.id, p])),
    loadedAt,
    fresh,
  };
}

export async function ruleSnapshot(db: DbOrTx, opts: { fresh?: boolean; now?: number } = {}): Promise<RuleSnapshot> {
  const now = opts.now ?? Date.now();
  const hit = cache.get(db);
  if (hit && !opts.fresh && now - hit.loadedAt < RULES_TTL_MS) return hit.data;
  const data = load(db, now, opts.fresh ?? false);
  cache.set(db, { data, loadedAt: now });
  // A failed load must not stick: the next case tries again.
  data.catch(() => cache.delete(db));
  return data;
}

export function invalidateRules(db: DbOrTx): void {
  cache.delete(db);
}

/**
 * True when every team, category and person the rules name is in the snapshot. Deadline policies
 * are not checked: a rule naming a deleted one skips it (see effects in apply.ts) instead of
 * reloading on every case.
 */
export function referencesKnown(s: RuleSnapshot, categoryId: number | null): boolean {
  if (categoryId !== null && !s.categoriesById.has(categoryId)) return false;
  for (const rule of s.rules) {
    for (const a of rule.actions) {
      if ((a.kind === 'setTeam' && !s.teamsBySlug.has(a.value)) || (a.kind === 'notifyTeam' && !s.teamsBySlug.has(a.team))) return false;
      if (a.kind === 'setCategory' && !s.categoriesBySlug.has(a.value)) return false;
      if (a.kind === 'assign' && !s.usersByEmail.has(a.user)) return false;
    }
  }
  return true;
}
