import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { intakeDeps, postForm, versionOn } from '../../../../test/helpers/cases.ts';
import {
  createTestContext,
  createUser,
  describeDb,
  eventually,
  type TestContext,
  type TestUser,
} from '../../../../test/helpers/context.ts';
import { seedBasics } from '../../../../test/helpers/fixtures.ts';
import { outboxMails } from '../../../../test/helpers/outbox.ts';
import { composeMail } from '../../../../test/helpers/raw-mail.ts';
import { startSmtpPeer } from '../../../../test/helpers/smtp-peer.ts';
import { makeTestCertificates, type TestCertificates } from '../../../../test/helpers/tls.ts';
import { cases } from '../../../infra/schema/index.ts';
import type { EmailAccountFields } from '../accounts/email-settings.ts';
import { createEmailAccount, testAccount } from '../accounts/service.ts';
import { mailHandler } from './receive-mail.ts';

type Peer = Awaited<ReturnType<typeof startSmtpPeer>>;
const LOGIN = { user: 'versand', password: 'smtp-Kennwort-tls' };

describeDb('answers over SMTPS and SMTP with STARTTLS, against a real SMTP server with a throwaway certificate authority', () => {
  let ctx: TestContext;
  let certs: TestCertificates;
  let admin: TestUser;
  const peers: Peer[] = [];
  let n = 0;

  beforeAll(async () => {
    certs = makeTestCertificates();
    ctx = await createTestContext();
    await seedBasics(ctx.db);
    admin = await createUser(ctx, { role: 'admin' });
    await ctx.startWorkers();
  }, 30_000);
  afterAll(async () => {
    await ctx?.close();
    await Promise.all(peers.map((p) => p.close()));
    certs?.remove();
  });

  const peer = async (tls?: 'smtps' | 'starttls') => {
    const p = await startSmtpPeer(LOGIN, tls && { mode: tls, key: certs.keyPem, cert: certs.certPem });
    peers.push(p);
    return p;
  };
  const service = () => ({ db: ctx.db, log: ctx.log, secrets: ctx.secrets, clock: ctx.clock });
  const account = (p: Peer, over: Partial<EmailAccountFields>) =>
    createEmailAccount(service(), null, {
      name: `Versand ${++n}`,
      from: 'buergerservice@musterstadt.example',
      // The intake side is not used here: the citizen's mail is handed to the handler directly.
      imapHost: '127.0.0.1',
      imapPort: 1,
      imapSecurity: 'plain',
      imapUser: 'postfach',
      imapPassword: 'egal',
      smtpHost: '127.0.0.1',
      smtpPort: p.port,
      smtpSecurity: 'smtps',
      smtpUser: LOGIN.user,
      smtpPassword: LOGIN.password,
      ...over,
    });
  /** A citizen's mail into the account: a case, and its acknowledgement leaves over the account's SMTP. */
  async function mailIn(accountId: number) {
    const messageId = `<tls-${n}@example.org>`;
    const raw = await composeMail({ messageId, subject: 'Laterne', text: 'Die Laterne vor Nummer 5 ist dunkel.' });
    expect(await mailHandler(intakeDeps(ctx))(raw, { accountId, uid: n, uidValidity: 1n, size: raw.length })).toBe('stored');
    const [kase] = await ctx.db.select().from(cases).where(eq(cases.externalId, messageId));
    if (!kase) throw new Error('no case');
    return kase;
  }
  async function replyAndWait(p: Peer, number: string, caseId: number) {
    const url = `/staff/faelle/${number}`;
    const page = await ctx.app.inject({ url, headers: { cookie: admin.cookie, accept: 'text/html' } });
    const res = await postForm(ctx, url, `${url}/antwort`, admin.cookie, { version: versionOn(page.body), body: 'Wird morgen repariert.' });
    expect(res.statusCode).toBe(303);
    await eventually(async () => (await outboxMails(ctx.db, { caseId })).every((m) => m.status === 'sent') && p.received.length >= 2);
  }

  it('sends the acknowledgement and the reply over SMTPS, the certificate checked against the town’s authority', async () => {
    const p = await peer('smtps');
    const a = await account(p, { caCertificate: certs.caPem });
    const kase = await mailIn(a.id);
    await replyAndWait(p, kase.number, kase.id);
    expect(p.received.map((m) => [m.to, m.secure])).toEqual([
      [['erika@example.org'], true],
      [['erika@example.org'], true],
    ]);
    // The outbox delivers the acknowledgement and the reply independently: either may arrive first.
    expect(p.received.filter((m) => m.raw.toString().includes('Wird morgen repariert.'))).toHaveLength(1);
  });

  it('sends over STARTTLS (required), the certificate checked', async () => {
    const p = await peer('starttls');
    const a = await account(p, { smtpSecurity: 'starttls', caCertificate: certs.caPem });
    const kase = await mailIn(a.id);
    await replyAndWait(p, kase.number, kase.id);
    expect(p.received.map((m) => m.secure)).toEqual([true, true]);
  });

  it('never sends the login to a server without STARTTLS when STARTTLS is required, and says why', async () => {
    const p = await peer();
    const a = await account(p, { smtpSecurity: 'starttls' });
    const kase = await mailIn(a.id);
    const [row] = await eventually(async () => {
      const rows = await outboxMails(ctx.db, { caseId: kase.id });
      return rows[0] && rows[0].attempts >= 1 ? rows : null;
    });
    expect(row?.status).not.toBe('sent');
    expect(p.logins.attempts).toBe(0);
    expect(p.received).toEqual([]);

    const url = `/admin/kanaele/${a.id}`;
    const tested = await postForm(ctx, url, `${url}/test`, admin.cookie, {});
    expect(tested.body).toContain(
      `SMTP: der Server bietet kein STARTTLS an (127.0.0.1:${p.port}); die Zugangsdaten wurden deshalb nicht gesendet. Bitte prüfen Sie die Verschlüsselung`,
    );
    expect(p.logins.attempts).toBe(0);
  });

  it('refuses an untrusted certificate, in German in the connection test and on the admin page', async () => {
    const p = await peer('smtps');
    const a = await account(p, {});
    const tested = await testAccount(service(), a.id, 5000);
    expect(tested.smtp.ok).toBe(false);
    expect(tested.smtp.text).toMatch(/^SMTP: Zertifikat des Servers ist nicht vertrauenswürdig \(127\.0\.0\.1:\d+\)/);
    const url = `/admin/kanaele/${a.id}`;
    const page = await postForm(ctx, url, `${url}/test`, admin.cookie, {});
    expect(page.body).toContain('SMTP: Zertifikat des Servers ist nicht vertrauenswürdig');
    expect(p.logins.attempts).toBe(0);
  });

  it('warns on the admin page about an unencrypted side and takes the authority in the form', async () => {
    const p = await peer();
    const a = await account(p, { smtpSecurity: 'plain' });
    const url = `/admin/kanaele/${a.id}`;
    const shown = await ctx.app.inject({ url, headers: { cookie: admin.cookie, accept: 'text/html' } });
    expect(shown.body).toContain('Unverschlüsselt: der Abruf (IMAP) und der Versand (SMTP).');
    expect(shown.body).toContain('name="caCertificate"');
  });
});
