import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../../infra/db.ts';
import { officeHours, slaPolicies, teamLeads, teamMembers, teams, users } from '../../infra/schema/index.ts';

export async function listPolicies(db: DbOrTx) {
  return db
    .select({
      id: slaPolicies.id,
      name: slaPolicies.name,
      teamId: slaPolicies.teamId,
      teamName: teams.name,
      caseType: slaPolicies.caseType,
      priority: slaPolicies.priority,
      responseMinutes: slaPolicies.responseMinutes,
      resolutionMinutes: slaPolicies.resolutionMinutes,
      warnPercent: slaPolicies.warnPercent,
      overridesTeam: slaPolicies.overridesTeam,
      targetUnit: slaPolicies.targetUnit,
    })
    .from(slaPolicies)
    .leftJoin(teams, eq(teams.id, slaPolicies.teamId))
    .orderBy(asc(teams.name), asc(slaPolicies.caseType), asc(slaPolicies.priority), asc(slaPolicies.id));
}
export type PolicyRow = Awaited<ReturnType<typeof listPolicies>>[number];

export async function findPolicy(db: DbOrTx, id: number): Promise<PolicyRow | null> {
  const rows = await listPolicies(db);
  return rows.find((p) => p.id === id) ?? null;
}

export async function policyWithScope(db: DbOrTx, scope: { teamId: number | null; caseType: string | null; priority: string | null }) {
  const eqOrNull = <C extends typeof slaPolicies.teamId | typeof slaPolicies.caseType | typeof slaPolicies.priority>(
    column: C,
    value: number | string | null,
  ) => (value === null ? isNull(column) : eq(column, value as never));
  const [row] = await db
    .select({ id: slaPolicies.id, name: slaPolicies.name })
    .from(slaPolicies)
    .where(
      and(
        eqOrNull(slaPolicies.teamId, scope.teamId),
        eqOrNull(slaPolicies.caseType, scope.caseType),
        eqOrNull(slaPolicies.priority, scope.priority),
      ),
    );
  return row ?? null;
}

export async function teamsForSla(db: DbOrTx) {
  return db.select({ id: teams.id, name: teams.name }).from(teams).orderBy(asc(teams.name));
}

export async function allOfficeHours(db: DbOrTx) {
  return db.select({ teamId: officeHours.teamId, week: officeHours.week, closedDays: officeHours.closedDays }).from(officeHours);
}

/** Leads of every team, for the overview. */
export async function allLeads(db: DbOrTx) {
  return db
    .select({ teamId: teamLeads.teamId, userId: users.id, name: users.displayName })
    .from(teamLeads)
    .innerJoin(users, eq(users.id, teamLeads.userId))
    .orderBy(asc(users.displayName));
}

/** Who can be a team's lead: its active members, and whoever is lead already (so a choice never vanishes). */
export async function leadChoices(db: DbOrTx, teamId: number) {
  const members = await db
    .select({ id: users.id, name: users.displayName, email: users.email })
    .from(teamMembers)
    .innerJoin(users, eq(users.id, teamMembers.userId))
    .where(and(eq(teamMembers.teamId, teamId), eq(users.active, true)));
  const leads = await db.select({ userId: teamLeads.userId }).from(teamLeads).where(eq(teamLeads.teamId, teamId));
  const leadIds = new Set(leads.map((l) => l.userId));
  const missing = [...leadIds].filter((id) => !members.some((m) => m.id === id));
  const extra = missing.length
    ? await db.select({ id: users.id, name: users.displayName, email: users.email }).from(users).where(inArray(users.id, missing))
    : [];
  return [...members, ...extra].sort((a, b) => a.name.localeCompare(b.name, 'de')).map((u) => ({ ...u, lead: leadIds.has(u.id) }));
}
