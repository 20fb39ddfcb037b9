/**
 * Open311 GET requests.json at 100,000 published cases (docs/PERFORMANCE.md). Not a test.
 *
 *   npx tsx bench/open311.ts                      # both databases: throwaway PostgreSQL cluster, then PGlite
 *   npx tsx bench/open311.ts --db pglite --requests 300
 *
 * The town of bench/public-map.ts (bench/public-bench.ts seedPublicCases: one case every 15 minutes,
 * so about 8,600 fall into Open311's default window of 90 days). With 32 concurrent keep-alive
 * clients over the real HTTP server it times `GET /georeport/v2/requests.json?bbox=…&status=open`
 * for random boxes of about 1 × 1 km, with an API key (an anonymous client gets 120 a minute);
 * beside it, the same reader (publicCasePage with the filter parseRequestsQuery makes) run directly
 * against the database with the same concurrency, in the same run. Every answer is checked to
 * hold requests.
 */
import { createApiKey, MAX_RATE } from '../src/features/open311/api-keys.ts';
import { parseRequestsQuery } from '../src/features/open311/query.ts';
import { publicCasePage } from '../src/features/transparency/projection/read.ts';
import { createLogger } from '../src/infra/log.ts';
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
  const rows: Row[] = [];
  try {
    const t0 = performance.now();
    await seedPublicCases(server.db, N);
    process.stdout.write(`${kind}: seeded ${N} published cases in ${Math.round(performance.now() - t0)} ms (load ${loadAverage()})\n`);
    // The key's budget must outlast a run: the warm-up and the run within a minute stay under MAX_RATE.
    if (REQUESTS + 200 > MAX_RATE) throw new Error(`at most ${MAX_RATE - 200} requests: one key may make ${MAX_RATE} a minute`);
    const { key } = await createApiKey({ db: server.db, log: createLogger('silent') }, null, {
      name: 'Bench',
      requestsPerMinute: MAX_RATE,
    });

    const boxes = Array.from({ length: REQUESTS }, () => bboxParam(randomBox()));
    const queryOf = (i: number) => ({ bbox: boxes[i] as string, status: 'open' });
    let found = 0;
    let answers = 0;
    const count = (n: number) => {
      if (n === 0) throw new Error('a box returned no requests: the bench would measure nothing');
      found += n;
      answers++;
    };
    rows.push(
      await timeRow('bbox + status query, direct (baseline)', REQUESTS, CONCURRENCY, async (i) => {
        const q = parseRequestsQuery(queryOf(i), new Date());
        count((await publicCasePage(server.db, q.filter, { offset: q.offset, limit: q.limit })).rows.length);
      }),
    );
    rows.push(
      await timeRow('GET /georeport/v2/requests.json', REQUESTS, CONCURRENCY, async (i) => {
        const res = await server.get(`/georeport/v2/requests.json?${new URLSearchParams(queryOf(i))}`, { 'x-api-key': key });
        if (res.status !== 200) throw new Error(`requests.json answered ${res.status}: ${res.body.slice(0, 200)}`);
        count((JSON.parse(res.body) as unknown[]).length);
      }),
    );
    process.stdout.write(`  ${fmt(found / answers, 0)} requests per answer on average (load ${loadAverage()})\n`);
  } finally {
    await server.close();
  }
  return rows;
}

for (const kind of kinds) {
  const rows = await measure(kind);
  const share = ((rows[1]?.s.perSecond ?? 0) / (rows[0]?.s.perSecond ?? 1)) * 100;
  process.stdout.write(`${kind}: requests.json / direct ${fmt(share, 0)} %\n`);
}
