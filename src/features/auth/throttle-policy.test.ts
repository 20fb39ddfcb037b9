import { describe, expect, it } from 'vitest';
import { delayAfter, formatWait } from './throttle-policy.ts';

describe('sign-in throttle policy', () => {
  it('gives a pair 3 free failures, then doubles up to 15 minutes', () => {
    expect([1, 2, 3, 4, 5, 6, 13, 14, 100].map((n) => delayAfter('pair', n))).toEqual([0, 0, 0, 2, 4, 8, 900, 900, 900]);
  });
  it('gives an address 10 free failures, then doubles up to 15 minutes', () => {
    expect([10, 11, 12, 20, 1000].map((n) => delayAfter('address', n))).toEqual([0, 2, 4, 900, 900]);
  });
  it('slows an account from everywhere by 5 s per failure beyond 10, never more than a minute', () => {
    expect([10, 11, 12, 21, 22, 10_000].map((n) => delayAfter('account', n))).toEqual([0, 5, 10, 55, 60, 60]);
  });
  it('says the wait in German seconds or whole minutes', () => {
    expect([1, 2, 59, 60, 61, 900].map(formatWait)).toEqual([
      '1 Sekunde',
      '2 Sekunden',
      '59 Sekunden',
      '1 Minute',
      '2 Minuten',
      '15 Minuten',
    ]);
  });
});
