import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../infra/db.ts';
import { executeNamed } from '../../infra/named-query.ts';
import { lookupReference } from '../cases/reference-data.ts';

/**
 * Round-robin for a team that turned it on: the next active member after the one who got the last
 * case (by user id, wrapping around); null when the team does not use it or has nobody active.
 *
 * One UPDATE moves the pointer and returns it, so it is atomic without a transaction (intake
 * stores most reports in a single statement): a second report arriving at the same moment waits
 * for the row lock and PostgreSQL re-evaluates the subquery against the moved pointer, so two
 * reports never go to the same person by accident. Intake calls it only for teams whose reference
 * data says round-robin is on (`TeamRef.roundRobin`); the `s.round_robin` condition stays, so a
 * team that turned it off a moment ago in another process gets nothing.
 */
export async function nextRoundRobinAssignee(db: DbOrTx, teamId: number): Promise<{ id: number; name: string } | null> {
  const result = await executeNamed<{ id: number | null; name: string | null }>(
    db,
    'round_robin_next',
    sql`
    update team_settings s
       set round_robin_last_user_id = (
             select m.user_id
               from team_members m
               join users u on u.id = m.user_id and u.active
              where m.team_id = s.team_id
              order by (m.user_id <= coalesce(s.round_robin_last_user_id, 0)), m.user_id
              limit 1)
     where s.team_id = ${teamId} and s.round_robin
    returning s.round_robin_last_user_id as id,
              (select display_name from users where id = s.round_robin_last_user_id) as name`,
  );
  const [row] = result.rows;
  return row?.id != null && row.name != null ? { id: row.id, name: row.name } : null;
}

/** Whether the team works round-robin, from the reference data (no statement for the many teams that do not). */
export async function teamWorksRoundRobin(db: DbOrTx, teamId: number): Promise<boolean> {
  return (await lookupReference(db, (ref) => ref.teamsById.get(teamId)))?.roundRobin ?? false;
}
