/**
 * What the benches of public reads share (bench/public-map.ts, bench/open311.ts): the seeded town,
 * the app on a real port, an HTTP client with a fixed pool of keep-alive connections, timing rows
 * and the load average to print beside them. Not a test.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import type { LatLonBox } from '../src/features/transparency/projection/read.ts';
import { createInfrastructure } from '../src/infra/bootstrap.ts';
import type { Db } from '../src/infra/db.ts';
import { createLogger } from '../src/infra/log.ts';
import { type Cluster, findPgBin, startCluster } from '../test/helpers/postgres-cluster.ts';
import { fmt, runConcurrent, type Summary, summarize } from './stats.ts';

export type DbKind = 'postgres' | 'pglite';

/** The options both benches take: `--db postgres|pglite|both`, `--cases`, `--requests`, `--concurrency`. */
export function benchArgs(): { kinds: readonly DbKind[]; cases: number; requests: number; concurrency: number } {
  const { values } = parseArgs({
    options: {
      db: { type: 'string', default: 'both' },
      cases: { type: 'string', default: '100000' },
      requests: { type: 'string', default: '2000' },
      concurrency: { type: 'string', default: '32' },
    },
  });
  const kinds: readonly DbKind[] = values.db === 'both' ? ['postgres', 'pglite'] : [values.db as DbKind];
  return { kinds, cases: Number(values.cases), requests: Number(values.requests), concurrency: Number(values.concurrency) };
}

/** The seeded town: about 3 × 3.5 km. */
const SOUTH = 47.648;
const WEST = 9.155;
const HEIGHT = 0.032; // ≈ 3.5 km
const WIDTH = 0.04; // ≈ 3 km at this latitude
const BOX_LAT = 0.009; // ≈ 1 km
const BOX_LON = 0.013; // ≈ 1 km

/**
 * `n` published cases, one every 15 minutes up to now, spread evenly over the town, 20 categories,
 * the public statuses in fixed shares; written with generate_series and copied into public_cases
 * (the projection's table, written directly here for speed).
 */
export async function seedPublicCases(db: Db, n: number): Promise<void> {
  await db.execute(sql`insert into categories (slug, name, group_name)
    select 'kat-' || g, 'Kategorie ' || g, 'Gruppe ' || (g % 4) from generate_series(1, 20) g`);
  await db.execute(sql`insert into cases (number, tracking_token, channel, type, category_id, status, description, lat, lon, created_at, updated_at)
    select '2026-' || lpad(g::text, 6, '0'), md5(g::text), 'web', (array['defect','idea','complaint','question','praise'])[1 + g % 5],
      1 + g % 20, 'resolved', 'Die Laterne ist dunkel – Meldung ' || g,
      ${SOUTH} + random() * ${HEIGHT}, ${WEST} + random() * ${WIDTH},
      now() - (${n} - g) * interval '15 minutes', now()
    from generate_series(1, ${n}) g`);
  await db.execute(sql`insert into public_cases (case_id, number, status, type, category_id, category_slug, category_name, text, lat, lon,
      reported_at, published_at, updated_at)
    select c.id, c.number, (array['new','reviewing','in_progress','resolved','resolved','resolved','not_responsible','rejected','duplicate'])[1 + c.id % 9],
      c.type, c.category_id, k.slug, k.name, c.description, c.lat, c.lon, c.created_at, c.created_at, c.updated_at
    from cases c join categories k on k.id = c.category_id`);
  await db.execute(sql`analyze`);
}

/** A random box of about 1 × 1 km inside the town. */
export function randomBox(): LatLonBox {
  const minLat = SOUTH + Math.random() * (HEIGHT - BOX_LAT);
  const minLon = WEST + Math.random() * (WIDTH - BOX_LON);
  return { minLat, minLon, maxLat: minLat + BOX_LAT, maxLon: minLon + BOX_LON };
}

/** The box as `west,south,east,north` (GeoJSON's bbox and Open311's both take this order). */
export const bboxParam = (b: LatLonBox) => [b.minLon, b.minLat, b.maxLon, b.maxLat].map((x) => x.toFixed(6)).join(',');

export interface BenchServer {
  db: Db;
  /** GET over one of `concurrency` kept-alive connections. */
  get(path: string, headers?: Record<string, string>): Promise<{ status: number; body: string }>;
  close(): Promise<void>;
}

/**
 * The real app on 127.0.0.1 over the given database (a throwaway PostgreSQL cluster or PGlite in
 * a temporary folder). The client keeps exactly `concurrency` connections open for the whole run:
 * node:http with a keep-alive agent and maxSockets, instead of fetch's pool, which opens a new
 * connection whenever one is busy and reuses idle ones the server may be closing (see
 * docs/PERFORMANCE.md: ECONNRESET on PGlite). The server keeps an idle connection longer than
 * any wait in a run.
 */
export async function startBenchServer(kind: DbKind, concurrency: number, env: Record<string, string> = {}): Promise<BenchServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'amtsblatt-bench-public-'));
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
    // Every bench client comes from 127.0.0.1: a per-address limit would measure itself.
    MAP_REQUESTS_PER_IP_PER_MINUTE: '100000000',
    ...(cluster ? { DATABASE_URL: cluster.url } : {}),
    ...env,
  });
  const infra = await createInfrastructure(config, createLogger('silent'));
  const app: FastifyInstance = await buildApp(infra);
  await app.listen({ port: 0, host: '127.0.0.1' });
  app.server.keepAliveTimeout = 10 * 60_000;
  app.server.headersTimeout = 10 * 60_000 + 1000;
  app.server.requestTimeout = 0;
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency, maxFreeSockets: concurrency, timeout: 10 * 60_000 });
  const get = (path: string, headers: Record<string, string> = {}) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
  return {
    db: infra.database.db,
    get,
    async close() {
      agent.destroy();
      await app.close();
      await infra.close();
      await cluster?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Row {
  label: string;
  s: Summary;
}

/** Times `requests` calls of `task` at `concurrency` after a warm-up; prints and returns the row. */
export async function timeRow(label: string, requests: number, concurrency: number, task: (i: number) => Promise<void>): Promise<Row> {
  await runConcurrent(Math.min(200, requests), concurrency, task); // warm-up
  const { latencies, wallMs } = await runConcurrent(requests, concurrency, task);
  const s = summarize(latencies, wallMs);
  process.stdout.write(`  ${label}: ${fmt(s.perSecond, 0)}/s, p50 ${fmt(s.p50, 2)} ms, p99 ${fmt(s.p99, 2)} ms\n`);
  return { label, s };
}

/** The 1, 5 and 15 minute load averages, for the line beside the figures. */
export const loadAverage = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' / ');
