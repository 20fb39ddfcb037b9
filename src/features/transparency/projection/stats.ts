import { and, gte, isNotNull, lt, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../../infra/db.ts';
import { fixChecks, publicCases } from '../../../infra/schema/index.ts';

/**
 * Aggregates over the public projection for /statistik: counts per month, category and district,
 * and times to the first answer and to resolution per team and per category. Only published cases
 * count, and only their public fields are read; suppressing small cells is the caller's job
 * (features/statistics/figures.ts), because it depends on how the figures are shown.
 */

export interface CountRow {
  key: string;
  n: number;
}

export interface DurationRow {
  key: string;
  n: number;
  /** Hours, null when no case of the group has the event. */
  medianHours: number | null;
  p90Hours: number | null;
}

export interface Window {
  from: Date;
  to: Date;
}

const inWindow = (w: Window) => and(gte(publicCases.reportedAt, w.from), lt(publicCases.reportedAt, w.to));

/** The month of the report in the town's time zone, as "2026-11". */
const month = sql<string>`to_char(${publicCases.reportedAt} at time zone 'Europe/Berlin', 'YYYY-MM')`;

export function countsByMonth(db: DbOrTx, w: Window): Promise<CountRow[]> {
  return db.select({ key: month, n: sql<number>`count(*)::int` }).from(publicCases).where(inWindow(w)).groupBy(month).orderBy(month);
}

export function countsByCategory(db: DbOrTx, w: Window): Promise<CountRow[]> {
  const key = sql<string>`coalesce(${publicCases.categoryName}, 'ohne Kategorie')`;
  return db
    .select({ key, n: sql<number>`count(*)::int` })
    .from(publicCases)
    .where(inWindow(w))
    .groupBy(key)
    .orderBy(sql`count(*) desc`, key);
}

export function countsByDistrict(db: DbOrTx, w: Window): Promise<CountRow[]> {
  const key = sql<string>`coalesce(${publicCases.districtName}, 'ohne Stadtteil')`;
  return db
    .select({ key, n: sql<number>`count(*)::int` })
    .from(publicCases)
    .where(inWindow(w))
    .groupBy(key)
    .orderBy(sql`count(*) desc`, key);
}

const hoursBetween = (later: typeof publicCases.firstAnswerAt | typeof publicCases.closedAt) =>
  sql`extract(epoch from (${later} - ${publicCases.reportedAt})) / 3600.0`;

/** Median and 90th percentile of the time from the report to `until`, per team or category. */
export function durations(
  db: DbOrTx,
  w: Window,
  p: { until: 'firstAnswer' | 'resolution'; by: 'team' | 'category' },
): Promise<DurationRow[]> {
  const later = p.until === 'firstAnswer' ? publicCases.firstAnswerAt : publicCases.closedAt;
  const key =
    p.by === 'team'
      ? sql<string>`coalesce(${publicCases.teamName}, 'ohne Zuständigkeit')`
      : sql<string>`coalesce(${publicCases.categoryName}, 'ohne Kategorie')`;
  const hours = hoursBetween(later);
  const onlyResolved = p.until === 'resolution' ? sql`${publicCases.status} = 'resolved'` : sql`true`;
  return db
    .select({
      key,
      n: sql<number>`count(*)::int`,
      medianHours: sql<number | null>`(percentile_cont(0.5) within group (order by ${hours}))::float8`,
      p90Hours: sql<number | null>`(percentile_cont(0.9) within group (order by ${hours}))::float8`,
    })
    .from(publicCases)
    .where(and(inWindow(w), isNotNull(later), onlyResolved))
    .groupBy(key)
    .orderBy(key);
}

/** "Ist es wirklich behoben?": resolved cases, how many reporters answered and how many said yes. */
export async function fixConfirmations(db: DbOrTx, w: Window): Promise<{ resolved: number; answered: number; confirmed: number }> {
  const [row] = await db
    .select({
      resolved: sql<number>`count(*) filter (where ${publicCases.status} = 'resolved')::int`,
      answered: sql<number>`count(*) filter (where ${publicCases.confirmedFixed} is not null)::int`,
      confirmed: sql<number>`count(*) filter (where ${publicCases.confirmedFixed})::int`,
    })
    .from(publicCases)
    .where(inWindow(w));
  return row ?? { resolved: 0, answered: 0, confirmed: 0 };
}

export interface FixCheckRow {
  key: string;
  /** Published cases whose reporter was asked. */
  asked: number;
  yes: number;
  no: number;
}

/**
 * "Ist es wirklich behoben?" per team or category: published cases whose reporter was asked, and
 * how their latest answer went (the public row's `confirmed_fixed`). Only counts leave here.
 */
export function fixChecksBy(db: DbOrTx, w: Window, by: 'team' | 'category'): Promise<FixCheckRow[]> {
  const key =
    by === 'team'
      ? sql<string>`coalesce(${publicCases.teamName}, 'ohne Zuständigkeit')`
      : sql<string>`coalesce(${publicCases.categoryName}, 'ohne Kategorie')`;
  const asked = sql`exists (select 1 from ${fixChecks} where ${fixChecks.caseId} = ${publicCases.caseId} and ${fixChecks.askedAt} is not null)`;
  return db
    .select({
      key,
      asked: sql<number>`count(*)::int`,
      yes: sql<number>`count(*) filter (where ${publicCases.confirmedFixed})::int`,
      no: sql<number>`count(*) filter (where not ${publicCases.confirmedFixed})::int`,
    })
    .from(publicCases)
    .where(and(inWindow(w), asked))
    .groupBy(key)
    .orderBy(key);
}
