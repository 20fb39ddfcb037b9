/**
 * The public map and list at 100,000 published cases (docs/PERFORMANCE.md). Not a test.
 *
 *   npx tsx bench/public-map.ts                      # both databases: throwaway PostgreSQL cluster, then PGlite
 *   npx tsx bench/public-map.ts --db postgres --requests 500
 *
 * For each database: 100,000 cases spread over a town of about 3 × 3.5 km (bench/public-bench.ts
 * seedPublicCases). Then, with 32 concurrent keep-alive clients over the real HTTP server (a
 * node:http agent with 32 sockets in the bench process against app.listen on 127.0.0.1), it times
 * the GeoJSON endpoint for random boxes of about 1 × 1 km and the first list page; beside each,
 * the same reader (publicCasePoints; publicCaseCountUpTo + publicCasePage, and the full count the
 * list used before) run directly against the database with the same concurrency, as the
 * baseline. Every box is checked to return features.
 */
import { COUNT_CAP, PAGE_SIZE } from '../src/features/public-reports/filters.ts';
import { MAP_CAP } from '../src/features/public-reports/geojson.ts';
import {
  type LatLonBox,
  publicCaseCount,
  publicCaseCountUpTo,
  publicCasePage,
  publicCasePoints,
} from '../src/features/transparency/projection/read.ts';
import {
  bboxParam,
  benchArgs,
  type DbKind,
  loadAverage,
  type Row,
  randomBox,
  seedPublicCases,
  startBenchServer,
  timeRow,
} from './public-bench.ts';
import { fmt } from './stats.ts';

const { kinds, cases: N, requests: REQUESTS, concurrency: CONCURRENCY } = benchArgs();

async function measure(kind: DbKind): Promise<Row[]> {
  const server = await startBenchServer(kind, CONCURRENCY);
  const db = server.db;
  const rows: Row[] = [];
  try {
    const t0 = performance.now();
    await seedPublicCases(db, N);
    process.stdout.write(`${kind}: seeded ${N} published cases in ${Math.round(performance.now() - t0)} ms (load ${loadAverage()})\n`);

    const boxes = Array.from({ length: REQUESTS }, randomBox);
    let empty = 0;
    let features = 0;
    const time = async (label: string, task: (i: number) => Promise<void>) => {
      rows.push(await timeRow(label, REQUESTS, CONCURRENCY, task));
    };

    await time('bbox query, direct (baseline)', async (i) => {
      const { points } = await publicCasePoints(db, { box: boxes[i] as LatLonBox }, MAP_CAP);
      if (points.length === 0) empty++;
    });
    await time('GET /meldungen/karte.geojson', async (i) => {
      const res = await server.get(`/meldungen/karte.geojson?bbox=${bboxParam(boxes[i] as LatLonBox)}`, {
        accept: 'application/geo+json',
      });
      if (res.status !== 200) throw new Error(`GeoJSON answered ${res.status}: ${res.body.slice(0, 200)}`);
      const body = JSON.parse(res.body) as { features: unknown[] };
      features += body.features.length;
      if (body.features.length === 0) empty++;
    });
    if (empty > 0) throw new Error(`${empty} boxes returned no features`);
    process.stdout.write(
      `  every box had features; ${fmt(features / (REQUESTS + Math.min(200, REQUESTS)), 0)} per answer on average (cap ${MAP_CAP})\n`,
    );

    // What the list cost before the count stopped at COUNT_CAP, then what it costs now.
    await time('list page 1 queries, direct (full count + page)', async () => {
      await Promise.all([publicCaseCount(db, {}), publicCasePage(db, {}, { offset: 0, limit: PAGE_SIZE })]);
    });
    await time('list page 1 queries, direct (capped count + page)', async () => {
      await Promise.all([publicCaseCountUpTo(db, {}, COUNT_CAP), publicCasePage(db, {}, { offset: 0, limit: PAGE_SIZE })]);
    });
    await time('GET /meldungen', async () => {
      const res = await server.get('/meldungen', { accept: 'text/html' });
      if (res.status !== 200) throw new Error(`/meldungen answered ${res.status}`);
    });
    process.stdout.write(`  load ${loadAverage()}\n`);
  } finally {
    await server.close();
  }
  return rows;
}

for (const kind of kinds) {
  const rows = await measure(kind);
  const share = (a: number, b: number) => `${fmt(((rows[a]?.s.perSecond ?? 0) / (rows[b]?.s.perSecond ?? 1)) * 100, 0)} %`;
  process.stdout.write(`${kind}: GeoJSON / direct ${share(1, 0)}, list / direct (capped count) ${share(4, 3)}\n`);
}
