import { describe, expect, it } from 'vitest';
import { lastTwelveMonths, monthsOf, safeDurations, suppressSmallCells } from './figures.ts';

describe('suppressSmallCells', () => {
  it('hides cells under five', () => {
    const out = suppressSmallCells([
      { key: 'a', n: 40 },
      { key: 'b', n: 3 },
      { key: 'c', n: 4 },
    ]);
    expect(out).toEqual([
      { key: 'a', n: 40 },
      { key: 'b', n: null },
      { key: 'c', n: null },
    ]);
  });

  it('also hides the smallest shown cell when the hidden ones add up to less than five', () => {
    // Total 57 minus 40 minus 12 would give away the 2 otherwise.
    const out = suppressSmallCells([
      { key: 'a', n: 40 },
      { key: 'b', n: 12 },
      { key: 'c', n: 2 },
      { key: 'd', n: 6 },
    ]);
    expect(out.map((c) => c.n)).toEqual([40, 12, null, null]);
  });

  it('leaves tables without small cells alone', () => {
    expect(suppressSmallCells([{ key: 'a', n: 5 }])).toEqual([{ key: 'a', n: 5 }]);
    expect(suppressSmallCells([])).toEqual([]);
  });
});

describe('safeDurations', () => {
  it('drops groups of fewer than five cases', () => {
    const out = safeDurations([
      { key: 'Bauhof', n: 4, medianHours: 2, p90Hours: 3 },
      { key: 'Leitstelle', n: 9, medianHours: 5, p90Hours: 20 },
    ]);
    expect(out.map((d) => d.key)).toEqual(['Leitstelle']);
  });
});

describe('the window', () => {
  it('covers the current month and the eleven before it', () => {
    const w = lastTwelveMonths(new Date('2026-12-01T10:00:00Z'));
    // Midnight in Berlin on 1 January is 23:00 UTC the day before.
    expect(w.from.toISOString()).toBe('2025-12-31T23:00:00.000Z');
    expect(monthsOf(w)).toHaveLength(12);
    expect(monthsOf(w)[0]).toBe('2026-01');
    expect(monthsOf(w).at(-1)).toBe('2026-12');
  });
});
