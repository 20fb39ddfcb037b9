import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ThrottleScope } from '../../infra/schema/index.ts';

/**
 * Sign-in counters are stored under HMAC-SHA256 keys, never under the e-mail or client address in
 * clear: a database dump must not list who tried which address from where, and an unknown e-mail
 * (often a colleague's typo) is nobody's business. The key derives from the session secret with a
 * purpose label, so the cookie-signing key itself is used for nothing else.
 */
export type ThrottleKeys = Record<ThrottleScope, string>;

export function throttleSecret(sessionSecret: string): Buffer {
  return createHmac('sha256', sessionSecret).update('login-throttle/v1').digest();
}

const mac = (secret: Buffer, label: string, value: string) => createHmac('sha256', secret).update(`${label}\n${value}`).digest('base64url');

/** The account key is the e-mail as typed, trimmed and lower-cased: the same the login lookup uses. */
export const accountKeyOf = (email: string) => email.trim().toLowerCase();

export function throttleKeys(secret: Buffer, email: string, clientAddress: string): ThrottleKeys {
  const account = accountKeyOf(email);
  return {
    pair: mac(secret, 'pair', `${account}\n${clientAddress}`),
    account: mac(secret, 'account', account),
    address: mac(secret, 'address', clientAddress),
  };
}

/**
 * A browser that signed in to an account before carries a token for it (cookie amtsblatt_geraet,
 * up to DEVICE_TOKENS_MAX accounts for a shared office computer). It lets that browser skip the
 * account-wide counter, so failures from elsewhere never slow the holder at their usual device.
 * The token is a MAC of the account key: nothing to look up, and useless for any other account.
 */
export const DEVICE_COOKIE = 'amtsblatt_geraet';
export const DEVICE_TOKENS_MAX = 5;

export const deviceToken = (secret: Buffer, email: string) => mac(secret, 'device', accountKeyOf(email));

export function deviceTrusted(secret: Buffer, email: string, cookie: string | undefined): boolean {
  if (!cookie) return false;
  const expected = Buffer.from(deviceToken(secret, email));
  return cookie
    .split('.')
    .slice(0, DEVICE_TOKENS_MAX)
    .some((t) => t.length === expected.length && timingSafeEqual(Buffer.from(t), expected));
}

/** The cookie after a sign-in: this account's token first, older ones after it, at most DEVICE_TOKENS_MAX. */
export function withDeviceToken(secret: Buffer, email: string, cookie: string | undefined): string {
  const token = deviceToken(secret, email);
  const others = (cookie ?? '').split('.').filter((t) => /^[\w-]{43}$/.test(t) && t !== token);
  return [token, ...others].slice(0, DEVICE_TOKENS_MAX).join('.');
}
