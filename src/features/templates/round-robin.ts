import { and, asc, eq } from 'drizzle-orm';
import type { Tx } from '../../infra/db.ts';
import { teamMembers, teamSettings, users } from '../../infra/schema/index.ts';

/**
 * Round-robin for a team that turned it on: the next active member after the one who got the last
 * case (by user id, wrapping around), or null when the team does not use it or has nobody active.
 * The settings row is locked, so two cases arriving at once go to two different people.
 */
export async function nextRoundRobinAssignee(tx: Tx, teamId: number): Promise<number | null> {
  const [settings] = await tx.select().from(teamSettings).where(eq(teamSettings.teamId, teamId)).for('update');
  if (!settings?.roundRobin) return null;
  const members = await tx
    .select({ id: users.id })
    .from(teamMembers)
    .innerJoin(users, eq(users.id, teamMembers.userId))
    .where(and(eq(teamMembers.teamId, teamId), eq(users.active, true)))
    .orderBy(asc(users.id));
  const last = settings.roundRobinLastUserId ?? 0;
  const next = members.find((m) => m.id > last) ?? members[0];
  if (!next) return null;
  await tx.update(teamSettings).set({ roundRobinLastUserId: next.id }).where(eq(teamSettings.teamId, teamId));
  return next.id;
}
