import { and, desc, eq, gt, isNotNull, isNull, lt, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../infra/db.ts';
import { loginThrottles, type ThrottleScope, users } from '../../infra/schema/index.ts';
import type { ThrottleKeys } from './throttle-keys.ts';
import { delayAfter, NOTIFY_INTERVAL_MS } from './throttle-policy.ts';

const scopes = ['pair', 'account', 'address'] as const satisfies ThrottleScope[];

const keyMatch = (keys: ThrottleKeys, only: readonly ThrottleScope[] = scopes) =>
  or(...only.map((scope) => and(eq(loginThrottles.scope, scope), eq(loginThrottles.keyHash, keys[scope]))));

/** The delays running now for these keys, one per counter that has one. */
export async function activeBlocks(db: DbOrTx, keys: ThrottleKeys, now: Date): Promise<{ scope: ThrottleScope; until: Date }[]> {
  const rows = await db
    .select({ scope: loginThrottles.scope, until: loginThrottles.blockedUntil })
    .from(loginThrottles)
    .where(and(keyMatch(keys), gt(loginThrottles.blockedUntil, now)));
  return rows.flatMap((r) => (r.until ? [{ scope: r.scope, until: r.until }] : []));
}

export interface CountedFailure {
  scope: ThrottleScope;
  failures: number;
  blockedUntil: Date | null;
}

/**
 * Counts one failure on all three counters in one statement (parallel guesses cannot skip a count),
 * then starts each counter's delay. A delay only ever grows, even if two failures race.
 */
export async function countFailure(db: DbOrTx, keys: ThrottleKeys, userId: number | null, now: Date): Promise<CountedFailure[]> {
  const counted = await db
    .insert(loginThrottles)
    .values(
      scopes.map((scope) => ({
        scope,
        keyHash: keys[scope],
        userId: scope === 'address' ? null : userId,
        failures: 1,
        firstFailureAt: now,
        lastFailureAt: now,
      })),
    )
    .onConflictDoUpdate({
      target: [loginThrottles.scope, loginThrottles.keyHash],
      set: {
        failures: sql`${loginThrottles.failures} + 1`,
        lastFailureAt: now,
        userId: sql`excluded.user_id`,
      },
    })
    .returning({ id: loginThrottles.id, scope: loginThrottles.scope, failures: loginThrottles.failures });
  const result: CountedFailure[] = [];
  for (const row of counted) {
    const seconds = delayAfter(row.scope, row.failures);
    if (seconds === 0) {
      result.push({ scope: row.scope, failures: row.failures, blockedUntil: null });
      continue;
    }
    const until = new Date(now.getTime() + seconds * 1000);
    const [updated] = await db
      .update(loginThrottles)
      .set({ blockedUntil: sql`greatest(${loginThrottles.blockedUntil}, ${until.toISOString()}::timestamptz)` })
      .where(eq(loginThrottles.id, row.id))
      .returning({ blockedUntil: loginThrottles.blockedUntil });
    result.push({ scope: row.scope, failures: row.failures, blockedUntil: updated?.blockedUntil ?? until });
  }
  return result;
}

/** A successful sign-in forgets the pair's and the account's failures (the address keeps its own). */
export async function clearAfterSuccess(db: DbOrTx, keys: ThrottleKeys): Promise<void> {
  await db.delete(loginThrottles).where(keyMatch(keys, ['pair', 'account']));
}

/**
 * Claims the right to tell the holder about failures: at most once per NOTIFY_INTERVAL_MS for an
 * account counter. Returns the figures for the mail, or null when someone was told recently.
 */
export async function claimNotice(
  db: DbOrTx,
  keys: ThrottleKeys,
  now: Date,
): Promise<{ failures: number; firstFailureAt: Date; lastFailureAt: Date } | null> {
  const [row] = await db
    .update(loginThrottles)
    .set({ notifiedAt: now })
    .where(
      and(
        keyMatch(keys, ['account']),
        or(isNull(loginThrottles.notifiedAt), lt(loginThrottles.notifiedAt, new Date(now.getTime() - NOTIFY_INTERVAL_MS))),
      ),
    )
    .returning({
      failures: loginThrottles.failures,
      firstFailureAt: loginThrottles.firstFailureAt,
      lastFailureAt: loginThrottles.lastFailureAt,
    });
  return row ?? null;
}

export interface ThrottleRow {
  id: number;
  scope: ThrottleScope;
  userId: number | null;
  displayName: string | null;
  failures: number;
  firstFailureAt: Date;
  lastFailureAt: Date;
  blockedUntil: Date;
}

/** Counters whose free attempts are used up (their next failure waits), newest first. */
export async function listThrottles(db: DbOrTx, limit = 200): Promise<ThrottleRow[]> {
  const rows = await db
    .select({
      id: loginThrottles.id,
      scope: loginThrottles.scope,
      userId: loginThrottles.userId,
      displayName: users.displayName,
      failures: loginThrottles.failures,
      firstFailureAt: loginThrottles.firstFailureAt,
      lastFailureAt: loginThrottles.lastFailureAt,
      blockedUntil: loginThrottles.blockedUntil,
    })
    .from(loginThrottles)
    .leftJoin(users, eq(users.id, loginThrottles.userId))
    .where(isNotNull(loginThrottles.blockedUntil))
    .orderBy(desc(loginThrottles.lastFailureAt), desc(loginThrottles.id))
    .limit(limit);
  return rows.map((r) => ({ ...r, blockedUntil: r.blockedUntil as Date }));
}

/** The latest end of a delay on a user's counters, or null when they have none. */
export const throttledUntilOf = (userId: typeof users.id) =>
  sql<Date | null>`(select max(${loginThrottles.blockedUntil}) from ${loginThrottles} where ${loginThrottles.userId} = ${userId})`.mapWith(
    (v: string | Date | null) => (v === null ? null : new Date(v)),
  );

/** Deletes one counter; returns whose it was (null for unknown accounts and addresses), or undefined if gone. */
export async function deleteThrottle(db: DbOrTx, id: number): Promise<{ userId: number | null } | undefined> {
  const [row] = await db.delete(loginThrottles).where(eq(loginThrottles.id, id)).returning({ userId: loginThrottles.userId });
  return row;
}

/** Forgets all failures on a user's account (account and pair counters). */
export async function deleteThrottlesOfUser(db: DbOrTx, userId: number): Promise<number> {
  const rows = await db.delete(loginThrottles).where(eq(loginThrottles.userId, userId)).returning({ id: loginThrottles.id });
  return rows.length;
}

/** Rows whose last failure is older than the cutoff; their counters start again from zero. */
export async function sweepThrottles(db: DbOrTx, cutoff: Date): Promise<number> {
  const rows = await db.delete(loginThrottles).where(lt(loginThrottles.lastFailureAt, cutoff)).returning({ id: loginThrottles.id });
  return rows.length;
}
