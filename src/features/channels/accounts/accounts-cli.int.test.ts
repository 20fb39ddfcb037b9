import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runData } from '../../../../test/helpers/commands.ts';
import { createTestContext, describeDb, type TestContext } from '../../../../test/helpers/context.ts';
import { type Dovecot, dovecotAvailable, freePort, startDovecot } from '../../../../test/helpers/dovecot.ts';
import { seedBasics } from '../../../../test/helpers/fixtures.ts';
import { startSmtpPeer } from '../../../../test/helpers/smtp-peer.ts';
import { channelAccounts } from '../../../infra/schema/index.ts';
import { generateSecretKey, sealedKeyId } from '../../../infra/secrets.ts';
import { channelAdd, channelDisable, channelList, channelRemove, channelShow, channelTest, secretsRotate } from './commands.ts';

const hasDovecot = dovecotAvailable();

describeDb('amtsblatt channel (commands against real IMAP and SMTP servers)', () => {
  let ctx: TestContext;
  let imap: Dovecot;
  let smtp: Awaited<ReturnType<typeof startSmtpPeer>>;
  const from = 'buergerservice@musterstadt.example';

  beforeAll(async () => {
    if (!hasDovecot) return;
    [imap, smtp, ctx] = await Promise.all([
      startDovecot({ password: 'p@ss wort-9Zq' }),
      startSmtpPeer({ user: 'versand', password: 'smtp-geheim' }),
      createTestContext(),
    ]);
    await seedBasics(ctx.db);
  }, 30_000);
  afterAll(async () => {
    await Promise.all([imap?.stop(), smtp?.close(), ctx?.close()]);
  });

  const add = (name: string, imapUrl: string, smtpUrl: string, extra: Record<string, string> = {}) =>
    runData(ctx, channelAdd, { kind: 'email', name, imap: imapUrl, smtp: smtpUrl, from, ...extra });

  it.skipIf(!hasDovecot)('adds a mailbox from URLs, keeps its passwords sealed and logs into both servers', async () => {
    const added = await add('Bürgerservice', imap.url, `smtp://versand:smtp-geheim@127.0.0.1:${smtp.port}?tls=none`, {
      team: 'leitstelle',
      type: 'defect',
    });
    expect(added).toMatchObject({ exitCode: 0, stderr: '' });
    expect(added.stdout).toContain('Postfach angelegt: Bürgerservice');

    const [row] = await ctx.db.select().from(channelAccounts).where(eq(channelAccounts.name, 'Bürgerservice'));
    expect(row?.secrets).not.toContain('wort-9Zq');
    expect(row?.secrets).not.toContain(encodeURIComponent('p@ss wort-9Zq'));
    expect(row?.secrets).not.toContain('smtp-geheim');
    expect(JSON.stringify(row?.settings)).toContain('"user":"postfach"');
    expect(JSON.stringify(row?.settings)).not.toContain('geheim');

    const list = await runData(ctx, channelList, {});
    expect(list.stdout).toMatch(/Bürgerservice\s+E-Mail\s+aktiv\s+buergerservice@musterstadt\.example\s+postfach @ 127\.0\.0\.1/);
    const show = await runData(ctx, channelShow, { name: 'bürgerservice' });
    expect(show.stdout).toContain('Team:              Leitstelle (leitstelle)');
    for (const out of [list.stdout, show.stdout]) {
      expect(out).not.toContain('wort-9Zq');
      expect(out).not.toContain('smtp-geheim');
    }

    const test = await runData(ctx, channelTest, { name: 'Bürgerservice' });
    expect(test.stderr).toBe('');
    expect(test.exitCode).toBe(0);
    expect(test.stdout).toBe(
      'IMAP: Anmeldung erfolgreich, Ordner „INBOX“ enthält 0 Nachrichten.\nSMTP: Anmeldung erfolgreich, der Server nimmt Mails an.\n',
    );
    const [tested] = await ctx.db.select().from(channelAccounts).where(eq(channelAccounts.name, 'Bürgerservice'));
    expect(tested?.lastSuccessAt).toBeInstanceOf(Date);
    expect(tested?.lastError).toBeNull();
  });

  it.skipIf(!hasDovecot)('says in German that the passwords are wrong, and records it', async () => {
    const wrongImap = imap.url.replace(encodeURIComponent(imap.password), 'falsch');
    await add('Beschwerde', wrongImap, `smtp://versand:falsch@127.0.0.1:${smtp.port}?tls=none`);
    const test = await runData(ctx, channelTest, { name: 'Beschwerde' });
    expect(test.exitCode).toBe(2);
    expect(test.stderr).toBe(
      'IMAP: Anmeldung abgelehnt (Benutzername oder Passwort falsch)\nSMTP: Anmeldung abgelehnt (Benutzername oder Passwort falsch)\n',
    );
    const [row] = await ctx.db.select().from(channelAccounts).where(eq(channelAccounts.name, 'Beschwerde'));
    expect(row?.lastError).toContain('IMAP: Anmeldung abgelehnt');
    expect(row?.consecutiveFailures).toBe(1);
  });

  it.skipIf(!hasDovecot)('names the address of a server that does not answer', async () => {
    const [closedImap, closedSmtp] = [await freePort(), await freePort()];
    await add('Fax-Eingang', `imap://u:p@127.0.0.1:${closedImap}/INBOX?tls=none`, `smtp://127.0.0.1:${closedSmtp}?tls=none`);
    const started = Date.now();
    const test = await runData(ctx, channelTest, { name: 'Fax-Eingang' });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(test.exitCode).toBe(2);
    expect(test.stderr).toBe(
      `IMAP: Server nicht erreichbar (127.0.0.1:${closedImap})\nSMTP: Server nicht erreichbar (127.0.0.1:${closedSmtp})\n`,
    );
  });

  it.skipIf(!hasDovecot)('refuses bad input with exit code 2 and a duplicate name with exit code 1', async () => {
    const duplicate = await add('bürgerSERVICE', imap.url, `smtp://127.0.0.1:${smtp.port}?tls=none`);
    expect(duplicate).toMatchObject({ exitCode: 1, stderr: 'Ein Postfach mit diesem Namen gibt es schon.\n' });
    const badUrl = await add('Neu', 'pop3://u:p@host', `smtp://127.0.0.1:${smtp.port}?tls=none`);
    expect(badUrl.exitCode).toBe(2);
    expect(badUrl.stderr).toContain('IMAP: Die Adresse muss mit imap:// oder imaps:// beginnen.');
    const noPassword = await add('Neu', 'imaps://nur-name@mail.example', `smtp://127.0.0.1:${smtp.port}?tls=none`);
    expect(noPassword.stderr).toContain('IMAP: Benutzername und Passwort fehlen');
    const badTeam = await add('Neu', imap.url, `smtp://127.0.0.1:${smtp.port}?tls=none`, { team: 'gibt-es-nicht' });
    expect(badTeam).toMatchObject({ exitCode: 2 });
    expect(badTeam.stderr).toContain('Ein Team mit dem Kurznamen „gibt-es-nicht“ gibt es nicht.');
    const badFrom = await runData(ctx, channelAdd, { kind: 'email', name: 'Neu', imap: imap.url, smtp: 'smtp://h', from: 'kein' });
    expect(badFrom.stderr).toContain('Die Absenderadresse ist keine gültige E-Mail-Adresse.');
    const unknown = await runData(ctx, channelTest, { name: 'Unbekannt' });
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('Ein Postfach mit dem Namen „Unbekannt“ gibt es nicht.');
  });

  it.skipIf(!hasDovecot)('re-encrypts every secret with a new key; the mailboxes keep working', async () => {
    const before = await ctx.db.select({ secrets: channelAccounts.secrets }).from(channelAccounts);
    const rotated = await runData(ctx, secretsRotate, { newKey: generateSecretKey() });
    expect(rotated.exitCode).toBe(0);
    expect(rotated.stdout).toContain(`${before.length} Postfächer mit dem neuen Schlüssel verschlüsselt.`);
    const after = await ctx.db.select({ secrets: channelAccounts.secrets }).from(channelAccounts);
    expect(new Set(after.map((r) => sealedKeyId(r.secrets)))).toEqual(new Set([ctx.secrets.keyId]));
    expect(sealedKeyId(before[0]?.secrets ?? '')).not.toBe(ctx.secrets.keyId);
    expect((await runData(ctx, channelTest, { name: 'Bürgerservice' })).exitCode).toBe(0);
    expect((await runData(ctx, secretsRotate, { newKey: 'kurz' })).exitCode).toBe(2);
  });

  it.skipIf(!hasDovecot)('disables and removes a mailbox', async () => {
    expect((await runData(ctx, channelDisable, { name: 'Fax-Eingang' })).stdout).toContain('Fax-Eingang ist deaktiviert');
    expect((await runData(ctx, channelList, {})).stdout).toMatch(/Fax-Eingang\s+E-Mail\s+deaktiviert/);
    expect((await runData(ctx, channelRemove, { name: 'Fax-Eingang' })).exitCode).toBe(0);
    expect((await runData(ctx, channelShow, { name: 'Fax-Eingang' })).exitCode).toBe(2);
  });
});
