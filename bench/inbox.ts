/**
 * Inbox speed at 100,000 cases: generates them with generate_series, then times each inbox query
 * shape (page + capped count, as the page runs them) and prints p50/p95/p99 and the plans.
 *
 *   npx tsx bench/inbox.ts              # throwaway PostgreSQL cluster (initdb from Debian's PostgreSQL)
 *   DATABASE_URL=postgres://… npx tsx bench/inbox.ts   # an existing, EMPTY database
 *   npx tsx bench/inbox.ts --pglite     # embedded PGlite
 *   npx tsx bench/inbox.ts --cases 1000000 --only search   # another size, only the search rows
 * Each search row must find something (checked before it is timed). The rows "(before)" time the
 * search as it was (German full text only, page and count along the date index) in the same run.
 * Figures go to docs/PERFORMANCE.md.
 */
import { and, sql } from 'drizzle-orm';
import type { Viewer } from '../src/features/cases/access.ts';
import { encodeCursor, type InboxFilters } from '../src/features/cases/inbox-filters.ts';
import { inboxConditions, loadInbox } from '../src/features/cases/inbox-query.ts';
import { searchHitsQuery, withBitmapScans } from '../src/features/cases/inbox-search.ts';
import { type Db, openDatabase, runMigrations } from '../src/infra/db.ts';
import { cases } from '../src/infra/schema/index.ts';
import { findPgBin, startCluster } from '../test/helpers/postgres-cluster.ts';

const N = process.argv.includes('--cases') ? Number(process.argv[process.argv.indexOf('--cases') + 1]) : 100_000;
const RUNS = Number(process.env.RUNS ?? 200);
const usePglite = process.argv.includes('--pglite');
/** `--only TEXT`: time only the scenarios whose name contains TEXT (e.g. --only "by due"). */
const only = process.argv.includes('--only') ? (process.argv[process.argv.indexOf('--only') + 1] ?? '') : '';

async function seed(db: Db) {
  await db.execute(sql`insert into teams (slug, name) select 'team-' || g, 'Team ' || g from generate_series(1, 10) g`);
  await db.execute(sql`insert into categories (slug, name, group_name, default_team_id)
    select 'kat-' || g, 'Kategorie ' || g, 'Gruppe ' || (g % 4), 1 + g % 10 from generate_series(1, 20) g`);
  await db.execute(sql`insert into users (email, display_name, password_hash) values ('a@example.org', 'A', 'x')`);
  await db.execute(sql`insert into team_members (user_id, team_id) values (1, 1), (1, 2)`);
  // Cases one every 15 minutes (three years at 100,000); older ones mostly closed, the newest 10,000 open;
  // 2 % without team (triage), a third assigned. Texts for the search: "Laterne" alone and inside
  // "Straßenlaterne" (a sixth of all cases), "Schule" in another sixth, and both together only in
  // one case of 10,007 ("Laterne Schule": two common words that rarely meet).
  await db.execute(sql`insert into cases (number, tracking_token, channel, type, category_id, team_id, assignee_id, status,
      description, location_text, created_at, updated_at)
    select '2026-' || lpad(g::text, 6, '0'), md5(g::text),
      (array['web','email','phone','fax','walk_in'])[1 + g % 5],
      (array['defect','idea','complaint','question','praise'])[1 + (g / 7) % 5],
      1 + g % 20,
      case when g % 50 = 0 then null else 1 + (g / 3) % 10 end,
      case when g % 3 = 0 then 1 else null end,
      case when g > ${N - 10_000} then (array['new','in_progress'])[1 + g % 2]
           when g % 25 = 0 then 'in_progress'
           else (array['resolved','resolved','rejected','forwarded'])[1 + g % 4] end,
      case when g % 10007 = 0 then 'Die Laterne vor der Schule flackert'
           else (array['Die Laterne ist defekt','Müll am Ufer abgeladen','Schlagloch in der Straße','Idee: ein Trinkbrunnen am Markt',
             'Bank im Park kaputt','Lärm vor der Schule in der Nacht','Die Straßenlaterne ist dunkel','Müll am Ufer abgeladen',
             'Schlagloch in der Straße','Idee: ein Trinkbrunnen am Markt','Bank im Park kaputt','Lärm vor der Schule in der Nacht'])[1 + g % 12]
      end || ' – Meldung ' || g,
      'Hauptstraße ' || (g % 300),
      now() - (${N} - g) * interval '15 minutes', now()
    from generate_series(1, ${N}) g`);
  // Every case has a clock (a default policy); it runs (due_at set) only while the case is open.
  await db.execute(sql`insert into case_slas (case_id, policy_name, started_at, response_minutes, resolution_minutes, warn_percent,
      response_due_at, resolution_due_at, due_kind, due_at, warn_at, paused_since)
    select id, 'Standard', created_at, 480, 2400, 80, created_at + interval '1 day', created_at + interval '5 days',
      case when status in ('new', 'in_progress') then 'response' end,
      case when status in ('new', 'in_progress') then created_at + (8 + id % 40) * interval '1 hour' end,
      case when status in ('new', 'in_progress') then created_at + (6 + id % 40) * interval '1 hour' end,
      case when status in ('new', 'in_progress') then null else updated_at end
    from cases`);
  // Autovacuum's steady state: the GIN indexes' pending lists merged (a search reads a pending list row by row).
  await db.execute(sql`vacuum analyze`);
}

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
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

    const staff: Viewer = { id: 1, role: 'staff', teamIds: [1, 2] };
    const admin: Viewer = { id: 99, role: 'admin', teamIds: [] };
    const deepCursor = await cursorAt(db, 5000);
    const dueCursor = (await loadInbox(db, staff, { status: 'offen', sortierung: 'faelligkeit' })).next ?? '';
    const infinityCursor = encodeCursor({ createdAt: 'infinity', id: 50_000 });

    const all: [string, Viewer, InboxFilters][] = [
      ['staff, default (open)', staff, { status: 'offen' }],
      ['admin, default (open)', admin, { status: 'offen' }],
      ['staff, alle', staff, { status: 'alle' }],
      ['admin, alle', admin, { status: 'alle' }],
      ['staff, alle, page 101 (cursor)', staff, { status: 'alle', nach: deepCursor }],
      ['staff, search "laterne" (also in compounds), alle', staff, { status: 'alle', q: 'laterne' }],
      ['admin, search "Trinkbrunnen", erledigt', admin, { status: 'resolved', q: 'Trinkbrunnen' }],
      ['admin, search "Laterne Schule" (rarely together), alle', admin, { status: 'alle', q: 'Laterne Schule' }],
      ['admin, search "Laterne Schule" (rarely together), offen', admin, { status: 'offen', q: 'Laterne Schule' }],
      ['admin, search "Schlagloch Straße" (always together), alle', admin, { status: 'alle', q: 'Schlagloch Straße' }],
      ['admin, search by number', admin, { status: 'alle', q: '2026-054321' }],
      ['admin, search no hit', admin, { status: 'alle', q: 'Zeppelin' }],
      ['admin, fax, alle', admin, { status: 'alle', kanal: 'fax' }],
      ['staff, team 2, Kategorie 3', staff, { status: 'alle', team: '2', kategorie: '3' }],
      ['staff, mir zugewiesen, offen', staff, { status: 'offen', zuweisung: 'mir' }],
      ['admin, ohne Team, alle', admin, { status: 'alle', team: 'ohne' }],
      ['staff, open, by due time', staff, { status: 'offen', sortierung: 'faelligkeit' }],
      ['admin, open, by due time', admin, { status: 'offen', sortierung: 'faelligkeit' }],
      ['admin, alle, by due time', admin, { status: 'alle', sortierung: 'faelligkeit' }],
      ['staff, open, by due time, page 2 (cursor)', staff, { status: 'offen', sortierung: 'faelligkeit', nach: dueCursor }],
      ['admin, alle, by due time, past the running clocks', admin, { status: 'alle', sortierung: 'faelligkeit', nach: infinityCursor }],
      ['admin, erledigt, by due time (no running clock)', admin, { status: 'resolved', sortierung: 'faelligkeit' }],
    ];
    const scenarios = all.filter(([name]) => !only || name.includes(only));
    process.stdout.write(`\n| Query | hits | p50 ms | p95 ms | p99 ms |\n|---|---:|---:|---:|---:|\n`);
    const time = async (name: string, hits: string, run: () => Promise<unknown>) => {
      for (let i = 0; i < 10; i++) await run();
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const t = performance.now();
        await run();
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      const f = (n: number) => n.toFixed(1);
      process.stdout.write(
        `| ${name} | ${hits} | ${f(percentile(times, 50))} | ${f(percentile(times, 95))} | ${f(percentile(times, 99))} |\n`,
      );
    };
    for (const [name, viewer, filters] of scenarios) {
      const first = await loadInbox(db, viewer, filters);
      const hits = `${first.total.capped ? '>' : ''}${first.total.count}`;
      // A search row must time a search that finds what it looks for (only "no hit" is meant to be empty).
      if (filters.q && !name.includes('no hit') && first.rows.length === 0) throw new Error(`${name}: the search found nothing`);
      await time(name, hits, () => loadInbox(db, viewer, filters));
      if (filters.q && !/^[\d-]+$/.test(filters.q) && !process.argv.includes('--no-before')) {
        await time(`${name} (before)`, '', () => loadBefore(db, viewer, filters));
      }
    }
    if (process.argv.includes('--explain')) {
      for (const [name, viewer, filters] of scenarios) {
        const where = and(...inboxConditions(viewer, filters));
        if (filters.q) {
          // A search first collects its hits through bitmap index scans (inbox-search.ts).
          const plan = (await withBitmapScans(db, (tx) =>
            tx.execute(sql`explain (analyze, costs off, timing off) ${searchHitsQuery(tx, inboxConditions(viewer, filters))}`),
          )) as { rows: Record<string, string>[] };
          const lines = plan.rows.map((r) => Object.values(r)[0]).join('\n');
          process.stdout.write(`\n-- ${name}: hits\n${lines}\n`);
        }
        const query = db
          .select({ id: cases.id })
          .from(cases)
          .where(where)
          .orderBy(sql`${cases.createdAt} desc nulls last`, sql`${cases.id} desc nulls last`)
          .limit(51)
          .toSQL();
        const plan = await explain(database, query.sql, query.params);
        const count = db
          .select({ one: sql`1` })
          .from(cases)
          .where(where)
          .orderBy(sql`${cases.createdAt} desc nulls last`, sql`${cases.id} desc nulls last`)
          .limit(1001)
          .toSQL();
        const countPlan = await explain(database, `select count(*) from (${count.sql}) c`, count.params);
        process.stdout.write(`\n-- ${name}: page\n${plan}\n-- ${name}: capped count\n${countPlan}\n`);
      }
    }
  } finally {
    await database.close();
    cluster?.stop();
  }
}

/**
 * The search as it was before the trigram index: German full text of the whole text, then the
 * page and the capped count along the date index, as loadInbox ran them.
 */
async function loadBefore(db: Db, viewer: Viewer, f: InboxFilters) {
  const where = and(...inboxConditions(viewer, { ...f, q: undefined }), sql`${cases.search} @@ websearch_to_tsquery('german', ${f.q})`);
  const order = [sql`${cases.createdAt} desc nulls last`, sql`${cases.id} desc nulls last`];
  const page = await db
    .select({ id: cases.id })
    .from(cases)
    .where(where)
    .orderBy(...order)
    .limit(51);
  const limited = db
    .select({ one: sql`1`.as('one') })
    .from(cases)
    .where(where)
    .orderBy(...order)
    .limit(1001)
    .as('limited');
  const [count] = await db.select({ n: sql<number>`count(*)::int` }).from(limited);
  return { page, count };
}

async function cursorAt(db: Db, offset: number) {
  const rows = await db
    .select({ t: sql<string>`${cases.createdAt}::text`, id: cases.id })
    .from(cases)
    .orderBy(sql`${cases.createdAt} desc nulls last`, sql`${cases.id} desc nulls last`)
    .offset(offset)
    .limit(1);
  const row = rows[0];
  if (!row) throw new Error('no row for cursor');
  return encodeCursor({ createdAt: row.t, id: row.id });
}

async function explain(database: Awaited<ReturnType<typeof openDatabase>>, text: string, params: unknown[]) {
  const q = `explain (analyze, costs off, timing off) ${text}`;
  const result =
    database.kind === 'pglite' ? await database.pglite.query<Record<string, string>>(q, params) : await database.pool.query(q, params);
  return (result.rows as Record<string, string>[]).map((r) => Object.values(r)[0]).join('\n');
}

await main();
