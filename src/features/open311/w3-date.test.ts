import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { w3 } from './w3-date.ts';

const oracle = (d: Date) => DateTime.fromJSDate(d, { zone: 'Europe/Berlin' }).toFormat("yyyy-MM-dd'T'HH:mm:ssZZ");

describe('w3: Berlin time with its offset', () => {
  it('agrees with luxon every 17 minutes over three years, through every change of summer time', () => {
    const start = Date.UTC(2025, 0, 1);
    for (let ms = start; ms < Date.UTC(2028, 0, 1); ms += 17 * 60_000 + 7_000) {
      const d = new Date(ms);
      expect(w3(d)).toBe(oracle(d));
    }
  });

  it('gets the minutes around the switch right', () => {
    // 29 March 2026: 02:00 CET becomes 03:00 CEST at 01:00 UTC; 25 October 2026: back at 01:00 UTC.
    expect(w3(new Date('2026-03-29T00:59:59Z'))).toBe('2026-03-29T01:59:59+01:00');
    expect(w3(new Date('2026-03-29T01:00:00Z'))).toBe('2026-03-29T03:00:00+02:00');
    expect(w3(new Date('2026-10-25T00:59:59Z'))).toBe('2026-10-25T02:59:59+02:00');
    expect(w3(new Date('2026-10-25T01:00:00Z'))).toBe('2026-10-25T02:00:00+01:00');
  });
});
