import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { users } from '../../infra/schema/index.ts';
import { singleLine } from '../../infra/text-input.ts';
import { dummyVerify, PASSWORD_MAX, verifyPassword } from './password.ts';
import { createSession } from './session.ts';
import { accountKeyOf, deviceTrusted, throttleKeys, withDeviceToken } from './throttle-keys.ts';
import { type NoticeDeps, noticeThrottledAccount } from './throttle-notice.ts';
import { activeBlocks, clearAfterSuccess, countFailure } from './throttle-queries.ts';

export interface AuthDeps extends NoticeDeps {
  /** HMAC key of the sign-in counters and device tokens (throttle-keys.ts). */
  throttleSecret: Buffer;
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

/** Who is signing in from where: the client address and the device cookie, if any. */
export interface LoginClient {
  address: string;
  deviceCookie: string | undefined;
}

export type LoginResult =
  | { outcome: 'ok'; userId: number; session: { cookieValue: string; expiresAt: Date }; deviceCookie: string }
  /**
   * Wrong password or unknown e-mail, told apart by nothing (status, text, timing): `retryAt` is set
   * when this failure started a wait before the next check.
   */
  | { outcome: 'invalid'; retryAt: Date | null }
  /** A wait is running: the attempt was not checked at all (known and unknown accounts alike). */
  | { outcome: 'throttled'; retryAt: Date }
  /** Correct password, but the account was deactivated by an administrator. */
  | { outcome: 'inactive' };

const latest = (dates: Date[]): Date | null => dates.reduce<Date | null>((max, d) => (max === null || d > max ? d : max), null);

/**
 * Checks e-mail and password and opens a session, behind the counters of throttle-policy.ts.
 * Known and unknown accounts take the same path: the same counters, the same statements, one
 * argon2 verification each (a dummy one for unknown e-mails).
 */
export async function login(deps: AuthDeps, input: LoginInput, client: LoginClient): Promise<LoginResult> {
  const now = deps.clock.now();
  const keys = throttleKeys(deps.throttleSecret, input.email, client.address);
  const trusted = deviceTrusted(deps.throttleSecret, input.email, client.deviceCookie);
  const blocks = (await activeBlocks(deps.db, keys, now)).filter((b) => !(trusted && b.scope === 'account'));
  const blockedUntil = latest(blocks.map((b) => b.until));
  if (blockedUntil) return { outcome: 'throttled', retryAt: blockedUntil };

  const [user] = await deps.db
    .select({ id: users.id, passwordHash: users.passwordHash, active: users.active })
    .from(users)
    .where(sql`lower(${users.email}) = ${accountKeyOf(input.email)}`)
    .limit(1);
  let passwordOk = false;
  if (user) passwordOk = await verifyPassword(user.passwordHash, input.password);
  else await dummyVerify(input.password);
  if (!user || !passwordOk) {
    const counted = await countFailure(deps.db, keys, user?.id ?? null, now);
    const waits = counted.filter((c) => c.blockedUntil && !(trusted && c.scope === 'account'));
    const accountThrottled = counted.some((c) => c.scope !== 'address' && c.blockedUntil);
    // Not awaited: the mail must not make a known account's answer slower than an unknown one's.
    if (user && accountThrottled)
      noticeThrottledAccount(deps, keys, user.id).catch((err: unknown) =>
        deps.log.error({ err, userId: user.id }, 'sign-in throttle notice failed'),
      );
    return { outcome: 'invalid', retryAt: latest(waits.map((c) => c.blockedUntil as Date)) };
  }
  if (!user.active) return { outcome: 'inactive' };
  await clearAfterSuccess(deps.db, keys);
  await deps.db.update(users).set({ lastLoginAt: now }).where(eq(users.id, user.id));
  const session = await createSession(deps.db, deps.clock, user.id);
  return {
    outcome: 'ok',
    userId: user.id,
    session,
    deviceCookie: withDeviceToken(deps.throttleSecret, input.email, client.deviceCookie),
  };
}
