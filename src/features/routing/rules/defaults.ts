import { asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../../infra/db.ts';
import { categories, routingRules, teams } from '../../../infra/schema/index.ts';
import { invalidateRules } from './cache.ts';
import { insertRule } from './queries.ts';
import type { RuleInput } from './schema.ts';

const COORDINATING_TEAMS = new Set(['leitstelle', 'innovationsmanagement']);

/**
 * The seed's promise as rules: "Störungen werden von der Leitstelle beantwortet, Vorschläge vom
 * Innovationsmanagement." Per field the first matching rule wins, so order matters:
 * 1. ideas first and final: a suggestion about a street is still a suggestion for Innovationsmanagement;
 * 2. Störung → Leitstelle; Beschwerde → Leitstelle with priority high (it already annoys someone),
 *    both with "weiter auswerten": the Leitstelle is the fallback, a Fachamt's category comes later;
 * 3. one rule per Fachamt: its categories go to it, so a reported pothole lands where the shovels are.
 * Teams and categories are read from the database, so this fits any town with these team slugs.
 */
export async function defaultRules(db: DbOrTx): Promise<RuleInput[]> {
  const teamRows = await db.select({ id: teams.id, slug: teams.slug, name: teams.name }).from(teams).orderBy(asc(teams.name));
  const slugs = new Set(teamRows.map((t) => t.slug));
  const rules: RuleInput[] = [];
  const base = { enabled: true, triggers: ['created' as const], stopProcessing: false, overridable: false };
  if (slugs.has('innovationsmanagement')) {
    rules.push({
      ...base,
      stopProcessing: true,
      name: 'Ideen und Vorschläge ans Innovationsmanagement',
      conditions: { kind: 'all', conditions: [{ kind: 'type', in: ['idea'] }] },
      actions: [{ kind: 'setTeam', value: 'innovationsmanagement' }],
    });
  }
  if (slugs.has('leitstelle')) {
    rules.push({
      ...base,
      overridable: true,
      name: 'Störungen an die Leitstelle',
      conditions: { kind: 'all', conditions: [{ kind: 'type', in: ['defect'] }] },
      actions: [{ kind: 'setTeam', value: 'leitstelle' }],
    });
    rules.push({
      ...base,
      overridable: true,
      name: 'Beschwerden an die Leitstelle, mit Vorrang',
      conditions: { kind: 'all', conditions: [{ kind: 'type', in: ['complaint'] }] },
      actions: [
        { kind: 'setTeam', value: 'leitstelle' },
        { kind: 'setPriority', value: 'high' },
      ],
    });
  }
  for (const team of teamRows) {
    if (COORDINATING_TEAMS.has(team.slug)) continue;
    const own = await db
      .select({ slug: categories.slug, group: categories.groupName })
      .from(categories)
      .where(eq(categories.defaultTeamId, team.id))
      .orderBy(asc(categories.name));
    if (own.length === 0) continue;
    rules.push({
      ...base,
      name: `${[...new Set(own.map((c) => c.group))].join(', ')} → ${team.name}`,
      conditions: { kind: 'all', conditions: [{ kind: 'category', in: own.map((c) => c.slug) }] },
      actions: [{ kind: 'setTeam', value: team.slug }],
    });
  }
  return rules;
}

/** Inserts the default rules when the town has none yet; returns how many were added. */
export async function seedDefaultRules(db: DbOrTx, now: Date): Promise<number> {
  const existing = await db.select({ id: routingRules.id }).from(routingRules).limit(1);
  if (existing.length > 0) return 0;
  const rules = await defaultRules(db);
  for (const [i, rule] of rules.entries()) await insertRule(db, rule, i + 1, now);
  invalidateRules(db);
  return rules.length;
}
