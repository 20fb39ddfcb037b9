/**
 * Duplicate detection at 100,000 cases: generates three years of reports spread over a town of
 * about 3 × 3.5 km in 20 categories, then times findDuplicateCandidates (the query the report form
 * and the case page run) at random points and prints p50/p95/p99, the candidates found, and the plan.
 *
 *   npx tsx bench/duplicates.ts             # throwaway PostgreSQL cluster (initdb from Debian's PostgreSQL)
 *   DATABASE_URL=postgres://… npx tsx bench/duplicates.ts   # an existing, EMPTY database
 *   npx tsx bench/duplicates.ts --pglite    # embedded PGlite
 * Figures go to docs/PERFORMANCE.md.
 */
import { sql } from 'drizzle-orm';
import { findDuplicateCandidates } from '../src/features/duplicates/detect.ts';
import { type Db, openDatabase, runMigrations } from '../src/infra/db.ts';
import { boundingBox } from '../src/infra/geo.ts';
import { findPgBin, startCluster } from '../test/helpers/postgres-cluster.ts';
import { percentile } from './stats.ts';

const N = Number(process.env.CASES ?? 100_000);
const RUNS = Number(process.env.RUNS ?? 500);
const usePglite = process.argv.includes('--pglite');
const SOUTH = 47.648;
const WEST = 9.155;
const HEIGHT = 0.032; // ≈ 3.5 km
const WIDTH = 0.04; // ≈ 3 km at this latitude

const texts = [
  'Die Laterne ist dunkel',
  'Müll am Ufer abgeladen',
  'Schlagloch in der Straße',
  'Bank im Park kaputt',
  'Ampel zeigt dauerhaft rot',
  'Gully verstopft, Wasser steht',
];

async function seed(db: Db) {
  await db.execute(sql`insert into teams (slug, name) select 'team-' || g, 'Team ' || g from generate_series(1, 10) g`);
  await db.execute(sql`insert into categories (slug, name, group_name, default_team_id)
    select 'kat-' || g, 'Kategorie ' || g, 'Gruppe ' || (g % 4), 1 + g % 10 from generate_series(1, 20) g`);
  // One report every 15 minutes for three years, uniformly over the town; the newest 10,000 open.
  await db.execute(sql`insert into cases (number, tracking_token, channel, type, category_id, team_id, status,
      description, location_text, lat, lon, created_at, updated_at)
    select '2026-' || lpad(g::text, 6, '0'), md5(g::text), 'web', 'defect', 1 + g % 20, 1 + (g / 3) % 10,
      case when g > ${N - 10_000} then (array['new','in_progress'])[1 + g % 2]
           else (array['resolved','resolved','rejected','forwarded'])[1 + g % 4] end,
      (array[${sql.join(
        texts.map((t) => sql`${t}`),
        sql`, `,
      )}])[1 + g % ${texts.length}] || ' – Meldung ' || g,
      'Hauptstraße ' || (g % 300),
      ${SOUTH} + random() * ${HEIGHT}, ${WEST} + random() * ${WIDTH},
      now() - (${N} - g) * interval '15 minutes', now()
    from generate_series(1, ${N}) g`);
  await db.execute(sql`analyze`);
}

async function main() {
  const cluster = !usePglite && !process.env.DATABASE_URL ? await startCluster(findPgBin() ?? '/usr/lib/postgresql/15/bin') : null;
  const database = usePglite ? await openDatabase({}) : await openDatabase({ url: process.env.DATABASE_URL ?? cluster?.url ?? '' });
  try {
    await runMigrations(database);
    const db = database.db;
    const t0 = performance.now();
    await seed(db);
    process.stdout.write(`seeded ${N} cases in ${Math.round(performance.now() - t0)} ms on ${database.kind}\n`);

    const now = new Date();
    const point = () => ({ lat: SOUTH + Math.random() * HEIGHT, lon: WEST + Math.random() * WIDTH });
    for (let i = 0; i < 20; i++) {
      await findDuplicateCandidates(db, { categoryId: 1 + (i % 20), ...point(), text: texts[i % texts.length] ?? '', now });
    }
    for (const radiusM of [50, 200]) {
      const times: number[] = [];
      let found = 0;
      let hits = 0;
      for (let i = 0; i < RUNS; i++) {
        const q = { categoryId: 1 + (i % 20), ...point(), text: texts[i % texts.length] ?? '', now, radiusM };
        const started = performance.now();
        const result = await findDuplicateCandidates(db, q);
        times.push(performance.now() - started);
        found += result.length;
        if (result.length > 0) hits++;
      }
      times.sort((a, b) => a - b);
      const f = (x: number) => x.toFixed(2);
      process.stdout.write(
        `radius ${radiusM} m: ${RUNS} runs, p50 ${f(percentile(times, 50))} ms, p95 ${f(percentile(times, 95))} ms, p99 ${f(percentile(times, 99))} ms; ` +
          `${hits} queries with candidates, ${found} candidates\n`,
      );
    }
    const box = boundingBox({ lat: 47.664, lon: 9.175 }, 50);
    const plan = await db.execute(sql`explain analyze select id from cases
      where category_id = 3 and status in ('new','in_progress','waiting') and created_at >= now() - interval '30 days'
        and merged_into_id is null and lat between ${box.minLat} and ${box.maxLat} and lon between ${box.minLon} and ${box.maxLon}
      order by created_at desc limit 200`);
    const rows = (plan as unknown as { rows: Record<string, string>[] }).rows ?? (plan as unknown as Record<string, string>[]);
    for (const r of rows) process.stdout.write(`  ${Object.values(r)[0]}\n`);
  } finally {
    await database.close();
    await cluster?.stop();
  }
}

await main();
