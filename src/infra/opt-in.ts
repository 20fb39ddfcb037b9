import { randomBytes } from 'node:crypto';

/**
 * What every double opt-in of the platform shares (following a case or an area, the Amtsblatt's
 * newsletter): the link token, how long a confirmation link works, what a click on it means, and
 * the RFC 8058 one-click unsubscribe headers. Each feature keeps its own tables, paths and texts.
 */

/** A confirmation link works for a week; the sweep deletes what was never confirmed. */
export const CONFIRM_WITHIN_MS = 7 * 24 * 60 * 60_000;

/** 24 random bytes as base64url: the only key to a subscription, carried in its mails' links. */
export const newLinkToken = () => randomBytes(24).toString('base64url');

/** Tokens are 32 characters of base64url; anything else need not reach the database. */
export const LINK_TOKEN_PATTERN = /^[A-Za-z0-9_-]{32}$/;

export type ConfirmOutcome = 'confirmed' | 'ended' | 'unknown';

/**
 * What a click on a confirmation link means for the subscription behind it: 'confirm' when it
 * should be confirmed now (the caller does so conditionally, so a confirmation racing an
 * unsubscribe does not bring it back); a second click says 'confirmed' again; expired or unknown
 * is 'unknown'.
 */
export function confirmDecision(
  sub: { createdAt: Date; confirmedAt: Date | null; unsubscribedAt: Date | null } | null,
  now: Date,
): ConfirmOutcome | 'confirm' {
  if (!sub) return 'unknown';
  if (sub.unsubscribedAt) return 'ended';
  if (sub.confirmedAt) return 'confirmed';
  if (now.getTime() - sub.createdAt.getTime() > CONFIRM_WITHIN_MS) return 'unknown';
  return 'confirm';
}

/**
 * RFC 8058 one-click unsubscribe: the mail program POSTs `List-Unsubscribe=One-Click` to the
 * https URL of `List-Unsubscribe`, without cookies.
 */
export function unsubscribeHeaders(unsubscribeUrl: string) {
  return { 'List-Unsubscribe': `<${unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } as const;
}
