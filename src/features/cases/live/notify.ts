import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '../../../infra/db.ts';

/** The PostgreSQL channel every app process listens on (LISTEN/NOTIFY, also in PGlite). */
export const CASE_CHANNEL = 'case_changes';

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
