import { asc, desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx } from '../../../infra/db.ts';
import { cases, categories, districts, routingRules, ruleTriggers, slaPolicies, teams, users } from '../../../infra/schema/index.ts';
import { listTemplates } from '../../templates/queries.ts';
import type { RuleFacts } from './engine.ts';
import { type Rule, type RuleInput, ruleInputSchema } from './schema.ts';

export interface StoredRule extends Rule {
  /**
   * False when the stored JSON no longer passes the schema (written by a newer version, or a pattern
   * the old engine took and RE2 cannot): never evaluated. It keeps its switch and triggers, so
   * intake can say that it skipped it, and the first German problem found.
   */
  valid: boolean;
  problem: string | null;
  updatedAt: Date;
}

const storedTriggers = z.array(z.enum(ruleTriggers));

const ruleColumns = {
  id: routingRules.id,
  position: routingRules.position,
  name: routingRules.name,
  enabled: routingRules.enabled,
  triggers: routingRules.triggers,
  stopProcessing: routingRules.stopProcessing,
  overridable: routingRules.overridable,
  conditions: routingRules.conditions,
  actions: routingRules.actions,
  updatedAt: routingRules.updatedAt,
};

function toRule(row: { id: number; position: number; updatedAt: Date } & Record<string, unknown>): StoredRule {
  const parsed = ruleInputSchema.safeParse(row);
  if (parsed.success) return { ...parsed.data, id: row.id, position: row.position, updatedAt: row.updatedAt, valid: true, problem: null };
  const triggers = storedTriggers.safeParse(row.triggers);
  return {
    id: row.id,
    position: row.position,
    name: String(row.name),
    enabled: row.enabled === true,
    triggers: triggers.success ? triggers.data : [],
    stopProcessing: false,
    overridable: false,
    conditions: { kind: 'all', conditions: [] },
    actions: [],
    updatedAt: row.updatedAt,
    valid: false,
    problem: parsed.error.issues[0]?.message ?? 'unbekannter Fehler',
  };
}

export async function listRules(db: DbOrTx): Promise<StoredRule[]> {
  const rows = await db.select(ruleColumns).from(routingRules).orderBy(asc(routingRules.position), asc(routingRules.id));
  return rows.map(toRule);
}

export async function findRule(db: DbOrTx, id: number): Promise<StoredRule | null> {
  const [row] = await db.select(ruleColumns).from(routingRules).where(eq(routingRules.id, id));
  return row ? toRule(row) : null;
}

const columnsOf = (input: RuleInput) => ({
  name: input.name,
  enabled: input.enabled,
  triggers: input.triggers,
  stopProcessing: input.stopProcessing,
  overridable: input.overridable,
  conditions: input.conditions,
  actions: input.actions,
});

export async function insertRule(db: DbOrTx, input: RuleInput, position: number, now: Date): Promise<number> {
  const [row] = await db
    .insert(routingRules)
    .values({ ...columnsOf(input), position, createdAt: now, updatedAt: now })
    .returning({ id: routingRules.id });
  if (!row) throw new Error('rule insert returned nothing');
  return row.id;
}

export async function updateRule(db: DbOrTx, id: number, input: RuleInput, now: Date): Promise<boolean> {
  const rows = await db
    .update(routingRules)
    .set({ ...columnsOf(input), updatedAt: now })
    .where(eq(routingRules.id, id))
    .returning({ id: routingRules.id });
  return rows.length > 0;
}

export async function setRuleFields(db: DbOrTx, id: number, fields: { enabled?: boolean; position?: number }, now: Date) {
  await db
    .update(routingRules)
    .set({ ...fields, updatedAt: now })
    .where(eq(routingRules.id, id));
}

export async function deleteRule(db: DbOrTx, id: number): Promise<boolean> {
  const rows = await db.delete(routingRules).where(eq(routingRules.id, id)).returning({ id: routingRules.id });
  return rows.length > 0;
}

export async function deleteAllRules(db: DbOrTx): Promise<void> {
  await db.delete(routingRules);
}

export async function nextPosition(db: DbOrTx): Promise<number> {
  const [row] = await db.select({ max: sql<number | null>`max(${routingRules.position})` }).from(routingRules);
  return (row?.max ?? 0) + 1;
}

/** Serialises rule writes (position moves, import) across processes; held until the transaction ends. */
export async function lockRules(db: DbOrTx): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(727313)`);
}

/** Teams, categories, districts, active staff, deadline policies and Textbausteine: what the rule form offers and what rules name. */
export async function directory(db: DbOrTx) {
  const teamRows = await db
    .select({ id: teams.id, slug: teams.slug, name: teams.name, email: teams.email })
    .from(teams)
    .orderBy(asc(teams.name));
  const categoryRows = await db
    .select({ id: categories.id, slug: categories.slug, name: categories.name, group: categories.groupName })
    .from(categories)
    .orderBy(asc(categories.groupName), asc(categories.name));
  const districtRows = await db.select({ id: districts.id, name: districts.name }).from(districts).orderBy(asc(districts.name));
  const userRows = await db
    .select({ id: users.id, email: users.email, name: users.displayName })
    .from(users)
    .where(eq(users.active, true))
    .orderBy(asc(users.displayName));
  const templateRows = (await listTemplates(db, 'all')).map((t) => ({ id: t.id, title: t.title, teamName: t.teamName }));
  const policyRows = await db.select({ id: slaPolicies.id, name: slaPolicies.name }).from(slaPolicies).orderBy(asc(slaPolicies.name));
  return {
    teams: teamRows,
    categories: categoryRows,
    districts: districtRows,
    users: userRows,
    policies: policyRows,
    templates: templateRows,
  };
}
export type Directory = Awaited<ReturnType<typeof directory>>;

/** The newest cases with what rules look at, for the dry run. */
export async function recentCases(db: Db, limit: number) {
  return db
    .select({
      id: cases.id,
      number: cases.number,
      channel: cases.channel,
      type: cases.type,
      category: categories.slug,
      team: teams.slug,
      priority: cases.priority,
      description: cases.description,
      districtId: cases.districtId,
      lat: cases.lat,
      lon: cases.lon,
      reporterEmail: cases.reporterEmail,
      createdAt: cases.createdAt,
      tags: cases.tags,
    })
    .from(cases)
    .leftJoin(categories, eq(categories.id, cases.categoryId))
    .leftJoin(teams, eq(teams.id, cases.teamId))
    .orderBy(desc(cases.createdAt), desc(cases.id))
    .limit(limit);
}

/** One case, locked, with what rules look at: for the rules run after a staff change. */
export async function caseFacts(db: DbOrTx, caseId: number) {
  const [row] = await db
    .select({
      id: cases.id,
      number: cases.number,
      channel: cases.channel,
      type: cases.type,
      category: categories.slug,
      categoryId: cases.categoryId,
      categoryName: categories.name,
      team: teams.slug,
      teamId: cases.teamId,
      priority: cases.priority,
      status: cases.status,
      description: cases.description,
      districtId: cases.districtId,
      lat: cases.lat,
      lon: cases.lon,
      reporterEmail: cases.reporterEmail,
      createdAt: cases.createdAt,
      tags: cases.tags,
      assigneeId: cases.assigneeId,
    })
    .from(cases)
    .leftJoin(categories, eq(categories.id, cases.categoryId))
    .leftJoin(teams, eq(teams.id, cases.teamId))
    .where(eq(cases.id, caseId))
    .for('update', { of: cases });
  return row ?? null;
}

/** What the rules look at, from a stored case (recentCases, caseFacts). */
export function ruleFactsOf(c: Awaited<ReturnType<typeof recentCases>>[number]): RuleFacts {
  return {
    channel: c.channel,
    type: c.type,
    category: c.category,
    team: c.team,
    priority: c.priority,
    text: c.description,
    districtId: c.districtId,
    lat: c.lat,
    lon: c.lon,
    senderEmail: c.reporterEmail,
    receivedAt: c.createdAt,
    tags: c.tags,
  };
}
