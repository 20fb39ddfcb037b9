/**
 * /statistik at 100,000 published cases: what one computation of all its figures costs (a cache
 * miss, once a minute at most), what rendering the page from computed figures costs (every view),
 * and, as the baseline of the same run, one plain count over the projection table.
 *
 *   npx tsx bench/statistics.ts              # throwaway PostgreSQL cluster (initdb from Debian's PostgreSQL)
 *   npx tsx bench/statistics.ts --pglite     # embedded PGlite
 * Figures go to docs/PERFORMANCE.md.
 */
import { sql } from 'drizzle-orm';
import { computeFigures } from '../src/features/statistics/figures.ts';
import { StatisticsPage } from '../src/features/statistics/views/statistics.tsx';
import { type Db, openDatabase, runMigrations } from '../src/infra/db.ts';
import { renderPage } from '../src/ui/render.ts';
import { findPgBin, startCluster } from '../test/helpers/postgres-cluster.ts';
import { percentile } from './stats.ts';

const N = Number(process.env.CASES ?? 100_000);
const RUNS = Number(process.env.RUNS ?? 20);
const usePglite = process.argv.includes('--pglite');

async function seed(db: Db) {
  await db.execute(sql`insert into districts (name, geometry) select 'Stadtteil ' || g, '{}'::jsonb from generate_series(1, 15) g`);
  await db.execute(sql`insert into teams (slug, name) select 'team-' || g, 'Team ' || g from generate_series(1, 10) g`);
  await db.execute(
    sql`insert into categories (slug, name, group_name) select 'kat-' || g, 'Kategorie ' || g, 'Gruppe' from generate_series(1, 20) g`,
  );
  // One report every 5 minutes over the last year; the projection row of each.
  await db.execute(sql`insert into cases (number, tracking_token, channel, description, created_at, updated_at)
    select '2026-' || lpad(g::text, 6, '0'), md5(g::text), 'web', 'Meldung ' || g, now() - (${N} - g) * interval '5 minutes', now()
    from generate_series(1, ${N}) g`);
  await db.execute(sql`insert into public_cases (case_id, number, status, category_id, category_name, district_id, district_name,
      team_name, text, reported_at, first_answer_at, closed_at, confirmed_fixed, published_at, updated_at)
    select c.id, c.number,
      (array['new','in_progress','resolved','resolved','resolved','rejected'])[1 + c.id % 6],
      1 + c.id % 20, 'Kategorie ' || (1 + c.id % 20), 1 + c.id % 15, 'Stadtteil ' || (1 + c.id % 15), 'Team ' || (1 + c.id % 10),
      c.description, c.created_at,
      c.created_at + (1 + c.id % 48) * interval '1 hour',
      case when c.id % 6 in (2, 3, 4) then c.created_at + (1 + c.id % 20) * interval '1 day' end,
      case when c.id % 6 in (2, 3) then c.id % 5 <> 0 end,
      c.created_at, now()
    from cases c`);
  await db.execute(sql`analyze`);
}

async function timeRuns(runs: number, task: () => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await task();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 50), p99: percentile(ms, 99) };
}

const fmt = (r: { p50: number; p99: number }) => `p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms`;

async function main() {
  const cluster = !usePglite ? await startCluster(findPgBin() ?? '/usr/lib/postgresql/15/bin') : null;
  const database = usePglite ? await openDatabase({}) : await openDatabase({ url: cluster?.url ?? '' });
  try {
    await runMigrations(database);
    const db = database.db;
    const t0 = performance.now();
    await seed(db);
    process.stdout.write(`seeded ${N} published cases in ${Math.round(performance.now() - t0)} ms on ${database.kind}\n`);

    const baseline = await timeRuns(RUNS, () =>
      db.execute(sql`select count(*) from public_cases where reported_at >= now() - interval '1 year'`),
    );
    const now = new Date();
    const figures = await computeFigures(db, now);
    const counted = figures.months.reduce((s, m) => s + (m.n ?? 0), 0);
    if (counted < N * 0.9) throw new Error(`the figures count ${counted} of ${N} cases: the bench would measure nothing`);
    const compute = await timeRuns(RUNS, () => computeFigures(db, now));
    const render = await timeRuns(RUNS * 10, async () => renderPage(StatisticsPage({ ctx: { townName: 'Musterstadt' }, figures })));
    process.stdout.write(
      [
        `${database.kind}, ${N} published cases, ${counted} in the twelve months, ${RUNS} runs:`,
        `  baseline: one count over the year            ${fmt(baseline)}`,
        `  all figures computed (a cache miss)          ${fmt(compute)}`,
        `  page rendered from computed figures (a view) ${fmt(render)}`,
        '',
      ].join('\n'),
    );
  } finally {
    await database.close();
    await cluster?.stop();
  }
}

await main();
