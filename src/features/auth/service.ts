import { and, eq, isNull, lte, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Clock } from '../../infra/clock.ts';
import type { Db } from '../../infra/db.ts';
import { users } from '../../infra/schema/index.ts';
import { singleLine } from '../../infra/text-input.ts';
import { dummyVerify, PASSWORD_MAX, verifyPassword } from './password.ts';
import { createSession } from './session.ts';

export const MAX_FAILED_LOGINS = 5;
export const LOCK_MINUTES = 15;

export interface AuthDeps {
  db: Db;
  clock: Clock;
}

export const loginSchema = z.object({
  email: z
    .string({ message: 'Bitte geben Sie Ihre E-Mail-Adresse ein.' })
    .trim()
    .min(1, 'Bitte geben Sie Ihre E-Mail-Adresse ein.')
    .max(254, 'Die E-Mail-Adresse ist zu lang.')
    .superRefine(singleLine('Die E-Mail-Adresse')),
  password: z
    .string({ message: 'Bitte geben Sie Ihr Passwort ein.' })
    .min(1, 'Bitte geben Sie Ihr Passwort ein.')
    .max(PASSWORD_MAX, 'Das Passwort ist zu lang.'),
});
export type LoginInput = z.infer<typeof loginSchema>;

export type LoginResult =
  | { outcome: 'ok'; userId: number; session: { cookieValue: string; expiresAt: Date } }
  /** Wrong password or unknown e-mail: the caller shows one generic message for both. */
  | { outcome: 'invalid' }
  | { outcome: 'locked'; until: Date }
  /** Correct password, but the account was deactivated by an administrator. */
  | { outcome: 'inactive' };

/**
 * Checks e-mail and password and opens a session. After MAX_FAILED_LOGINS wrong passwords the
 * account is locked for LOCK_MINUTES; while locked, even the right password does not sign in.
 */
export async function login(deps: AuthDeps, input: LoginInput): Promise<LoginResult> {
  const now = deps.clock.now();
  const [user] = await deps.db
    .select({ id: users.id, passwordHash: users.passwordHash, active: users.active, lockedUntil: users.lockedUntil })
    .from(users)
    .where(sql`lower(${users.email}) = ${input.email.toLowerCase()}`)
    .limit(1);
  if (!user) {
    await dummyVerify(input.password);
    return { outcome: 'invalid' };
  }
  const passwordOk = await verifyPassword(user.passwordHash, input.password);
  if (user.lockedUntil && user.lockedUntil > now) return { outcome: 'locked', until: user.lockedUntil };
  if (!passwordOk) {
    const until = await recordFailure(deps.db, user.id, now);
    return until ? { outcome: 'locked', until } : { outcome: 'invalid' };
  }
  if (!user.active) return { outcome: 'inactive' };
  await deps.db.update(users).set({ failedLogins: 0, lockedUntil: null, lastLoginAt: now }).where(eq(users.id, user.id));
  const session = await createSession(deps.db, deps.clock, user.id);
  return { outcome: 'ok', userId: user.id, session };
}

/**
 * Counts a failed attempt in one statement, so parallel guesses cannot slip past the limit.
 * Returns the lock's end when this attempt locked the account.
 */
async function recordFailure(db: Db, userId: number, now: Date): Promise<Date | null> {
  const lockUntil = new Date(now.getTime() + LOCK_MINUTES * 60_000);
  const reachesLimit = sql`${users.failedLogins} + 1 >= ${MAX_FAILED_LOGINS}`;
  const [row] = await db
    .update(users)
    .set({
      failedLogins: sql`case when ${reachesLimit} then 0 else ${users.failedLogins} + 1 end`,
      lockedUntil: sql`case when ${reachesLimit} then ${lockUntil.toISOString()}::timestamptz else ${users.lockedUntil} end`,
    })
    .where(and(eq(users.id, userId), or(isNull(users.lockedUntil), lte(users.lockedUntil, now))))
    .returning({ lockedUntil: users.lockedUntil });
  return row?.lockedUntil && row.lockedUntil > now ? row.lockedUntil : null;
}
