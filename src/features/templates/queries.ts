import { and, asc, eq, inArray, isNull, or, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../infra/db.ts';
import { caseSlas, replyTemplates, teamSettings, teams } from '../../infra/schema/index.ts';

export interface TemplateRow {
  id: number;
  teamId: number | null;
  teamName: string | null;
  title: string;
  body: string;
  updatedAt: Date;
}

const columns = {
  id: replyTemplates.id,
  teamId: replyTemplates.teamId,
  teamName: teams.name,
  title: replyTemplates.title,
  body: replyTemplates.body,
  updatedAt: replyTemplates.updatedAt,
};

/** Templates for everyone plus those of the given teams ('all': every template). */
export async function listTemplates(db: DbOrTx, teamIds: number[] | 'all'): Promise<TemplateRow[]> {
  const where: SQL | undefined =
    teamIds === 'all'
      ? undefined
      : teamIds.length === 0
        ? isNull(replyTemplates.teamId)
        : or(isNull(replyTemplates.teamId), inArray(replyTemplates.teamId, teamIds));
  return db
    .select(columns)
    .from(replyTemplates)
    .leftJoin(teams, eq(teams.id, replyTemplates.teamId))
    .where(where)
    .orderBy(sql`${teams.name} asc nulls first`, asc(replyTemplates.title), asc(replyTemplates.id));
}

export async function findTemplate(db: DbOrTx, id: number): Promise<TemplateRow | null> {
  const [row] = await db
    .select(columns)
    .from(replyTemplates)
    .leftJoin(teams, eq(teams.id, replyTemplates.teamId))
    .where(eq(replyTemplates.id, id));
  return row ?? null;
}

/** Another template with this title in the same scope (team or global), ignoring case. */
export async function titleTaken(db: DbOrTx, teamId: number | null, title: string, exceptId?: number): Promise<boolean> {
  const conds = [
    sql`lower(${replyTemplates.title}) = ${title.toLowerCase()}`,
    teamId === null ? isNull(replyTemplates.teamId) : eq(replyTemplates.teamId, teamId),
  ];
  if (exceptId !== undefined) conds.push(sql`${replyTemplates.id} <> ${exceptId}`);
  const rows = await db
    .select({ id: replyTemplates.id })
    .from(replyTemplates)
    .where(and(...conds))
    .limit(1);
  return rows.length > 0;
}

export async function settingsOf(db: DbOrTx, teamId: number) {
  const [row] = await db.select().from(teamSettings).where(eq(teamSettings.teamId, teamId));
  return { signature: row?.signature ?? null, roundRobin: row?.roundRobin ?? false };
}

export async function teamsByIds(db: DbOrTx, ids: number[] | 'all') {
  if (ids !== 'all' && ids.length === 0) return [];
  const base = db.select({ id: teams.id, name: teams.name }).from(teams);
  return (ids === 'all' ? base : base.where(inArray(teams.id, ids))).orderBy(asc(teams.name));
}

/** The resolution deadline of the case's SLA clock, if one runs: {{frist}} in a template. */
export async function resolutionDueAt(db: DbOrTx, caseId: number): Promise<Date | null> {
  const [row] = await db.select({ due: caseSlas.resolutionDueAt }).from(caseSlas).where(eq(caseSlas.caseId, caseId));
  return row?.due ?? null;
}
