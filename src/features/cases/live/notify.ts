import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '../../../infra/db.ts';

/** The PostgreSQL channel every app process listens on (LISTEN/NOTIFY, also in PGlite). */
export const CASE_CHANNEL = 'case_changes';
/** A staff member's access changed (teams, role, deactivated, password reset): their streams end. */
export const ACCESS_CHANNEL = 'staff_access_changes';

const changeSchema = z.object({
  caseId: z.number().int().positive(),
  actorUserId: z.number().int().positive().nullable(),
  actorLabel: z.string().max(200),
  created: z.boolean(),
  /** Set on the extra notice of a team change: the team the case left, whose inboxes should hear too. */
  movedFromTeamId: z.number().int().positive().nullable().optional(),
});
export type CaseChange = z.infer<typeof changeSchema>;

/**
 * Tells every app process that a case changed. Called inside the transaction of the change, so
 * the notice leaves at commit and never for a change that was rolled back. PostgreSQL sends
 * identical payloads of one transaction once, so several audit steps make one notice.
 */
export async function publishCaseChange(db: DbOrTx, change: CaseChange): Promise<void> {
  await db.execute(sql`select pg_notify(${CASE_CHANNEL}, ${JSON.stringify(change)})`);
}

/** A notice as received; null for anything malformed (another version, a stray NOTIFY). */
export function parseCaseChange(payload: string): CaseChange | null {
  try {
    const parsed = changeSchema.safeParse(JSON.parse(payload));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * Tells every app process that what a user may see changed. Their open live streams close, the
 * browser reconnects (EventSource does) and the new stream is checked against the new session and
 * teams: a removed team member or a deactivated account stops hearing at once, not after 15 minutes.
 * Inside the change's transaction, so it leaves at commit.
 */
export async function publishAccessChange(db: DbOrTx, userId: number): Promise<void> {
  await db.execute(sql`select pg_notify(${ACCESS_CHANNEL}, ${String(userId)})`);
}

/** The user id of an access notice; null for anything else. */
export function parseAccessChange(payload: string): number | null {
  return /^[1-9]\d{0,9}$/.test(payload) ? Number(payload) : null;
}
