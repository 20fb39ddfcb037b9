import { describe, expect, it } from 'vitest';
import { cursorFrom, dueRetries, freshCursor, MAX_SKIPPED_SHOWN, recordFailure, retryDelayMs } from './imap-cursor.ts';

describe('IMAP cursor bookkeeping', () => {
  const now = new Date('2026-12-01T09:00:00Z');

  it('keeps UIDVALIDITY as a string, so a 64-bit value survives JSON', () => {
    const cursor = freshCursor(18446744073709551615n);
    expect(cursorFrom(JSON.parse(JSON.stringify({ imap: cursor })))?.uidValidity).toBe('18446744073709551615');
  });

  it('treats a cursor that does not parse as none', () => {
    expect(cursorFrom({})).toBeNull();
    expect(cursorFrom({ imap: { uidValidity: 12, lastUid: 'x' } })).toBeNull();
  });

  it('backs off 1, 2, 4 … minutes per failure, at most an hour, and gives up at the limit', () => {
    expect([1, 2, 3, 10].map(retryDelayMs)).toEqual([60_000, 120_000, 240_000, 3_600_000]);
    const cursor = freshCursor(1n);
    for (let n = 1; n < 5; n++) expect(recordFailure(cursor, 7, now, 5)).toBe('retry');
    expect(cursor.retries['7']).toEqual({ failures: 4, nextAt: new Date(now.getTime() + 480_000).toISOString() });
    expect(dueRetries(cursor, now, false)).toEqual([]);
    expect(dueRetries(cursor, new Date(now.getTime() + 480_000), false)).toEqual([7]);
    expect(dueRetries(cursor, now, true)).toEqual([7]);
    expect(recordFailure(cursor, 7, now, 5)).toBe('skipped');
    expect(cursor.retries).toEqual({});
    expect(cursor.skipped).toEqual([{ uid: 7, reason: 'failures', at: now.toISOString() }]);
  });

  it(`shows only the last ${MAX_SKIPPED_SHOWN} skipped messages`, () => {
    const cursor = freshCursor(1n);
    for (let uid = 1; uid <= 30; uid++) recordFailure(cursor, uid, now, 1);
    expect(cursor.skipped.map((s) => s.uid)).toEqual(Array.from({ length: 20 }, (_, i) => i + 11));
  });
});
