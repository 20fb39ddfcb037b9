import { DateTime } from 'luxon';
import type { DbOrTx } from '../../infra/db.ts';
import {
  type CountRow,
  countsByCategory,
  countsByDistrict,
  countsByMonth,
  type DurationRow,
  durations,
  type FixCheckRow,
  fixChecksBy,
  fixConfirmations,
  type Window,
} from '../transparency/projection/stats.ts';

/**
 * The public statistics, made safe to show: no cell under five cases (a small number next to a
 * district and a month can point to a person), and no hidden cell that the others give away.
 */
export const MIN_CELL = 5;

export interface Cell {
  key: string;
  /** null: not shown (fewer than five cases, or hidden so that such a cell cannot be worked out). */
  n: number | null;
}

export interface DurationCell {
  key: string;
  n: number;
  medianHours: number;
  p90Hours: number;
}

/** "Ist es wirklich behoben?" of one team or category. */
export interface FixCheckCell {
  key: string;
  asked: number;
  /** null: not shown (one to four answers). */
  yes: number | null;
  no: number | null;
  /** Share of "ja" among the answers; null under five answers or when a count is hidden. */
  share: number | null;
}

export interface Figures {
  window: Window;
  months: Cell[];
  categories: Cell[];
  districts: Cell[];
  firstAnswerByTeam: DurationCell[];
  resolutionByTeam: DurationCell[];
  firstAnswerByCategory: DurationCell[];
  resolutionByCategory: DurationCell[];
  /** Share of answered "Ist es wirklich behoben?" questions answered "ja"; null under five answers. */
  confirmed: { resolved: number | null; answered: number | null; share: number | null };
  fixChecksByCategory: FixCheckCell[];
  fixChecksByTeam: FixCheckCell[];
  /** Whether some cells are hidden (the page explains why). */
  suppressed: boolean;
}

/**
 * Hides every cell under MIN_CELL, and, when the hidden cells together are fewer than MIN_CELL
 * (so that the total minus the shown cells would reveal a small number), also the smallest shown
 * cells until they are not. The order of the rows is kept.
 */
export function suppressSmallCells(rows: readonly CountRow[], min = MIN_CELL): Cell[] {
  const hidden = new Set(rows.filter((r) => r.n < min).map((r) => r.key));
  const hiddenSum = () => rows.filter((r) => hidden.has(r.key)).reduce((s, r) => s + r.n, 0);
  const shownBySize = rows.filter((r) => !hidden.has(r.key)).sort((a, b) => a.n - b.n);
  while (hiddenSum() > 0 && hiddenSum() < min && shownBySize.length > 0) {
    const next = shownBySize.shift();
    if (next) hidden.add(next.key);
  }
  return rows.map((r) => ({ key: r.key, n: hidden.has(r.key) ? null : r.n }));
}

/** Duration groups of fewer than MIN_CELL cases are left out (a median of three is someone's case). */
export function safeDurations(rows: readonly DurationRow[], min = MIN_CELL): DurationCell[] {
  return rows.flatMap((r) =>
    r.n >= min && r.medianHours !== null && r.p90Hours !== null
      ? [{ key: r.key, n: r.n, medianHours: r.medianHours, p90Hours: r.p90Hours }]
      : [],
  );
}

/**
 * Groups with fewer than MIN_CELL asked are left out; a "ja" or "nein" count of one to four is not
 * shown, and then neither is the share, from which it could be worked back.
 */
export function safeFixChecks(rows: readonly FixCheckRow[], min = MIN_CELL): FixCheckCell[] {
  const shown = (n: number) => (n > 0 && n < min ? null : n);
  return rows.flatMap((r) => {
    if (r.asked < min) return [];
    const yes = shown(r.yes);
    const no = shown(r.no);
    const answered = r.yes + r.no;
    const share = yes !== null && no !== null && answered >= min ? r.yes / answered : null;
    return [{ key: r.key, asked: r.asked, yes, no, share }];
  });
}

const ZONE = 'Europe/Berlin';

/** The twelve months up to now, in the town's time zone: from the first day of the month eleven months ago. */
export function lastTwelveMonths(now: Date): Window {
  const from = DateTime.fromJSDate(now, { zone: ZONE }).startOf('month').minus({ months: 11 });
  return { from: from.toJSDate(), to: now };
}

/** Every month of the window as "2026-11", so that a month without reports shows as 0, not as a gap. */
export function monthsOf(w: Window): string[] {
  const out: string[] = [];
  for (let d = DateTime.fromJSDate(w.from, { zone: ZONE }).startOf('month'); d.toJSDate() < w.to; d = d.plus({ months: 1 })) {
    out.push(d.toFormat('yyyy-MM'));
  }
  return out;
}

export async function computeFigures(db: DbOrTx, now: Date): Promise<Figures> {
  const window = lastTwelveMonths(now);
  const [months, categories, districts, faTeam, resTeam, faCat, resCat, fix, fixCat, fixTeam] = await Promise.all([
    countsByMonth(db, window),
    countsByCategory(db, window),
    countsByDistrict(db, window),
    durations(db, window, { until: 'firstAnswer', by: 'team' }),
    durations(db, window, { until: 'resolution', by: 'team' }),
    durations(db, window, { until: 'firstAnswer', by: 'category' }),
    durations(db, window, { until: 'resolution', by: 'category' }),
    fixConfirmations(db, window),
    fixChecksBy(db, window, 'category'),
    fixChecksBy(db, window, 'team'),
  ]);
  const perMonth = new Map(months.map((m) => [m.key, m.n]));
  const monthCells = suppressSmallCells(
    monthsOf(window)
      .map((key) => ({ key, n: perMonth.get(key) ?? 0 }))
      .filter((m) => m.n > 0),
  );
  const filledMonths = monthsOf(window).map((key) => monthCells.find((c) => c.key === key) ?? { key, n: 0 });
  const cells = { months: filledMonths, categories: suppressSmallCells(categories), districts: suppressSmallCells(districts) };
  const answered = fix.answered >= MIN_CELL;
  return {
    window,
    ...cells,
    firstAnswerByTeam: safeDurations(faTeam),
    resolutionByTeam: safeDurations(resTeam),
    firstAnswerByCategory: safeDurations(faCat),
    resolutionByCategory: safeDurations(resCat),
    confirmed: {
      resolved: fix.resolved >= MIN_CELL ? fix.resolved : null,
      answered: answered ? fix.answered : null,
      share: answered ? fix.confirmed / fix.answered : null,
    },
    fixChecksByCategory: safeFixChecks(fixCat),
    fixChecksByTeam: safeFixChecks(fixTeam),
    suppressed: Object.values(cells).some((list) => list.some((c) => c.n === null)),
  };
}

/**
 * The figures change slowly and every visitor sees the same: computed at most once per `ttlMs`
 * (ten minutes) per process, so a crowd on the page costs one set of aggregate queries, not one per
 * view. Once computed, a stale set is served while the next one is computed in the background:
 * only the first visitor after a start waits for the queries. At 100,000 cases they take about a
 * second on PostgreSQL and several on PGlite (docs/PERFORMANCE.md), which on the single PGlite
 * connection other requests wait behind: hence ten minutes, not one.
 */
export function cachedFigures(compute: (now: Date) => Promise<Figures>, ttlMs = 10 * 60_000): (now: Date) => Promise<Figures> {
  let ready: { at: number; figures: Figures } | null = null;
  let running: Promise<Figures> | null = null;
  const refresh = (now: Date): Promise<Figures> => {
    running ??= compute(now)
      .then((figures) => {
        ready = { at: now.getTime(), figures };
        return figures;
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
  return async (now) => {
    if (!ready) return refresh(now);
    const age = now.getTime() - ready.at;
    if (age >= ttlMs || age < 0) {
      // A failed refresh keeps the last good figures; the next view tries again.
      refresh(now).catch(() => {});
    }
    return ready.figures;
  };
}
