import { and, eq, isNotNull, isNull, lte, or, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../infra/db.ts';
import { caseSlas, cases, teamLeads, teams, users } from '../../infra/schema/index.ts';
import { runningStatuses } from './case-clock.ts';

export type CaseSlaRow = typeof caseSlas.$inferSelect;
/** A case's clock before it has a case id (intake stores both in one statement). */
export type NewCaseSla = Omit<typeof caseSlas.$inferInsert, 'caseId'> & Pick<CaseSlaRow, 'responseDueAt' | 'resolutionDueAt'>;

export async function lockCaseSla(tx: Tx, caseId: number): Promise<CaseSlaRow | null> {
  const [row] = await tx.select().from(caseSlas).where(eq(caseSlas.caseId, caseId)).for('update');
  return row ?? null;
}

export async function findCaseSla(db: DbOrTx, caseId: number): Promise<CaseSlaRow | null> {
  const [row] = await db.select().from(caseSlas).where(eq(caseSlas.caseId, caseId));
  return row ?? null;
}

export async function insertCaseSla(tx: Tx, caseId: number, row: NewCaseSla): Promise<void> {
  await tx.insert(caseSlas).values({ ...row, caseId });
}

export async function updateCaseSla(tx: Tx, row: CaseSlaRow): Promise<void> {
  const { caseId, ...rest } = row;
  await tx.update(caseSlas).set(rest).where(eq(caseSlas.caseId, caseId));
}

export async function caseSubject(db: DbOrTx, caseId: number) {
  const [row] = await db
    .select({ teamId: cases.teamId, type: cases.type, priority: cases.priority, status: cases.status, createdAt: cases.createdAt })
    .from(cases)
    .where(eq(cases.id, caseId));
  return row ?? null;
}

const ts = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/**
 * The clock as a data-modifying CTE on intake's `new_case`, so a new report and its deadlines
 * are one statement (see intake/queries.ts insertNewCase).
 */
export function caseSlaInsertCte(s: NewCaseSla): SQL {
  return sql`clock as (
      insert into case_slas (case_id, policy_id, policy_name, started_at, response_minutes, resolution_minutes, warn_percent,
                             response_due_at, resolution_due_at, due_kind, due_at, warn_at, updated_at)
      select id, ${s.policyId ?? null}::int, ${s.policyName}::text, ${ts(s.startedAt)}::timestamptz, ${s.responseMinutes}::int,
             ${s.resolutionMinutes}::int, ${s.warnPercent ?? 80}::int, ${ts(s.responseDueAt)}::timestamptz,
             ${ts(s.resolutionDueAt)}::timestamptz, ${s.dueKind ?? null}::text, ${ts(s.dueAt)}::timestamptz,
             ${ts(s.warnAt)}::timestamptz, ${ts(s.startedAt)}::timestamptz
        from new_case
    )`;
}

/**
 * Clocks with something to do at `now`: a warning or a deadline reached and not yet acted on, on
 * a case whose clock runs. The sweep job hands these to the same check as the timed jobs.
 */
export async function clocksNeedingAction(db: DbOrTx, now: Date, limit: number): Promise<number[]> {
  const running = sql`${cases.status} in (${sql.join(
    runningStatuses.map((s) => sql`${s}`),
    sql`, `,
  )})`;
  const rows = await db
    .select({ caseId: caseSlas.caseId })
    .from(caseSlas)
    .innerJoin(cases, eq(cases.id, caseSlas.caseId))
    .where(
      and(
        isNull(caseSlas.pausedSince),
        running,
        or(
          and(isNotNull(caseSlas.warnAt), lte(caseSlas.warnAt, now), isNull(caseSlas.responseWarnedAt), eq(caseSlas.dueKind, 'response')),
          and(
            isNotNull(caseSlas.warnAt),
            lte(caseSlas.warnAt, now),
            isNull(caseSlas.resolutionWarnedAt),
            eq(caseSlas.dueKind, 'resolution'),
          ),
          and(isNull(caseSlas.firstResponseAt), lte(caseSlas.responseDueAt, now), isNull(caseSlas.responseEscalatedAt)),
          and(lte(caseSlas.resolutionDueAt, now), isNull(caseSlas.resolutionEscalatedAt)),
        ),
      ),
    )
    .orderBy(caseSlas.caseId)
    .limit(limit);
  return rows.map((r) => r.caseId);
}

/** Who hears about a breach: the team's leads with an active account, else the team's own address. */
export async function escalationRecipients(db: DbOrTx, teamId: number | null): Promise<{ name: string | null; email: string }[]> {
  if (teamId === null) return [];
  const leads = await db
    .select({ name: users.displayName, email: users.email })
    .from(teamLeads)
    .innerJoin(users, eq(users.id, teamLeads.userId))
    .where(and(eq(teamLeads.teamId, teamId), eq(users.active, true)))
    .orderBy(users.displayName);
  if (leads.length > 0) return leads;
  return teamAddress(db, teamId);
}

/** Who hears about a deadline coming close: the person working on it, else the team's address, else its leads. */
export async function warningRecipients(
  db: DbOrTx,
  c: { assigneeId: number | null; teamId: number | null },
): Promise<{ name: string | null; email: string }[]> {
  if (c.assigneeId !== null) {
    const [u] = await db
      .select({ name: users.displayName, email: users.email })
      .from(users)
      .where(and(eq(users.id, c.assigneeId), eq(users.active, true)));
    if (u) return [u];
  }
  if (c.teamId === null) return [];
  const team = await teamAddress(db, c.teamId);
  return team.length > 0 ? team : escalationRecipients(db, c.teamId);
}

async function teamAddress(db: DbOrTx, teamId: number): Promise<{ name: string | null; email: string }[]> {
  const [team] = await db.select({ name: teams.name, email: teams.email }).from(teams).where(eq(teams.id, teamId));
  return team?.email ? [{ name: team.name, email: team.email }] : [];
}
