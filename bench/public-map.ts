/**
 * The public map and list at 100,000 published cases (docs/PERFORMANCE.md). Not a test.
 *
 *   npx tsx bench/public-map.ts                      # both databases: throwaway PostgreSQL cluster, then PGlite
 *   npx tsx bench/public-map.ts --db postgres --requests 500
 *
 * For each database: 100,000 cases spread over a town of about 3 × 3.5 km are generated with
 * generate_series and copied into public_cases (the projection's table, written directly here
 * for speed). Then, with 32 concurrent keep-alive clients over the real HTTP server (fetch in the
 * bench process against app.listen on 127.0.0.1), it times the GeoJSON endpoint for random
 * boxes of about 1 × 1 km and the first list page; beside each, the same reader
 * (publicCasePoints; publicCaseCount + publicCasePage) run directly against the database with the
 * same concurrency, as the baseline. Every box is checked to return features.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { PAGE_SIZE } from '../src/features/public-reports/filters.ts';
import { MAP_CAP } from '../src/features/public-reports/geojson.ts';
import { type LatLonBox, publicCaseCount, publicCasePage, publicCasePoints } from '../src/features/transparency/projection/read.ts';
import { createInfrastructure } from '../src/infra/bootstrap.ts';
import type { Db } from '../src/infra/db.ts';
import { createLogger } from '../src/infra/log.ts';
import { type Cluster, findPgBin, startCluster } from '../test/helpers/postgres-cluster.ts';
import { fmt, runConcurrent, type Summary, summarize } from './stats.ts';

const { values: args } = parseArgs({
  options: {
    db: { type: 'string', default: 'both' },
    cases: { type: 'string', default: '100000' },
    requests: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '32' },
  },
});
const N = Number(args.cases);
const REQUESTS = Number(args.requests);
const CONCURRENCY = Number(args.concurrency);
const SOUTH = 47.648;
const WEST = 9.155;
const HEIGHT = 0.032; // ≈ 3.5 km
const WIDTH = 0.04; // ≈ 3 km at this latitude
const BOX_LAT = 0.009; // ≈ 1 km
const BOX_LON = 0.013; // ≈ 1 km

async function seed(db: Db) {
  await db.execute(sql`insert into categories (slug, name, group_name)
    select 'kat-' || g, 'Kategorie ' || g, 'Gruppe ' || (g % 4) from generate_series(1, 20) g`);
  await db.execute(sql`insert into cases (number, tracking_token, channel, type, category_id, status, description, lat, lon, created_at, updated_at)
    select '2026-' || lpad(g::text, 6, '0'), md5(g::text), 'web', (array['defect','idea','complaint','question','praise'])[1 + g % 5],
      1 + g % 20, 'resolved', 'Die Laterne ist dunkel – Meldung ' || g,
      ${SOUTH} + random() * ${HEIGHT}, ${WEST} + random() * ${WIDTH},
      now() - (${N} - g) * interval '15 minutes', now()
    from generate_series(1, ${N}) g`);
  await db.execute(sql`insert into public_cases (case_id, number, status, type, category_id, category_slug, category_name, text, lat, lon,
      reported_at, published_at, updated_at)
    select c.id, c.number, (array['new','reviewing','in_progress','resolved','resolved','resolved','not_responsible','rejected','duplicate'])[1 + c.id % 9],
      c.type, c.category_id, k.slug, k.name, c.description, c.lat, c.lon, c.created_at, c.created_at, c.updated_at
    from cases c join categories k on k.id = c.category_id`);
  await db.execute(sql`analyze`);
}

function randomBox(): LatLonBox {
  const minLat = SOUTH + Math.random() * (HEIGHT - BOX_LAT);
  const minLon = WEST + Math.random() * (WIDTH - BOX_LON);
  return { minLat, minLon, maxLat: minLat + BOX_LAT, maxLon: minLon + BOX_LON };
}
const bboxParam = (b: LatLonBox) => [b.minLon, b.minLat, b.maxLon, b.maxLat].map((x) => x.toFixed(6)).join(',');

interface Row {
  label: string;
  s: Summary;
}

async function measure(kind: 'postgres' | 'pglite'): Promise<Row[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'amtsblatt-bench-map-'));
  let cluster: Cluster | null = null;
  if (kind === 'postgres') {
    const bin = findPgBin();
    if (!bin) throw new Error('PostgreSQL (initdb) not found: apt-get install postgresql');
    cluster = await startCluster(bin);
  }
  const config = loadConfig({
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    DEMO_DATA: 'false',
    PORT: '0',
    ...(cluster ? { DATABASE_URL: cluster.url } : {}),
  });
  const infra = await createInfrastructure(config, createLogger('silent'));
  const app = await buildApp(infra);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const db = infra.database.db;
  const rows: Row[] = [];
  try {
    const t0 = performance.now();
    await seed(db);
    process.stdout.write(`${kind}: seeded ${N} published cases in ${Math.round(performance.now() - t0)} ms\n`);

    const boxes = Array.from({ length: REQUESTS }, randomBox);
    let empty = 0;
    let features = 0;
    const time = async (label: string, task: (i: number) => Promise<void>) => {
      await runConcurrent(Math.min(200, REQUESTS), CONCURRENCY, task); // warm-up
      const { latencies, wallMs } = await runConcurrent(REQUESTS, CONCURRENCY, task);
      const s = summarize(latencies, wallMs);
      rows.push({ label, s });
      process.stdout.write(`  ${label}: ${fmt(s.perSecond, 0)}/s, p50 ${fmt(s.p50, 2)} ms, p99 ${fmt(s.p99, 2)} ms\n`);
    };

    await time('bbox query, direct (baseline)', async (i) => {
      const { points } = await publicCasePoints(db, { box: boxes[i] as LatLonBox }, MAP_CAP);
      if (points.length === 0) empty++;
    });
    await time('GET /meldungen/karte.geojson', async (i) => {
      const res = await fetch(`${base}/meldungen/karte.geojson?bbox=${bboxParam(boxes[i] as LatLonBox)}`, {
        headers: { accept: 'application/geo+json' },
      });
      if (res.status !== 200) throw new Error(`GeoJSON answered ${res.status}: ${await res.text()}`);
      const body = (await res.json()) as { features: unknown[] };
      features += body.features.length;
      if (body.features.length === 0) empty++;
    });
    if (empty > 0) throw new Error(`${empty} boxes returned no features`);
    process.stdout.write(
      `  every box had features; ${fmt(features / (REQUESTS + Math.min(200, REQUESTS)), 0)} per answer on average (cap ${MAP_CAP})\n`,
    );

    await time('list page 1 queries, direct (count + page)', async () => {
      await Promise.all([publicCaseCount(db, {}), publicCasePage(db, {}, { offset: 0, limit: PAGE_SIZE })]);
    });
    await time('GET /meldungen', async () => {
      const res = await fetch(`${base}/meldungen`, { headers: { accept: 'text/html' } });
      if (res.status !== 200) throw new Error(`/meldungen answered ${res.status}`);
      await res.text();
    });
  } finally {
    await app.close();
    await infra.close();
    await cluster?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return rows;
}

const kinds = args.db === 'both' ? (['postgres', 'pglite'] as const) : [args.db as 'postgres' | 'pglite'];
for (const kind of kinds) {
  const rows = await measure(kind);
  const share = (a: number, b: number) => `${fmt(((rows[a]?.s.perSecond ?? 0) / (rows[b]?.s.perSecond ?? 1)) * 100, 0)} %`;
  process.stdout.write(`${kind}: GeoJSON / direct ${share(1, 0)}, list / direct ${share(3, 2)}\n`);
}
