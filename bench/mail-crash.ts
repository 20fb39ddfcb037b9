/**
 * Crash test of the mail intake (docs/PERFORMANCE.md, "Mail intake"): a real Dovecot box with
 * varied mails (bench/mail-corpus.ts), the real server (`amtsblatt serve`, tsx as the process
 * tests start it) with its own data folder, an account added with `amtsblatt channel add`, and the
 * server SIGKILLed at random moments while it takes the mail in, restarted each time. At the end,
 * with the box fully taken in, the database is checked mail by mail: every distinct mail is exactly
 * one inbound message (a new case, or a follow-up in the case of the mail it answers) or one held
 * message; none lost, none twice. Exits 1 if anything is off.
 *
 *   npx tsx bench/mail-crash.ts [--db pglite|postgres] [--mails 2000] [--kills 5]
 *
 * PostgreSQL: TEST_DATABASE_URL (an empty database), else a throwaway cluster (initdb/pg_ctl).
 * DEMO_DATA=false, so every case in the database came from the box.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type Database, openDatabase } from '../src/infra/db.ts';
import { dovecotAvailable, startDovecot } from '../test/helpers/dovecot.ts';
import { mailboxClient } from '../test/helpers/mailbox.ts';
import { type Cluster, findPgBin, startCluster } from '../test/helpers/postgres-cluster.ts';
import { amtsblatt, type ServerProcess, startServerProcess } from '../test/helpers/processes.ts';
import { freePort } from '../test/helpers/server.ts';
import { startSmtpPeer } from '../test/helpers/smtp-peer.ts';
import { buildCorpus, type CorpusMail } from './mail-corpus.ts';

const { values: args } = parseArgs({
  options: {
    db: { type: 'string', default: 'pglite' },
    mails: { type: 'string', default: '2000' },
    kills: { type: 'string', default: '5' },
  },
});
const MAILS = Number(args.mails);
const KILLS = Number(args.kills);
const kind = args.db === 'postgres' ? 'postgres' : 'pglite';
const out = (line: string) => process.stdout.write(`${line}\n`);
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

if (!dovecotAvailable()) process.exit(1);
const imap = await startDovecot();
const smtp = await startSmtpPeer();
const dataDir = mkdtempSync(join(tmpdir(), 'amtsblatt-mail-crash-'));
let cluster: Cluster | null = null;
let url: string | undefined;
if (kind === 'postgres') {
  url = process.env.TEST_DATABASE_URL;
  if (!url) {
    const bin = findPgBin();
    if (!bin) throw new Error('PostgreSQL (initdb) not found: apt-get install postgresql, or set TEST_DATABASE_URL');
    cluster = await startCluster(bin);
    url = cluster.url;
  }
}
const env: Record<string, string> = {
  DATA_DIR: dataDir,
  DEMO_DATA: 'false',
  LOG_LEVEL: 'warn',
  SECRET_KEY: randomBytes(32).toString('base64'),
  ...(url ? { DATABASE_URL: url } : {}),
};
let server: ServerProcess | null = null;
let failed = false;
// On PostgreSQL the database can be read while the server runs: how many mails were committed at
// each kill (above the flagged ones, they are the batch the next life hands in again).
const watcher = url ? await openDatabase({ url, poolSize: 1 }) : null;
const storedSoFar = async () =>
  watcher?.kind === 'postgres'
    ? `, ${(await watcher.pool.query(`select count(*)::int as n from messages where kind = 'inbound'`)).rows[0].n} inbound messages + ${(await watcher.pool.query('select count(*)::int as n from held_messages')).rows[0].n} held committed`
    : '';

try {
  out(`Mail crash test on ${kind}: ${MAILS} mails, ${KILLS} SIGKILLs (load average at start ${load()})`);
  const corpus = await buildCorpus(MAILS);
  const box = await mailboxClient(imap);
  const appendStarted = performance.now();
  for (const m of corpus) await box.append('INBOX', m.raw);
  out(`  ${MAILS} mails appended to Dovecot in ${((performance.now() - appendStarted) / 1000).toFixed(1)} s; mix: ${mixOf(corpus)}`);
  const unseen = async () => {
    const status = await box.status('INBOX', { unseen: true });
    if (!status) throw new Error('IMAP STATUS failed');
    return status.unseen ?? 0;
  };

  const add = await amtsblatt(
    [
      ...['channel', 'add', 'email', '--name', 'Bürgerservice', '--from', 'buergerservice@musterstadt.example'],
      ...['--imap', imap.url, '--smtp', `smtp://127.0.0.1:${smtp.port}?tls=none`],
    ],
    env,
  );
  if (add.code !== 0) throw new Error(`channel add failed: ${add.stderr}`);

  const port = String(await freePort());
  const started = performance.now();
  const lives: string[] = [];
  // The kills are spread over the whole box: life 1 dies soon after its start (while connecting or
  // inside its first batch), each later one once the intake has flagged past a random point of the
  // box, then a random moment on, so mostly inside a batch whose mails are committed but not flagged.
  const marks = Array.from({ length: KILLS - 1 }, () => Math.floor(MAILS * (0.05 + Math.random() * 0.85))).sort((a, b) => a - b);
  for (let life = 1; life <= KILLS + 1; life++) {
    const before = await unseen();
    const t0 = performance.now();
    server = await startServerProcess({ ...env, PORT: port });
    const upMs = performance.now() - t0;
    if (life > KILLS) break;
    const mark = life === 1 ? null : (marks[life - 2] ?? 0);
    const waitFrom = performance.now();
    while (mark !== null && MAILS - (await unseen()) < mark && performance.now() - waitFrom < 5 * 60_000) await sleep(100);
    await sleep(300 + Math.random() * 2500);
    const left = await unseen();
    const stored = await storedSoFar();
    if (left === 0) {
      out(`  the box was taken in before kill ${life}: fewer kills than asked`);
      break;
    }
    await server.stop('SIGKILL');
    server = null;
    lives.push(
      `life ${life}: up in ${(upMs / 1000).toFixed(1)} s, ${mark === null ? 'killed soon after start' : `killed past ${mark} flagged`}, ` +
        `unread ${before} → ${left} at SIGKILL${stored}`,
    );
  }
  for (const l of lives) out(`  ${l}`);
  const waitFrom = performance.now();
  while ((await unseen()) > 0) {
    if (performance.now() - waitFrom > 10 * 60_000) throw new Error('box not taken in within 10 minutes');
    await sleep(250);
  }
  const totalS = (performance.now() - started) / 1000;
  out(`  box fully taken in after ${lives.length} kills, ${totalS.toFixed(1)} s from the first start (load average ${load()})`);
  await sleep(2000); // the outbox job sends the last acknowledgements
  const stopped = await server?.stop('SIGTERM');
  server = null;
  if (stopped && stopped.code !== 0) out(`  server stopped with code ${stopped.code}: ${stopped.stderr.slice(-2000)}`);
  await box.logout();

  const database = await openDatabase(url ? { url } : { dataDir });
  try {
    failed = !(await verify(database, corpus));
  } finally {
    await database.close();
  }
} finally {
  await server?.stop('SIGKILL');
  await watcher?.close();
  await Promise.all([imap.stop(), smtp.close()]);
  cluster?.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);

function mixOf(corpus: CorpusMail[]): string {
  const counts = new Map<string, number>();
  for (const m of corpus) counts.set(m.kind, (counts.get(m.kind) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${n} ${k}`).join(', ');
}

async function rows<T>(d: Database, text: string): Promise<T[]> {
  return d.kind === 'pglite' ? (await d.pglite.query<T>(text)).rows : (await d.pool.query(text)).rows;
}

/** Checks every mail against the database; prints the counts and each problem; true when all is right. */
async function verify(d: Database, corpus: CorpusMail[]): Promise<boolean> {
  const inbound = await rows<{ id: number; case_id: number; thread_key: string | null; body: string }>(
    d,
    `select id, case_id, thread_key, body from messages where kind = 'inbound' and channel = 'email'`,
  );
  const cases = await rows<{ id: number; external_id: string | null }>(d, `select id, external_id from cases where channel = 'email'`);
  const held = await rows<{ external_id: string }>(d, 'select external_id from held_messages');
  const files = await rows<{ kind: string; n: number }>(d, 'select kind, count(*)::int as n from attachments group by kind');
  const outbox = await rows<{ case_id: number; n: number; sent: number }>(
    d,
    `select case_id, count(*)::int as n, count(*) filter (where status = 'sent')::int as sent from outbox group by case_id`,
  );
  const byKey = new Map<string, typeof inbound>();
  for (const m of inbound) byKey.set(m.thread_key ?? '', [...(byKey.get(m.thread_key ?? '') ?? []), m]);
  const caseOf = new Map(cases.map((c) => [c.id, c.external_id]));
  const problems: string[] = [];
  const expected = { cases: 0, followups: 0, held: 0, photos: 0, pdfs: 0 };
  const seenIds = new Set<number>();
  let lost = 0;
  let twice = 0;
  for (const m of corpus) {
    const hits = m.messageId === null ? inbound.filter((i) => i.body.includes(m.token)) : (byKey.get(`email:${m.messageId}`) ?? []);
    const heldHits = m.messageId ? held.filter((h) => h.external_id === m.messageId).length : 0;
    const e = m.expect;
    if (e.fate === 'repeat') {
      if (inbound.some((i) => i.body.includes(m.token))) {
        twice++;
        problems.push(`mail ${m.n} (repeat of ${e.of}) was stored again`);
      }
      continue;
    }
    if (hits.length + heldHits === 0) lost++;
    if (hits.length + heldHits > 1) twice++;
    if (e.fate === 'held') {
      expected.held++;
      if (heldHits !== 1 || hits.length > 0)
        problems.push(`mail ${m.n} (${m.kind}): ${heldHits} held, ${hits.length} inbound; want 1 held`);
      continue;
    }
    if (m.kind === 'jpeg') expected.photos++;
    if (m.kind === 'pdf') expected.pdfs++;
    if (hits.length !== 1 || heldHits > 0) {
      problems.push(`mail ${m.n} (${m.kind}): ${hits.length} inbound messages, ${heldHits} held; want exactly 1 inbound`);
      continue;
    }
    const [hit] = hits;
    if (!hit) continue;
    seenIds.add(hit.id);
    if (e.fate === 'case') {
      expected.cases++;
      const own = caseOf.get(hit.case_id);
      if (m.messageId ? own !== m.messageId : !own?.startsWith('sha256:'))
        problems.push(`mail ${m.n} (${m.kind}) is in case ${hit.case_id} with external id ${own}, not its own`);
    } else {
      expected.followups++;
      const root = byKey.get(`email:${e.root}`)?.[0];
      if (!root || root.case_id !== hit.case_id) problems.push(`reply ${m.n} is in case ${hit.case_id}, its thread in ${root?.case_id}`);
    }
  }
  const extra = inbound.filter((i) => !seenIds.has(i.id));
  if (extra.length > 0) problems.push(`${extra.length} inbound messages that no mail accounts for`);
  if (cases.length !== expected.cases) problems.push(`${cases.length} cases, want ${expected.cases}`);
  if (held.length !== expected.held) problems.push(`${held.length} held messages, want ${expected.held}`);
  const photos = files.find((f) => f.kind === 'photo')?.n ?? 0;
  const pdfs = files.find((f) => f.kind === 'file')?.n ?? 0;
  if (photos !== expected.photos || pdfs !== expected.pdfs)
    problems.push(`attachments: ${photos} photos, ${pdfs} files; want ${expected.photos} and ${expected.pdfs}`);
  const ackTwice = outbox.filter((o) => o.n > 1).length;
  if (ackTwice > 0) problems.push(`${ackTwice} cases with more than one acknowledgement in the outbox`);
  const stored = countFiles(join(dataDir, 'uploads'));
  out(
    `  in the database: ${cases.length} cases (want ${expected.cases}), ${inbound.length - cases.length} follow-ups ` +
      `(want ${expected.followups}), ${held.length} held (want ${expected.held}), ${photos} photos + ${pdfs} PDFs attached; ` +
      `${lost} mails lost, ${twice} stored twice`,
  );
  const statuses = await rows<{ status: string; n: number }>(
    d,
    'select status, count(*)::int as n from outbox group by status order by status',
  );
  const peerIds = smtp.received.map((r) => /^Message-ID:\s*(\S+)/im.exec(r.raw.toString('latin1'))?.[1] ?? '');
  const sentTwice = peerIds.length - new Set(peerIds).size;
  out(
    `  outbox: ${outbox.reduce((s, o) => s + o.n, 0)} acknowledgements for ${outbox.length} cases ` +
      `(${statuses.map((r) => `${r.n} ${r.status}`).join(', ')}); the SMTP peer got ${smtp.received.length} mails, ` +
      `${sentTwice} of them a second time; upload folder: ${stored} files for ${photos * 2 + pdfs} referenced`,
  );
  for (const p of problems.slice(0, 30)) out(`  PROBLEM ${p}`);
  if (problems.length > 30) out(`  … and ${problems.length - 30} more problems`);
  out(problems.length === 0 ? '  OK: every distinct mail exactly once' : `  FAILED: ${problems.length} problems`);
  return problems.length === 0;
}

function countFiles(dir: string): number {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
  } catch {
    return 0;
  }
}
