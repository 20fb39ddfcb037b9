/**
 * Throughput of the mail handler (docs/PERFORMANCE.md, "Mail intake"): raw mails handed to
 * `mailHandler` in-process, one after another as the IMAP intake hands them in (one account, one
 * mail at a time), on embedded PGlite (on disk, as `serve` uses it) and on PostgreSQL, each beside a
 * raw INSERT of the same rows in the same run. Also the parse-only time per mail. No IMAP here
 * (bench/imap-intake.ts measures fetching); the acknowledgement is written to the outbox, not sent.
 *
 *   npx tsx bench/mail-intake.ts [--db pglite|postgres|both] [--mails 500]
 *
 * PostgreSQL: BENCH_DATABASE_URL, else a throwaway cluster (initdb/pg_ctl).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.ts';
import { createEmailAccount } from '../src/features/channels/accounts/service.ts';
import { parseMail } from '../src/features/channels/email/parse.ts';
import { intakeDepsOf, mailHandler } from '../src/features/channels/email/receive-mail.ts';
import { createInfrastructure, type Infrastructure } from '../src/infra/bootstrap.ts';
import { createLogger } from '../src/infra/log.ts';
import { type Cluster, findPgBin, startCluster } from '../test/helpers/postgres-cluster.ts';
import { buildCorpus, type CorpusMail } from './mail-corpus.ts';
import { fmt, type Summary, summarize } from './stats.ts';

const { values: args } = parseArgs({
  options: { db: { type: 'string', default: 'both' }, mails: { type: 'string', default: '500' } },
});
const N = Number(args.mails);
const out = (line: string) => process.stdout.write(`${line}\n`);
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/** Times `task` once per item, one after another. */
async function sequential<T>(items: T[], task: (item: T, i: number) => Promise<unknown>): Promise<Summary> {
  const latencies: number[] = [];
  const started = performance.now();
  for (const [i, item] of items.entries()) {
    const t0 = performance.now();
    await task(item, i);
    latencies.push(performance.now() - t0);
  }
  return summarize(latencies, performance.now() - started);
}

const pick = (mails: CorpusMail[], kinds: CorpusMail['kind'][]) => {
  const picked = mails.filter((m) => kinds.includes(m.kind)).slice(0, N);
  if (picked.length < N) throw new Error(`only ${picked.length} mails of kinds ${kinds.join(', ')}`);
  return picked;
};

const sets = {
  text: pick(await buildCorpus(N * 3, 'text.example'), ['plain', 'html']),
  attachment: pick(await buildCorpus(N * 6, 'attachment.example'), ['jpeg', 'pdf']),
  mix: await buildCorpus(N, 'mix.example'),
};
const avgKb = (mails: CorpusMail[]) => (mails.reduce((s, m) => s + m.raw.length, 0) / mails.length / 1024).toFixed(1);

out(`Mail intake, ${N} mails per set, one at a time (load average at start ${load()})`);
out(
  `  sets: text = plain and HTML (~${avgKb(sets.text)} KB), attachment = half a 320×240 JPEG, half a PDF (~${avgKb(sets.attachment)} KB),`,
);
out(`        mix = the crash test's mix in order (~${avgKb(sets.mix)} KB: 35 % follow-ups, repeats, newsletters/spam held)`);
const own = { ownDomains: ['localhost', 'musterstadt.example'] };
for (const [name, mails] of Object.entries(sets)) {
  await sequential(mails.slice(0, 20), (m) => parseMail(m.raw, own)); // warm-up
  const s = await sequential(mails, (m) => parseMail(m.raw, own));
  out(`  parse only (parseMail), ${name.padEnd(10)}: ${fmt(s.p50)} ms p50, ${fmt(s.p99)} ms p99, ${Math.round(s.perSecond)} mails/s`);
}

for (const kind of args.db === 'both' ? (['pglite', 'postgres'] as const) : ([args.db] as ['pglite' | 'postgres'])) {
  const dataDir = mkdtempSync(join(tmpdir(), 'amtsblatt-bench-mail-'));
  let cluster: Cluster | null = null;
  let url = kind === 'postgres' ? process.env.BENCH_DATABASE_URL : undefined;
  if (kind === 'postgres' && !url) {
    const bin = findPgBin();
    if (!bin) throw new Error('PostgreSQL (initdb) not found: apt-get install postgresql, or set BENCH_DATABASE_URL');
    cluster = await startCluster(bin);
    url = cluster.url;
  }
  const config = loadConfig({
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    DEMO_DATA: 'false',
    PORT: '0',
    ...(url ? { DATABASE_URL: url } : {}),
  });
  const infra = await createInfrastructure(config, createLogger('silent'));
  try {
    await benchDatabase(kind, infra);
  } finally {
    await infra.close();
    cluster?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function benchDatabase(kind: string, infra: Infrastructure): Promise<void> {
  const d = infra.database;
  const query = async (text: string, params: unknown[]) => {
    if (d.kind === 'pglite') await d.pglite.query(text, params);
    else await d.pool.query(text, params);
  };
  const count = async (text: string): Promise<number> => {
    const rows = d.kind === 'pglite' ? (await d.pglite.query<{ n: number }>(text)).rows : (await d.pool.query(text)).rows;
    return rows[0]?.n ?? 0;
  };
  const account = await createEmailAccount({ db: d.db, log: infra.log, secrets: infra.secrets, clock: infra.clock }, null, {
    name: 'Bench',
    from: 'buergerservice@musterstadt.example',
    imapHost: '127.0.0.1',
    imapPort: 143,
    imapSecurity: 'plain',
    imapUser: 'u',
    imapPassword: 'p',
    mailbox: 'INBOX',
    smtpHost: '127.0.0.1',
    smtpPort: 25,
    smtpSecurity: 'plain',
  });
  const handle = mailHandler(intakeDepsOf(infra));
  const tag = randomBytes(3).toString('hex');
  // The same rows a new mail case makes at least: the case and its inbound message, one statement.
  const rawCase = (m: CorpusMail, key: string, withFile: boolean) =>
    query(
      `with c as (
         insert into cases (number, tracking_token, channel, external_id, type, description)
         values ($1, $2, 'email', $3, 'defect', $4) returning id
       ), m as (
         insert into messages (case_id, kind, channel, body, thread_key, created_at)
         select id, 'inbound', 'email', $4, $5, now() from c returning id, case_id
       )
       insert into attachments (case_id, message_id, kind, filename, storage_key, mime_type, bytes)
       select case_id, id, 'file', 'schreiben.pdf', $6, 'application/pdf', 600 from m where $7`,
      [`M${tag}-${key}`, randomBytes(24).toString('base64url'), `raw:${tag}:${key}`, m.token, `raw:${key}`, `k-${key}`, withFile],
    );
  const rows: [string, Summary][] = [];
  let uid = 0;
  const viaHandler = (m: CorpusMail) => handle(m.raw, { accountId: account.id, uid: ++uid, uidValidity: 1n, size: m.raw.length });

  for (const [name, mails] of Object.entries(sets)) {
    await sequential(sets.text.slice(0, 5), (m, i) => rawCase(m, `${name}-warm-${i}`, false)); // warm-up of the connection
    if (name !== 'mix')
      rows.push([
        `raw INSERT case + message${name === 'attachment' ? ' + attachment row' : ''} (baseline)`,
        await sequential(mails, (m, i) => rawCase(m, `${name}-${i}`, name === 'attachment')),
      ]);
    const before = await count(`select count(*)::int as n from messages where kind = 'inbound'`);
    rows.push([`mailHandler, ${name} → ${name === 'mix' ? 'case, follow-up or held' : 'new case'}`, await sequential(mails, viaHandler)]);
    const stored = (await count(`select count(*)::int as n from messages where kind = 'inbound'`)) - before;
    const want = mails.filter((m) => m.expect.fate === 'case' || m.expect.fate === 'followup').length;
    if (stored !== want) throw new Error(`${name}: ${stored} inbound messages stored, want ${want}`);
  }
  out(`\n  ${kind} (load average ${load()})`);
  out('  | measurement | mails/s | p50 ms | p99 ms |\n  |---|---:|---:|---:|');
  for (const [label, s] of rows) out(`  | ${label} | ${Math.round(s.perSecond)} | ${fmt(s.p50)} | ${fmt(s.p99)} |`);
}
