import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '../../../infra/db.ts';
import { channelAccounts } from '../../../infra/schema/index.ts';

/**
 * Where the IMAP intake of one account stands, kept in `channel_accounts.cursor.imap`:
 * - `uidValidity` (a bigint, as a string) and `lastUid`: every UID up to it has been taken in,
 *   is waiting in `retries`, or was given up (`skipped`); the next round asks for UIDs above it.
 * - `retries`: messages the handler failed on, with their count and when to try next.
 * - `skipped`: the last messages given up (too many failures, too large), for the admin page.
 * - `backlog`: how many messages the last round saw on the server and had not yet taken in.
 */
export const MAX_SKIPPED_SHOWN = 20;

const retrySchema = z.object({ failures: z.number().int().min(1), nextAt: z.string() });
export const skipReasons = ['failures', 'too-large'] as const;
const skippedSchema = z.object({ uid: z.number().int(), reason: z.enum(skipReasons), at: z.string() });

export const imapCursorSchema = z.object({
  uidValidity: z.string().regex(/^\d+$/),
  lastUid: z.number().int().min(0),
  retries: z.record(z.string().regex(/^\d+$/), retrySchema).default({}),
  skipped: z.array(skippedSchema).default([]),
  backlog: z.number().int().min(0).default(0),
});
export type ImapCursor = z.infer<typeof imapCursorSchema>;
export type SkippedMessage = z.infer<typeof skippedSchema>;

export const freshCursor = (uidValidity: bigint): ImapCursor => ({
  uidValidity: uidValidity.toString(),
  lastUid: 0,
  retries: {},
  skipped: [],
  backlog: 0,
});

/** A cursor that does not parse (hand-edited, older shape) counts as none: the box is read again, the handler drops doubles. */
export function cursorFrom(raw: unknown): ImapCursor | null {
  const parsed = imapCursorSchema.safeParse((raw as { imap?: unknown } | null)?.imap);
  return parsed.success ? parsed.data : null;
}

export async function loadCursor(db: DbOrTx, accountId: number): Promise<ImapCursor | null> {
  const [row] = await db.select({ cursor: channelAccounts.cursor }).from(channelAccounts).where(eq(channelAccounts.id, accountId));
  return row ? cursorFrom(row.cursor) : null;
}

/** Replaces only the `imap` key: other kinds of intake may keep their own place beside it. */
export async function saveCursor(db: DbOrTx, accountId: number, cursor: ImapCursor): Promise<void> {
  await db
    .update(channelAccounts)
    .set({ cursor: sql`${channelAccounts.cursor} || ${JSON.stringify({ imap: cursor })}::jsonb` })
    .where(eq(channelAccounts.id, accountId));
}

/** Back-off for a message the handler failed on: 1, 2, 4 … minutes, at most an hour. */
export const retryDelayMs = (failures: number) => Math.min(60_000 * 2 ** (failures - 1), 3_600_000);

/** Records one failure; says whether the message is now given up. */
export function recordFailure(cursor: ImapCursor, uid: number, now: Date, maxFailures: number): 'retry' | 'skipped' {
  const failures = (cursor.retries[String(uid)]?.failures ?? 0) + 1;
  if (failures >= maxFailures) {
    delete cursor.retries[String(uid)];
    addSkipped(cursor, { uid, reason: 'failures', at: now.toISOString() });
    return 'skipped';
  }
  cursor.retries[String(uid)] = { failures, nextAt: new Date(now.getTime() + retryDelayMs(failures)).toISOString() };
  return 'retry';
}

export function addSkipped(cursor: ImapCursor, entry: SkippedMessage): void {
  cursor.skipped = [...cursor.skipped.filter((s) => s.uid !== entry.uid), entry].slice(-MAX_SKIPPED_SHOWN);
}

/** The UIDs waiting for another try whose time has come (all of them when an admin asks to fetch now). */
export function dueRetries(cursor: ImapCursor, now: Date, ignoreBackoff: boolean): number[] {
  return Object.entries(cursor.retries)
    .filter(([, r]) => ignoreBackoff || Date.parse(r.nextAt) <= now.getTime())
    .map(([uid]) => Number(uid))
    .sort((a, b) => a - b);
}
