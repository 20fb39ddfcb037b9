import { and, count, eq, gte, inArray, sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Clock } from '../../../infra/clock.ts';
import type { DbOrTx } from '../../../infra/db.ts';
import { emit } from '../../../infra/events.ts';
import { channelAccounts, messages } from '../../../infra/schema/index.ts';
import { cursorFrom, type SkippedMessage } from './imap-cursor.ts';

/** After this many failed rounds in a row an account is "gestört" for the admin banner and the warning mail. */
export const WARN_AFTER_FAILURES = 3;

/** A round finished: the status shows the contact; `notice` (a skipped message) stays readable as the last error until the next round. */
export async function recordRoundSuccess(db: DbOrTx, clock: Clock, accountId: number, notice?: string): Promise<void> {
  const now = clock.now();
  await db
    .update(channelAccounts)
    .set({ lastSuccessAt: now, lastError: notice ?? null, lastErrorAt: notice ? now : null, consecutiveFailures: 0 })
    .where(eq(channelAccounts.id, accountId));
}

export async function recordRoundFailure(db: DbOrTx, clock: Clock, accountId: number, error: string): Promise<void> {
  const [row] = await db
    .update(channelAccounts)
    .set({ lastError: error, lastErrorAt: clock.now(), consecutiveFailures: sql`${channelAccounts.consecutiveFailures} + 1` })
    .where(eq(channelAccounts.id, accountId))
    .returning({ name: channelAccounts.name, failures: channelAccounts.consecutiveFailures });
  // Exactly at the threshold: one outage, one warning (the count only resets after a success).
  if (row?.failures === WARN_AFTER_FAILURES) await emit(db, 'channel.failing', { accountId, name: row.name, error });
}

export interface AccountNeedingWarning {
  id: number;
  name: string;
  lastError: string | null;
  lastErrorAt: Date | null;
  consecutiveFailures: number;
}

/**
 * Enabled e-mail accounts whose last WARN_AFTER_FAILURES rounds (or more) failed. The admin banner
 * reads it on every admin page; the warning mail to admins should call it after each failed round
 * and mail when an account has just reached the threshold (`consecutiveFailures === WARN_AFTER_FAILURES`),
 * so one outage sends one mail. A successful round resets the count, and the account leaves the list.
 */
export async function accountsNeedingWarning(db: DbOrTx): Promise<AccountNeedingWarning[]> {
  return db
    .select({
      id: channelAccounts.id,
      name: channelAccounts.name,
      lastError: channelAccounts.lastError,
      lastErrorAt: channelAccounts.lastErrorAt,
      consecutiveFailures: channelAccounts.consecutiveFailures,
    })
    .from(channelAccounts)
    .where(
      and(
        eq(channelAccounts.enabled, true),
        eq(channelAccounts.kind, 'email'),
        gte(channelAccounts.consecutiveFailures, WARN_AFTER_FAILURES),
      ),
    )
    .orderBy(channelAccounts.name);
}

export interface IntakeFigures {
  /** Inbound messages of this account since local midnight (Europe/Berlin). */
  today: number;
  /** Messages the last round saw on the server and had not yet taken in. */
  backlog: number;
  skipped: SkippedMessage[];
}

export const startOfBerlinDay = (now: Date): Date => DateTime.fromJSDate(now).setZone('Europe/Berlin').startOf('day').toJSDate();

/** The intake figures of the admin page, for all listed accounts in two queries. */
export async function intakeFigures(db: DbOrTx, clock: Clock, accountIds: number[]): Promise<Map<number, IntakeFigures>> {
  const figures = new Map<number, IntakeFigures>();
  if (accountIds.length === 0) return figures;
  const cursors = await db
    .select({ id: channelAccounts.id, cursor: channelAccounts.cursor })
    .from(channelAccounts)
    .where(inArray(channelAccounts.id, accountIds));
  for (const row of cursors) {
    const cursor = cursorFrom(row.cursor);
    figures.set(row.id, { today: 0, backlog: cursor?.backlog ?? 0, skipped: cursor?.skipped ?? [] });
  }
  const counts = await db
    .select({ id: messages.channelAccountId, n: count() })
    .from(messages)
    .where(
      and(
        inArray(messages.channelAccountId, accountIds),
        eq(messages.kind, 'inbound'),
        gte(messages.createdAt, startOfBerlinDay(clock.now())),
      ),
    )
    .groupBy(messages.channelAccountId);
  for (const row of counts) {
    const f = row.id === null ? undefined : figures.get(row.id);
    if (f) f.today = row.n;
  }
  return figures;
}
