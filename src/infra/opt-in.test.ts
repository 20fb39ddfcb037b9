import { expect, it } from 'vitest';
import { CONFIRM_WITHIN_MS, confirmDecision, LINK_TOKEN_PATTERN, newLinkToken, unsubscribeHeaders } from './opt-in.ts';

const now = new Date('2026-12-01T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);

it('decides a confirmation click: unknown, ended, already confirmed, expired, or confirm now', () => {
  const pending = { createdAt: ago(60_000), confirmedAt: null, unsubscribedAt: null };
  expect(confirmDecision(null, now)).toBe('unknown');
  expect(confirmDecision(pending, now)).toBe('confirm');
  expect(confirmDecision({ ...pending, confirmedAt: ago(1000) }, now)).toBe('confirmed');
  expect(confirmDecision({ ...pending, confirmedAt: ago(1000), unsubscribedAt: ago(10) }, now)).toBe('ended');
  expect(confirmDecision({ ...pending, createdAt: ago(CONFIRM_WITHIN_MS) }, now)).toBe('confirm');
  expect(confirmDecision({ ...pending, createdAt: ago(CONFIRM_WITHIN_MS + 1) }, now)).toBe('unknown');
});

it('makes link tokens its own pattern accepts, and the one-click headers of RFC 8058', () => {
  const token = newLinkToken();
  expect(token).toMatch(LINK_TOKEN_PATTERN);
  expect(newLinkToken()).not.toBe(token);
  expect(unsubscribeHeaders('https://stadt.example/abmelden/x')).toEqual({
    'List-Unsubscribe': '<https://stadt.example/abmelden/x>',
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  });
});
