/**
 * Fetch throughput of the IMAP intake alone (docs/PERFORMANCE.md): a real Dovecot on loopback, an
 * embedded database for the cursor, a handler that does nothing. Prints mails/s of one round.
 *
 *   npx tsx bench/imap-intake.ts [--mails 1000] [--batch 50] [--kb 4]
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { createEmailAccount } from '../src/features/channels/accounts/service.ts';
import { createMailIntake } from '../src/features/channels/email/imap-intake.ts';
import { systemClock } from '../src/infra/clock.ts';
import { openDatabase, runMigrations } from '../src/infra/db.ts';
import { createLogger } from '../src/infra/log.ts';
import { createSecretBox } from '../src/infra/secrets.ts';
import { dovecotAvailable, startDovecot } from '../test/helpers/dovecot.ts';
import { mailboxClient } from '../test/helpers/mailbox.ts';

const { values: args } = parseArgs({
  options: { mails: { type: 'string', default: '1000' }, batch: { type: 'string', default: '50' }, kb: { type: 'string', default: '4' } },
});
const mails = Number(args.mails);
const kb = Number(args.kb);

if (!dovecotAvailable()) process.exit(1);
const imap = await startDovecot();
const database = await openDatabase({});
await runMigrations(database);
const log = createLogger('silent');
const secrets = createSecretBox(randomBytes(32));
try {
  const box = await mailboxClient(imap);
  const body = 'Die Straßenlaterne vor Hausnummer 12 ist seit Tagen dunkel. '.repeat(Math.ceil((kb * 1024) / 60));
  for (let n = 1; n <= mails; n++) {
    await box.append('INBOX', `From: a@example.org\r\nMessage-ID: <m${n}@example.org>\r\nSubject: ${n}\r\n\r\n${body}\r\n`);
  }
  await box.logout();
  const account = await createEmailAccount({ db: database.db, log, secrets, clock: systemClock }, null, {
    name: 'Bench',
    from: 'bench@musterstadt.example',
    imapHost: imap.host,
    imapPort: imap.port,
    imapSecurity: 'plain',
    imapUser: imap.user,
    imapPassword: imap.password,
    mailbox: 'INBOX',
    smtpHost: '127.0.0.1',
    smtpPort: 25,
    smtpSecurity: 'plain',
  });
  const intake = createMailIntake({
    db: database.db,
    log,
    clock: systemClock,
    secrets,
    handler: async () => 'stored',
    options: { batchSize: Number(args.batch) },
  });
  const started = performance.now();
  const result = await intake.fetchNow(account.id);
  const seconds = (performance.now() - started) / 1000;
  await intake.stop();
  process.stdout.write(
    `IMAP intake, fetch layer only (no-op handler, PGlite cursor, Dovecot on loopback, seen mode):\n` +
      `  ${result.stored} mails of ~${kb} KB in ${seconds.toFixed(2)} s = ${Math.round(result.stored / seconds)} mails/s (batch ${args.batch})\n`,
  );
} finally {
  await database.close();
  await imap.stop();
}
