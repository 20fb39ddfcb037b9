import { describe, expect, it } from 'vitest';
import { formatDateTime, relativeAge } from './time.ts';

describe('relativeAge', () => {
  const now = new Date('2026-03-10T12:00:00Z');
  const ago = (ms: number) => relativeAge(new Date(now.getTime() - ms), now);
  it.each([
    [10_000, 'gerade eben'],
    [5 * 60_000, 'vor 5 Min.'],
    [3 * 3600_000, 'vor 3 Std.'],
    [26 * 3600_000, 'vor 1 Tag'],
    [4 * 86_400_000, 'vor 4 Tagen'],
    [45 * 86_400_000, 'vor 1 Monat'],
    [100 * 86_400_000, 'vor 3 Monaten'],
    [400 * 86_400_000, 'vor 1 Jahr'],
    [800 * 86_400_000, 'vor 2 Jahren'],
  ])('%i ms ago → %s', (ms, label) => {
    expect(ago(ms)).toBe(label);
  });
  it('treats a time in the future (clock skew) as just now', () => {
    expect(relativeAge(new Date(now.getTime() + 60_000), now)).toBe('gerade eben');
  });
});

describe('formatDateTime', () => {
  it('shows the time in Berlin, not UTC', () => {
    expect(formatDateTime(new Date('2026-07-01T10:05:00Z'))).toBe('01.07.2026, 12:05');
  });
});
