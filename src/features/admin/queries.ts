import { and, asc, count, eq, inArray, ne, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../infra/db.ts';
import { type FollowupAfterClose, sessions, teamMembers, teams, users } from '../../infra/schema/index.ts';
import { throttledUntilOf } from '../auth/throttle-queries.ts';

export interface UserRow {
  id: number;
  email: string;
  displayName: string;
  role: 'admin' | 'staff';
  active: boolean;
  lastLoginAt: Date | null;
  /** End of the latest sign-in delay on this account's counters (throttle-policy.ts), if any. */
  throttledUntil: Date | null;
  teams: { id: number; slug: string; name: string }[];
}

const userColumns = {
  id: users.id,
  email: users.email,
  displayName: users.displayName,
  role: users.role,
  active: users.active,
  lastLoginAt: users.lastLoginAt,
  throttledUntil: throttledUntilOf(users.id),
};

async function withTeams(db: DbOrTx, rows: Omit<UserRow, 'teams'>[]): Promise<UserRow[]> {
  if (rows.length === 0) return [];
  const memberships = await db
    .select({ userId: teamMembers.userId, id: teams.id, slug: teams.slug, name: teams.name })
    .from(teamMembers)
    .innerJoin(teams, eq(teams.id, teamMembers.teamId))
    .where(
      inArray(
        teamMembers.userId,
        rows.map((r) => r.id),
      ),
    )
    .orderBy(asc(teams.name));
  return rows.map((r) => ({
    ...r,
    teams: memberships.filter((m) => m.userId === r.id).map(({ id, slug, name }) => ({ id, slug, name })),
  }));
}

export async function listUsers(db: DbOrTx): Promise<UserRow[]> {
  const rows = await db
    .select(userColumns)
    .from(users)
    .orderBy(asc(sql`lower(${users.displayName})`), asc(users.id));
  return withTeams(db, rows);
}

export async function findUser(db: DbOrTx, id: number): Promise<UserRow | null> {
  const rows = await db.select(userColumns).from(users).where(eq(users.id, id));
  return (await withTeams(db, rows))[0] ?? null;
}

export async function findUserIdByEmail(db: DbOrTx, email: string): Promise<number | null> {
  const [row] = await db.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = ${email.trim().toLowerCase()}`);
  return row?.id ?? null;
}

export async function countActiveAdmins(db: DbOrTx): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(users)
    .where(and(eq(users.role, 'admin'), eq(users.active, true)));
  return row?.n ?? 0;
}

export async function setUserTeams(db: DbOrTx, userId: number, teamIds: number[]): Promise<void> {
  await db.delete(teamMembers).where(eq(teamMembers.userId, userId));
  if (teamIds.length > 0) await db.insert(teamMembers).values(teamIds.map((teamId) => ({ userId, teamId })));
}

/** Ends a user's sessions, except optionally the one making the change (an admin changing their own password). */
export async function deleteSessions(db: DbOrTx, userId: number, keepSessionId?: string): Promise<void> {
  await db
    .delete(sessions)
    .where(keepSessionId ? and(eq(sessions.userId, userId), ne(sessions.id, keepSessionId)) : eq(sessions.userId, userId));
}

export interface TeamRow {
  id: number;
  slug: string;
  name: string;
  email: string | null;
  followupAfterClose: FollowupAfterClose;
  members: number;
}

const teamsWithMembers = (db: DbOrTx) =>
  db
    .select({
      id: teams.id,
      slug: teams.slug,
      name: teams.name,
      email: teams.email,
      followupAfterClose: teams.followupAfterClose,
      members: count(teamMembers.userId),
    })
    .from(teams)
    .leftJoin(teamMembers, eq(teamMembers.teamId, teams.id))
    .groupBy(teams.id)
    .$dynamic();

export async function listTeams(db: DbOrTx): Promise<TeamRow[]> {
  return teamsWithMembers(db).orderBy(asc(teams.name));
}

export async function findTeam(db: DbOrTx, id: number): Promise<TeamRow | null> {
  const [row] = await teamsWithMembers(db).where(eq(teams.id, id));
  return row ?? null;
}

export async function teamsBySlug(db: DbOrTx, slugs: string[]): Promise<{ id: number; slug: string }[]> {
  if (slugs.length === 0) return [];
  return db.select({ id: teams.id, slug: teams.slug }).from(teams).where(inArray(teams.slug, slugs));
}

export async function allTeamSlugs(db: DbOrTx): Promise<string[]> {
  const rows = await db.select({ slug: teams.slug }).from(teams).orderBy(asc(teams.slug));
  return rows.map((r) => r.slug);
}

export async function adminCounts(db: DbOrTx): Promise<{ users: number; activeUsers: number; teams: number }> {
  const [u] = await db.select({ all: count(), active: count(sql`case when ${users.active} then 1 end`) }).from(users);
  const [t] = await db.select({ n: count() }).from(teams);
  return { users: u?.all ?? 0, activeUsers: u?.active ?? 0, teams: t?.n ?? 0 };
}
