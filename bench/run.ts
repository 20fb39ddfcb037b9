/**
 * Performance figures for docs/PERFORMANCE.md (npm run bench). Not a test: it prints numbers.
 *
 * For each database (embedded PGlite and a PostgreSQL server) it measures, in one run so the figures
 * share the machine's momentary load:
 *   1. baseline: raw single-row INSERTs of the same case data through the driver, 16 at a time;
 *   2. intake over HTTP: the report form posted (multipart, no photo) by 16 concurrent clients → stored
 *      case, reports/s and p50/p99 latency;
 *   3. the staff inbox with 100,000 cases: first page, a filtered page, two searches (each must find something), page 2.
 *
 * Options: --db pglite|postgres|both (default both), --requests N (default 2000), --cases N (100000),
 * --inbox-requests N (200), --pool N (app's PostgreSQL pool size). PostgreSQL: BENCH_DATABASE_URL, else a throwaway cluster (initdb/pg_ctl).
 */
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { hash } from '@node-rs/argon2';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { createSession, SESSION_COOKIE } from '../src/features/auth/session.ts';
import { createInfrastructure, type Infrastructure } from '../src/infra/bootstrap.ts';
import { createLogger } from '../src/infra/log.ts';
import { cases, users } from '../src/infra/schema/index.ts';
import { seedBasics } from '../test/helpers/fixtures.ts';
import { type Cluster, findPgBin, startCluster } from '../test/helpers/postgres-cluster.ts';
import { boundNonces, DESCRIPTIONS, formSession } from './form-session.ts';
import type { ClientJob, ClientResult } from './intake-client.ts';
import { fmt, runConcurrent, type Summary, summarize } from './stats.ts';

const { values: args } = parseArgs({
  options: {
    db: { type: 'string', default: 'both' },
    requests: { type: 'string', default: '2000' },
    cases: { type: 'string', default: '100000' },
    'inbox-requests': { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '16' },
    /** PostgreSQL pool size of the app (openDatabase's default is 10), to compare settings. */
    pool: { type: 'string' },
  },
});
const REQUESTS = Number(args.requests);
const CASES = Number(args.cases);
const INBOX_REQUESTS = Number(args['inbox-requests']);
const CONCURRENCY = Number(args.concurrency);

interface Target {
  kind: 'pglite' | 'postgres';
  infra: Infrastructure;
  app: FastifyInstance;
  baseUrl: string;
  dataDir: string;
  cleanup(): Promise<void>;
}

async function openTarget(kind: 'pglite' | 'postgres'): Promise<Target> {
  const dataDir = mkdtempSync(join(tmpdir(), 'amtsblatt-bench-'));
  let cluster: Cluster | null = null;
  let url: string | undefined;
  if (kind === 'postgres') {
    url = process.env.BENCH_DATABASE_URL;
    if (!url) {
      const bin = findPgBin();
      if (!bin) throw new Error('PostgreSQL (initdb) not found: apt-get install postgresql, or set BENCH_DATABASE_URL');
      cluster = await startCluster(bin);
      url = cluster.url;
    }
  }
  // All benchmark clients share one address, so the per-address report limit is lifted.
  const config = loadConfig({
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    DEMO_DATA: 'false',
    PORT: '0',
    REPORTS_PER_IP_PER_10MIN: '1000000',
    ...(url ? { DATABASE_URL: url } : {}),
  });
  const infra = await createInfrastructure(config, createLogger('silent'));
  // pg-pool reads `max` whenever it needs a client, so raising it after creation takes effect.
  if (args.pool && infra.database.kind === 'postgres') infra.database.pool.options.max = Number(args.pool);
  const app = await buildApp(infra);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    kind,
    infra,
    app,
    baseUrl: `http://127.0.0.1:${port}`,
    dataDir,
    async cleanup() {
      await app.close();
      await infra.close();
      cluster?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Runs one SQL statement with parameters on whichever driver the target uses. */
async function rawQuery(t: Target, text: string, params: unknown[] = []): Promise<void> {
  const d = t.infra.database;
  if (d.kind === 'pglite') await d.pglite.query(text, params);
  else await d.pool.query(text, params);
}

async function benchRawInsert(t: Target): Promise<Summary> {
  const tag = randomBytes(3).toString('hex');
  const { latencies, wallMs } = await runConcurrent(REQUESTS, CONCURRENCY, (i) =>
    rawQuery(
      t,
      `insert into cases (number, tracking_token, channel, external_id, type, description, location_text, consent_at)
       values ($1, $2, 'web', $3, 'defect', $4, $5, now())`,
      [
        `R${tag}-${i}`,
        randomBytes(24).toString('base64url'),
        `raw-${tag}-${i}`,
        DESCRIPTIONS[i % DESCRIPTIONS.length],
        `Marktstätte ${i % 40}`,
      ],
    ),
  );
  return summarize(latencies, wallMs);
}

async function benchIntake(t: Target): Promise<Summary> {
  // One form load gives a CSRF token and its cookie; a browser would reuse them the same way.
  const { token, cookie, clientSecret } = await formSession(t.baseUrl);
  const minted = boundNonces(t.infra.sessionSecret, clientSecret, REQUESTS);
  const job: ClientJob = {
    url: t.baseUrl,
    csrfToken: token,
    cookie,
    requests: REQUESTS,
    concurrency: CONCURRENCY,
    nonces: minted.nonces,
    descriptions: DESCRIPTIONS,
  };
  const result = await runClientProcess(job);
  if (result.failures > 0) throw new Error(`${result.failures} intake requests did not answer 303 (first: ${result.firstFailure})`);
  const [{ stored } = { stored: 0 }] = await t.infra.database.db
    .select({ stored: sql<number>`count(*)::int` })
    .from(cases)
    .where(sql`${cases.externalId} like ${`web:${minted.prefix}%`}`);
  if (stored !== REQUESTS) throw new Error(`intake stored ${stored} cases for ${REQUESTS} requests`);
  return summarize(result.latencies, result.wallMs);
}

/** The clients run in their own process (bench/intake-client.ts), not on the server's event loop. */
function runClientProcess(job: ClientJob): Promise<ClientResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL('./intake-client.ts', import.meta.url)), [], { execArgv: [], stdio: 'inherit' });
    let result: ClientResult | null = null;
    child.once('message', (m) => {
      result = m as ClientResult;
    });
    child.once('error', reject);
    child.once('exit', (code) => (result ? resolve(result) : reject(new Error(`intake client exited with ${code}`))));
    child.send(job);
  });
}

async function fillCases(t: Target, teamIds: number[]): Promise<number> {
  const started = performance.now();
  const batch = 20_000;
  for (let from = 1; from <= CASES; from += batch) {
    const to = Math.min(CASES, from + batch - 1);
    await rawQuery(
      t,
      `insert into cases (number, tracking_token, channel, type, team_id, status, description, location_text, created_at, updated_at)
       select 'B-' || g, md5(g::text) || '-' || g, (array['web','email','phone'])[1 + g % 3],
              (array['defect','idea','complaint','question','praise'])[1 + g % 5],
              ($3::int[])[1 + g % cardinality($3::int[])],
              (array['new','in_progress','resolved','resolved'])[1 + g % 4],
              (array[${DESCRIPTIONS.map((d) => `'${d.replaceAll("'", "''")}'`).join(',')}])[1 + g % ${DESCRIPTIONS.length}] || ' (Meldung ' || g || ')',
              'Musterweg ' || (g % 300), now() - (g || ' minutes')::interval, now()
       from generate_series($1::int, $2::int) g`,
      [from, to, teamIds],
    );
  }
  await rawQuery(t, 'analyze cases');
  return performance.now() - started;
}

async function benchInbox(t: Target, cookie: string): Promise<Record<string, Summary>> {
  const get = async (path: string) => {
    const res = await fetch(`${t.baseUrl}${path}`, { headers: { cookie, accept: 'text/html' } });
    const body = await res.text();
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
    return body;
  };
  const first = await get('/staff?status=alle');
  const next = /href="(\/staff\?[^"]*nach=[^"]+)"/.exec(first)?.[1]?.replaceAll('&amp;', '&');
  if (!next) throw new Error('no "Weiter" link on the inbox');
  const paths: Record<string, string> = {
    'first page, all cases': '/staff?status=alle',
    'open cases (default view)': '/staff',
    'filter: type + status': '/staff?status=new&art=idea',
    'search "laterne" (part of "Straßenlaterne")': '/staff?status=alle&q=laterne',
    'search "Sperrmüll Container" (two words)': '/staff?status=alle&q=Sperrmüll+Container',
    'page 2 (keyset cursor)': next,
  };
  const results: Record<string, Summary> = {};
  for (const [label, path] of Object.entries(paths)) {
    // A search that finds nothing would time the cheapest case, not the one staff wait for.
    if (path.includes('q=') && !(await get(path)).includes('data-case=')) throw new Error(`${label}: the search found nothing`);
    for (let i = 0; i < 5; i++) await get(path); // warm-up
    const { latencies, wallMs } = await runConcurrent(INBOX_REQUESTS, 1, async () => {
      await get(path);
    });
    results[label] = summarize(latencies, wallMs);
  }
  return results;
}

async function signInAdmin(t: Target): Promise<string> {
  const db = t.infra.database.db;
  const [user] = await db
    .insert(users)
    .values({ email: 'bench@musterstadt.example', displayName: 'Bench', passwordHash: await hash('bench-password-123'), role: 'admin' })
    .returning({ id: users.id });
  if (!user) throw new Error('no user');
  const session = await createSession(db, t.infra.clock, user.id);
  return `${SESSION_COOKIE}=${t.app.signCookie(session.cookieValue)}`;
}

async function benchOne(kind: 'pglite' | 'postgres') {
  process.stderr.write(`\n[${kind}] starting…\n`);
  const t = await openTarget(kind);
  try {
    const town = await seedBasics(t.infra.database.db);
    const raw = await benchRawInsert(t);
    process.stderr.write(`[${kind}] raw insert done\n`);
    const intake = await benchIntake(t);
    process.stderr.write(`[${kind}] intake done\n`);
    const fillMs = await fillCases(
      t,
      Object.values(town.teams).map((x) => x.id),
    );
    process.stderr.write(`[${kind}] ${CASES} cases inserted in ${fmt(fillMs / 1000)} s\n`);
    const inbox = await benchInbox(t, await signInAdmin(t));
    return { kind, raw, intake, inbox };
  } finally {
    await t.cleanup();
  }
}

const kinds: ('pglite' | 'postgres')[] = args.db === 'both' ? ['pglite', 'postgres'] : [args.db as 'pglite' | 'postgres'];
const out: string[] = [];
out.push(
  `Run: ${new Date().toISOString()} · Node ${process.versions.node} · ${REQUESTS} requests, concurrency ${CONCURRENCY}, ${CASES} cases`,
);
for (const kind of kinds) {
  const r = await benchOne(kind);
  out.push('', `### ${kind}`, '', '| measurement | rate/s | p50 ms | p99 ms |', '|---|---|---|---|');
  out.push(`| raw single-row INSERT (baseline) | ${fmt(r.raw.perSecond, 0)} | ${fmt(r.raw.p50, 2)} | ${fmt(r.raw.p99, 2)} |`);
  out.push(
    `| report intake over HTTP (form post → stored case) | ${fmt(r.intake.perSecond, 0)} | ${fmt(r.intake.p50, 2)} | ${fmt(r.intake.p99, 2)} |`,
  );
  out.push(`| intake / raw insert | ${fmt((100 * r.intake.perSecond) / r.raw.perSecond, 0)} % | | |`);
  for (const [label, s] of Object.entries(r.inbox))
    out.push(`| inbox at ${CASES} cases: ${label} | ${fmt(s.perSecond, 0)} | ${fmt(s.p50, 2)} | ${fmt(s.p99, 2)} |`);
}
process.stdout.write(`${out.join('\n')}\n`);
process.exit(0);
