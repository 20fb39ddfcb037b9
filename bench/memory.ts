/**
 * Memory, start-up time and CPU per report of the real server (docs/PERFORMANCE.md). Not a test.
 *
 * For each database it starts the server as production does (`node dist/server/main.mjs serve`,
 * the esbuild bundle, demo town with classifier, rules and SLA policies) in its own process and
 * measures: time from spawn to the first /health 200; resident memory of the server's process tree
 * idle after start, after 2,000 and after 20,000 reports posted through the HTTP report form
 * (multipart, a few keep-alive clients, bench/intake-client.ts); the server's CPU per report
 * (/proc times of the process tree); on PostgreSQL also the database's CPU per report
 * (pg_stat_statements execution + planning time, and the /proc times of all PostgreSQL processes)
 * beside a raw single-row INSERT of the same rows in the same run, the baseline.
 * With --start tsx the old start (tsx transpiling src/main.ts at run time) is measured as well.
 *
 * Options: --bundle <file> (default: build one), --db pglite|postgres|both (both), --reports 2000,20000 (checkpoints, cumulative),
 * --concurrency 4, --start bundle|tsx|both (both: tsx only idle, as the baseline of start-up and memory).
 */

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { projectRoot } from '../src/infra/project-root.ts';
import { type BuiltServer, buildServerBundle, startBuiltServer } from '../test/helpers/built-server.ts';
import { type Cluster, findPgBin, startCluster } from '../test/helpers/postgres-cluster.ts';
import { freePort } from '../test/helpers/server.ts';
import { boundNonces, DESCRIPTIONS, formSession } from './form-session.ts';
import { type ClientJob, runClient } from './intake-client.ts';
import { fmt, runConcurrent } from './stats.ts';

const { values: args } = parseArgs({
  options: {
    db: { type: 'string', default: 'both' },
    reports: { type: 'string', default: '2000,20000' },
    concurrency: { type: 'string', default: '4' },
    start: { type: 'string', default: 'both' },
    /** A bundle built elsewhere (e.g. from an older commit, to compare); default: build dist/bench-server/main.mjs. */
    bundle: { type: 'string' },
  },
});
const CHECKPOINTS = args.reports.split(',').map(Number);
const CONCURRENCY = Number(args.concurrency);
const CLK_TCK = 100; // Linux USER_HZ: /proc/<pid>/stat times are in 1/100 s
const MiB = 1024 * 1024;

// ---- /proc: process trees, resident memory, CPU ----
function procStat(pid: number): { ppid: number; cpuMs: number } | null {
  try {
    const raw = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = raw.slice(raw.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(f[1]), cpuMs: ((Number(f[11]) + Number(f[12])) * 1000) / CLK_TCK };
  } catch {
    return null;
  }
}
function tree(root: number): number[] {
  const parents = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    const pid = Number(d);
    if (!Number.isInteger(pid)) continue;
    const s = procStat(pid);
    if (s) parents.set(pid, s.ppid);
  }
  const out = [root];
  for (let i = 0; i < out.length; i++) for (const [pid, ppid] of parents) if (ppid === out[i]) out.push(pid);
  return out;
}
function statusField(pid: number, field: string): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}
/** Resident memory of a process tree (bytes); processes sharing pages count them each (as `ps` does). */
const treeRss = (root: number) => tree(root).reduce((sum, pid) => sum + statusField(pid, 'VmRSS'), 0);
const treeCpuMs = (root: number) => tree(root).reduce((sum, pid) => sum + (procStat(pid)?.cpuMs ?? 0), 0);
/** Proportional set size (shared pages split among their users): fair for PostgreSQL's shared buffers. */
function treePss(root: number): number {
  return tree(root).reduce((sum, pid) => {
    try {
      const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
      return sum + (m ? Number(m[1]) * 1024 : 0);
    } catch {
      return sum;
    }
  }, 0);
}

// ---- the server ----
const bundle = args.bundle ?? join(projectRoot, 'dist', 'bench-server', 'main.mjs');

// One secret for every server of the run, so the bench can mint form nonces the server accepts.
const SESSION_SECRET = randomBytes(32).toString('hex');

function baseEnv(dataDir: string, url?: string): Record<string, string> {
  return {
    NODE_ENV: 'production',
    SESSION_SECRET,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    // All benchmark clients share one address, so the per-address report limit is lifted.
    REPORTS_PER_IP_PER_10MIN: '100000000',
    ...(url ? { DATABASE_URL: url } : {}),
  };
}

/** The old start: tsx transpiling src/main.ts (its CLI runs node as a child with the loader). */
async function startWithTsx(env: Record<string, string>): Promise<{ pid: number; startupMs: number; stop(): Promise<void> }> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(join(projectRoot, 'node_modules', '.bin', 'tsx'), ['src/main.ts', 'serve'], {
    cwd: projectRoot,
    env: { ...process.env, ...env, PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` },
    stdio: 'ignore',
  });
  for (;;) {
    if (child.exitCode !== null) throw new Error(`tsx server exited with ${child.exitCode}`);
    if (
      await fetch(`http://127.0.0.1:${port}/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const startupMs = performance.now() - started;
  return {
    pid: child.pid ?? 0,
    startupMs,
    async stop() {
      for (const pid of tree(child.pid ?? 0).reverse()) process.kill(pid, 'SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

const settle = () => new Promise((r) => setTimeout(r, 5000));

// ---- PostgreSQL: statement time and process CPU ----
interface DbCpu {
  statementsMs: number;
  processesMs: number;
}
async function dbCpu(pool: pg.Pool, postmaster: number): Promise<DbCpu> {
  const { rows } = await pool.query<{ ms: number }>(
    'select coalesce(sum(total_exec_time + total_plan_time), 0)::float8 as ms from pg_stat_statements',
  );
  return { statementsMs: rows[0]?.ms ?? 0, processesMs: treeCpuMs(postmaster) };
}
async function findPostmaster(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ pid: number }>('select pg_backend_pid() as pid');
  return procStat(rows[0]?.pid ?? 0)?.ppid ?? 0;
}

interface Row {
  label: string;
  value: string;
  baseline?: string;
}

async function benchOne(kind: 'pglite' | 'postgres'): Promise<Row[]> {
  const rows: Row[] = [];
  let cluster: Cluster | null = null;
  const dataDir = mkdtempSync(join(tmpdir(), 'amtsblatt-mem-'));
  let server: BuiltServer | null = null;
  let pool: pg.Pool | null = null;
  try {
    if (kind === 'postgres') {
      const bin = findPgBin();
      if (!bin) throw new Error('PostgreSQL (initdb) not found');
      cluster = await startCluster(
        bin,
        '-c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all -c pg_stat_statements.track_planning=on',
      );
      pool = new pg.Pool({ connectionString: cluster.url, max: CONCURRENCY });
      await pool.query('create extension if not exists pg_stat_statements');
    }
    const env = baseEnv(dataDir, cluster?.url);

    if (args.start !== 'bundle') {
      // Baseline in the same run: the old start, on its own database (data folder / schema reset after).
      const oldDir = mkdtempSync(join(tmpdir(), 'amtsblatt-mem-tsx-'));
      const old = await startWithTsx({ ...env, DATA_DIR: oldDir });
      await settle();
      rows.push({ label: 'old start (tsx): start-up to /health 200', value: `${fmt(old.startupMs / 1000, 2)} s` });
      rows.push({ label: 'old start (tsx): RSS idle, process tree', value: `${fmt(treeRss(old.pid) / MiB, 0)} MiB` });
      await old.stop();
      rmSync(oldDir, { recursive: true, force: true });
      if (pool)
        await pool.query(
          'drop schema public cascade; create schema public; drop schema if exists pgboss cascade; drop schema if exists drizzle cascade; create extension if not exists pg_stat_statements',
        );
    }
    if (args.start === 'tsx') return rows;

    server = await startBuiltServer(bundle, env, 120_000);
    const pid = server.process.pid ?? 0;
    await settle();
    rows.push({
      label: 'bundle: start-up to /health 200 (first start: migrations, demo town, classifier training)',
      value: `${fmt(server.startupMs / 1000, 2)} s`,
    });
    rows.push({ label: 'bundle: RSS idle, process tree', value: `${fmt(treeRss(pid) / MiB, 0)} MiB` });
    if (pool) {
      const postmaster = await findPostmaster(pool);
      rows.push({ label: 'PostgreSQL cluster PSS idle (all its processes)', value: `${fmt(treePss(postmaster) / MiB, 0)} MiB` });
    }

    const { token, cookie, clientSecret } = await formSession(server.baseUrl);
    let posted = 0;
    for (const target of CHECKPOINTS) {
      const n = target - posted;
      const postmaster = pool ? await findPostmaster(pool) : 0;
      if (pool) await pool.query('select pg_stat_statements_reset()');
      const db0 = pool ? await dbCpu(pool, postmaster) : null;
      const cpu0 = treeCpuMs(pid);
      const job: ClientJob = {
        url: server.baseUrl,
        csrfToken: token,
        cookie,
        requests: n,
        concurrency: CONCURRENCY,
        nonces: boundNonces(SESSION_SECRET, clientSecret, n).nonces,
        descriptions: DESCRIPTIONS,
      };
      const result = await runClient(job);
      if (result.failures > 0) throw new Error(`${result.failures} reports failed (first: ${result.firstFailure})\n${server.output()}`);
      const serverCpu = treeCpuMs(pid) - cpu0;
      const rate = (n / result.wallMs) * 1000;
      posted = target;
      rows.push({
        label: `reports ${posted - n + 1}–${posted}: intake over HTTP, concurrency ${CONCURRENCY}`,
        value: `${fmt(rate, 0)} reports/s`,
      });
      rows.push({ label: `  server CPU per report (process tree)`, value: `${fmt(serverCpu / n, 2)} ms` });
      if (pool && db0) {
        const db1 = await dbCpu(pool, postmaster);
        rows.push({
          label: '  database per report: statements (exec + plan) / PostgreSQL processes CPU',
          value: `${fmt((db1.statementsMs - db0.statementsMs) / n, 3)} ms / ${fmt((db1.processesMs - db0.processesMs) / n, 3)} ms`,
        });
        const plan = await pool.query<{ plan: number; exec: number }>(
          'select coalesce(sum(total_plan_time),0)::float8 as plan, coalesce(sum(total_exec_time),0)::float8 as exec from pg_stat_statements',
        );
        rows.push({ label: '  of which planning', value: `${fmt((plan.rows[0]?.plan ?? 0) / n, 3)} ms` });
        // Where the database time goes: the costliest statements per report.
        const top = await pool.query<{ query: string; calls: string; ms: number; planMs: number }>(
          `select left(regexp_replace(query, '\\s+', ' ', 'g'), 60) as query, calls, (total_exec_time + total_plan_time)::float8 as ms,
                  total_plan_time::float8 as "planMs"
             from pg_stat_statements order by 3 desc limit 6`,
        );
        for (const t of top.rows)
          rows.push({
            label: `    \`${t.query.replaceAll('|', '/').replaceAll('`', "'")}…\` (${t.calls} calls)`,
            value: `${fmt(t.ms / n, 3)} ms (plan ${fmt(t.planMs / n, 3)})`,
          });
      }
      rows.push({ label: `RSS after ${posted} reports, process tree`, value: `${fmt(treeRss(pid) / MiB, 0)} MiB` });
    }

    if (pool) {
      // Baseline: the same rows as a raw single-row INSERT from this process, same concurrency.
      const postmaster = await findPostmaster(pool);
      const n = CHECKPOINTS[0] ?? 2000;
      await pool.query('select pg_stat_statements_reset()');
      const db0 = await dbCpu(pool, postmaster);
      const tag = randomBytes(3).toString('hex');
      const cpu0 = process.cpuUsage();
      const { wallMs } = await runConcurrent(n, CONCURRENCY, async (i) => {
        await pool?.query(
          `insert into cases (number, tracking_token, channel, external_id, type, description, location_text, consent_at)
           values ($1, $2, 'web', $3, 'defect', $4, $5, now())`,
          [
            `R${tag}-${i}`,
            randomBytes(24).toString('base64url'),
            `raw-${tag}-${i}`,
            DESCRIPTIONS[i % DESCRIPTIONS.length],
            `Marktstätte ${i % 40}`,
          ],
        );
      });
      const client = process.cpuUsage(cpu0);
      const db1 = await dbCpu(pool, postmaster);
      rows.push({
        label: `raw single-row INSERT, ${n} rows, concurrency ${CONCURRENCY} (baseline)`,
        value: `${fmt((n / wallMs) * 1000, 0)} rows/s`,
      });
      rows.push({
        label: '  database per row: statements / PostgreSQL processes CPU',
        value: `${fmt((db1.statementsMs - db0.statementsMs) / n, 3)} ms / ${fmt((db1.processesMs - db0.processesMs) / n, 3)} ms`,
      });
      rows.push({ label: '  client (driver) CPU per row', value: `${fmt((client.user + client.system) / 1000 / n, 3)} ms` });
    }
    return rows;
  } finally {
    await server?.stop();
    await pool?.end();
    cluster?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (!args.bundle) await buildServerBundle(bundle);
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const out: string[] = [`Run: ${new Date().toISOString()} · Node ${process.versions.node} · load average before ${load()}`];
const kinds: ('pglite' | 'postgres')[] = args.db === 'both' ? ['pglite', 'postgres'] : [args.db as 'pglite' | 'postgres'];
for (const kind of kinds) {
  process.stderr.write(`[${kind}] …\n`);
  const rows = await benchOne(kind);
  out.push('', `### ${kind}`, '', '| measurement | figure |', '|---|---:|', ...rows.map((r) => `| ${r.label} | ${r.value} |`));
}
out.push('', `load average after ${load()}`);
process.stdout.write(`${out.join('\n')}\n`);
