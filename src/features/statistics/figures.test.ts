import { describe, expect, it } from 'vitest';
import { cachedFigures, type Figures, lastTwelveMonths, monthsOf, safeDurations, safeFixChecks, suppressSmallCells } from './figures.ts';

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

describe('cachedFigures', () => {
  const fake = (tag: string) => ({ window: { from: new Date(0), to: new Date(0) }, months: [{ key: tag, n: 1 }] }) as unknown as Figures;

  it('computes once per minute and serves the last figures while the next ones are computed', async () => {
    let calls = 0;
    let release: (() => void) | null = null;
    const get = cachedFigures(async () => {
      calls++;
      if (calls > 1) await new Promise<void>((r) => (release = r));
      return fake(`run ${calls}`);
    }, 60_000);
    const t = (s: number) => new Date(1_000_000 + s * 1000);
    expect((await get(t(0))).months[0]?.key).toBe('run 1');
    expect((await get(t(30))).months[0]?.key).toBe('run 1');
    expect(calls).toBe(1);
    // Stale: the old figures come at once, the new computation runs behind them, only once.
    expect((await get(t(61))).months[0]?.key).toBe('run 1');
    expect((await get(t(62))).months[0]?.key).toBe('run 1');
    expect(calls).toBe(2);
    (release as (() => void) | null)?.();
    await new Promise((r) => setTimeout(r, 0));
    expect((await get(t(63))).months[0]?.key).toBe('run 2');
  });

  it('keeps the last good figures when a refresh fails', async () => {
    let calls = 0;
    const get = cachedFigures(async () => {
      calls++;
      if (calls === 2) throw new Error('database gone');
      return fake(`run ${calls}`);
    }, 1000);
    expect((await get(new Date(0))).months[0]?.key).toBe('run 1');
    expect((await get(new Date(2000))).months[0]?.key).toBe('run 1');
    await new Promise((r) => setTimeout(r, 0));
    // The failed refresh left the last good figures; this view tries again …
    expect((await get(new Date(2500))).months[0]?.key).toBe('run 1');
    await new Promise((r) => setTimeout(r, 0));
    // … and succeeded.
    expect((await get(new Date(2600))).months[0]?.key).toBe('run 3');
    expect(calls).toBe(3);
  });
});

describe('safeFixChecks', () => {
  it('leaves out groups with fewer than five asked, hides one to four equal answers and then the share', () => {
    const out = safeFixChecks([
      { key: 'few', asked: 4, yes: 4, no: 0 },
      { key: 'one no', asked: 8, yes: 6, no: 1 },
      { key: 'both', asked: 12, yes: 6, no: 5 },
      { key: 'all yes', asked: 6, yes: 6, no: 0 },
    ]);
    expect(out).toEqual([
      { key: 'one no', asked: 8, yes: 6, no: null, share: null },
      { key: 'both', asked: 12, yes: 6, no: 5, share: 6 / 11 },
      { key: 'all yes', asked: 6, yes: 6, no: 0, share: 1 },
    ]);
  });
});
