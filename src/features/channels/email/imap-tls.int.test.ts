import { eq } from 'drizzle-orm';
import type { ImapFlow } from 'imapflow';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { intakeDeps } from '../../../../test/helpers/cases.ts';
import { createTestContext, describeDb, type TestContext } from '../../../../test/helpers/context.ts';
import { type Dovecot, dovecotAvailable, startDovecot } from '../../../../test/helpers/dovecot.ts';
import { seedBasics } from '../../../../test/helpers/fixtures.ts';
import { boxState, mailboxClient, testMail } from '../../../../test/helpers/mailbox.ts';
import { startTcpProxy, type TcpProxy } from '../../../../test/helpers/tcp-proxy.ts';
import { makeTestCertificates, type TestCertificates } from '../../../../test/helpers/tls.ts';
import { cases, channelAccounts } from '../../../infra/schema/index.ts';
import type { EmailAccountFields } from '../accounts/email-settings.ts';
import { createEmailAccount, testAccount, updateEmailAccount } from '../accounts/service.ts';
import { createMailIntake } from './imap-intake.ts';
import type { MailIntake } from './intake-types.ts';
import { mailHandler } from './receive-mail.ts';

const hasDovecot = dovecotAvailable();

describeDb('IMAP over TLS against a real Dovecot with a throwaway certificate authority', () => {
  let ctx: TestContext;
  let certs: TestCertificates;
  let imap: Dovecot;
  /** A second Dovecot without any TLS: STARTTLS is not offered there. */
  let bare: Dovecot;
  let box: ImapFlow;
  const intakes: MailIntake[] = [];
  const proxies: TcpProxy[] = [];
  let n = 0;

  beforeAll(async () => {
    if (!hasDovecot) return;
    certs = makeTestCertificates();
    [imap, bare, ctx] = await Promise.all([
      startDovecot({ password: 'tls-Kennwort-1', tls: certs }),
      startDovecot({ password: 'ohne-tls-Kennwort' }),
      createTestContext(),
    ]);
    await seedBasics(ctx.db);
    box = await mailboxClient(imap);
  }, 30_000);
  afterEach(async () => {
    await Promise.all([...intakes.splice(0).map((i) => i.stop()), ...proxies.splice(0).map((p) => p.close())]);
  });
  afterAll(async () => {
    await box?.logout().catch(() => {});
    await Promise.all([imap?.stop(), bare?.stop(), ctx?.close()]);
    certs?.remove();
  });

  const service = () => ({ db: ctx.db, log: ctx.log, secrets: ctx.secrets, clock: ctx.clock });
  const fields = (mailbox: string, over: Partial<EmailAccountFields>): EmailAccountFields => ({
    name: `TLS ${mailbox}`,
    from: 'buergerservice@musterstadt.example',
    imapHost: '127.0.0.1',
    imapPort: imap.tlsPort ?? 0,
    imapSecurity: 'imaps',
    imapUser: imap.user,
    imapPassword: imap.password,
    mailbox,
    smtpHost: '127.0.0.1',
    smtpPort: 25,
    smtpSecurity: 'plain',
    ...over,
  });
  /** Its own folder with one citizen mail in it, and an account on it. */
  async function accountWithMail(over: Partial<EmailAccountFields>) {
    const mailbox = `Tls${++n}`;
    await box.mailboxCreate(mailbox);
    await box.append(mailbox, testMail(n, 'tls'));
    const account = await createEmailAccount(service(), null, fields(mailbox, over));
    return { id: account.id, mailbox, messageId: `<anliegen-${n}-tls@example.org>`, fields: fields(mailbox, over) };
  }
  const intake = () => {
    const i = createMailIntake({
      db: ctx.db,
      log: ctx.log,
      clock: ctx.clock,
      secrets: ctx.secrets,
      handler: mailHandler(intakeDeps(ctx)),
      options: { reconnectMinMs: 200, reconnectMaxMs: 1000, timeoutMs: 5000 },
    });
    intakes.push(i);
    return i;
  };
  const caseOf = async (messageId: string) => (await ctx.db.select().from(cases).where(eq(cases.externalId, messageId)))[0];
  const statusOf = async (id: number) => (await ctx.db.select().from(channelAccounts).where(eq(channelAccounts.id, id)))[0];

  it.skipIf(!hasDovecot)('takes mail in over IMAPS (implicit TLS) with the town’s certificate authority configured', async () => {
    const a = await accountWithMail({ caCertificate: certs.caPem });
    expect(await intake().fetchNow(a.id)).toMatchObject({ ok: true, stored: 1 });
    expect(await caseOf(a.messageId)).toMatchObject({ channel: 'email', reporterEmail: 'erika@example.org' });
    expect((await boxState(box, a.mailbox)).seen).toEqual([1]);
  });

  it.skipIf(!hasDovecot)('takes mail in over STARTTLS with the certificate authority configured', async () => {
    const a = await accountWithMail({ imapPort: imap.port, imapSecurity: 'starttls', caCertificate: certs.caPem });
    expect(await intake().fetchNow(a.id)).toMatchObject({ ok: true, stored: 1 });
    expect(await caseOf(a.messageId)).toBeDefined();
  });

  it.skipIf(!hasDovecot)(
    'refuses an untrusted certificate with a German status, loses nothing, and takes the mail in once the authority is set',
    async () => {
      const a = await accountWithMail({});
      const i = intake();
      const refused = await i.fetchNow(a.id);
      expect(refused.ok).toBe(false);
      expect(refused.error).toMatch(/^IMAP: Zertifikat des Servers ist nicht vertrauenswürdig \(127\.0\.0\.1:\d+\)/);
      expect((await statusOf(a.id))?.lastError).toBe(refused.error);
      expect(await caseOf(a.messageId)).toBeUndefined();
      expect(await boxState(box, a.mailbox)).toEqual({ uids: [1], seen: [] });

      // The connection test says the same to the admin.
      const tested = await testAccount(service(), a.id, 5000);
      expect(tested.imap).toEqual({ ok: false, text: expect.stringMatching(/^IMAP: Zertifikat des Servers ist nicht vertrauenswürdig/) });
      expect(tested.imap.text).toContain('tragen Sie deren Zertifikat (PEM) beim Postfach ein');

      await updateEmailAccount(service(), null, a.id, { ...a.fields, imapPassword: undefined, caCertificate: certs.caPem });
      expect(await i.fetchNow(a.id)).toMatchObject({ ok: true, stored: 1 });
      expect(await caseOf(a.messageId)).toBeDefined();
      expect((await statusOf(a.id))?.lastError).toBeNull();
    },
  );

  it.skipIf(!hasDovecot)('says so when the certificate names another server', async () => {
    const mailbox = `Tls${++n}`;
    await box.mailboxCreate(mailbox);
    // "localhost" reaches the same server, but the certificate names 127.0.0.1 only.
    const account = await createEmailAccount(service(), null, fields(mailbox, { imapHost: 'localhost', caCertificate: certs.caPem }));
    const tested = await testAccount(service(), account.id, 5000);
    expect(tested.imap.text).toMatch(/^IMAP: Zertifikat des Servers passt nicht zum Servernamen „localhost“ \(localhost:\d+\)/);
  });

  it.skipIf(!hasDovecot)('with STARTTLS required, never logs in to a server that does not offer it', async () => {
    const proxy = await startTcpProxy(bare.port);
    proxies.push(proxy);
    const account = await createEmailAccount(service(), null, {
      ...fields('INBOX', {}),
      imapPort: proxy.port,
      imapSecurity: 'starttls',
      imapUser: bare.user,
      imapPassword: bare.password,
    });
    const refused = await intake().fetchNow(account.id);
    expect(refused.ok).toBe(false);
    expect(refused.error).toBe(
      `IMAP: der Server bietet kein STARTTLS an (127.0.0.1:${proxy.port}); die Zugangsdaten wurden deshalb nicht gesendet. Bitte prüfen Sie die Verschlüsselung.`,
    );
    const wire = proxy.fromClients().toString('latin1');
    expect(wire).not.toMatch(/LOGIN|AUTHENTICATE/i);
    expect(wire).not.toContain(bare.password);
    expect(wire).not.toContain(Buffer.from(`\0${bare.user}\0${bare.password}`).toString('base64'));
  });
});
