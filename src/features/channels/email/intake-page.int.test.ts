import { eq } from 'drizzle-orm';
import type { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fileCase, postForm } from '../../../../test/helpers/cases.ts';
import { createTestContext, createUser, describeDb, type TestContext, type TestUser } from '../../../../test/helpers/context.ts';
import { type Dovecot, dovecotAvailable, startDovecot } from '../../../../test/helpers/dovecot.ts';
import { seedBasics } from '../../../../test/helpers/fixtures.ts';
import { appendMails, mailboxClient } from '../../../../test/helpers/mailbox.ts';
import { outboxMails } from '../../../../test/helpers/outbox.ts';
import { channelAccounts, messages } from '../../../infra/schema/index.ts';
import { createEmailAccount, updateEmailAccount } from '../accounts/service.ts';
import type { MailHandler } from './intake-types.ts';

const hasDovecot = dovecotAvailable();

describeDb('/admin/kanaele: "Jetzt abrufen", intake figures and the warning banner', () => {
  let ctx: TestContext;
  let imap: Dovecot;
  let box: ImapFlow;
  let admin: TestUser;
  const seen = new Set<string>();
  let refuse = '';
  // Idempotent on Message-ID, as the pipeline is; refuses the one it is told to.
  const handler: MailHandler = async (raw) => {
    const id = /^Message-ID: (.*)$/im.exec(raw.toString())?.[1] ?? '';
    if (refuse && id.includes(refuse)) throw new Error('nicht jetzt');
    if (seen.has(id)) return 'duplicate';
    seen.add(id);
    return 'stored';
  };

  beforeAll(async () => {
    if (!hasDovecot) return;
    [imap, ctx] = await Promise.all([startDovecot({ password: 'imap-Kennwort-5' }), createTestContext({ mailHandler: handler })]);
    await seedBasics(ctx.db);
    admin = await createUser(ctx, { role: 'admin' });
    box = await mailboxClient(imap);
  }, 30_000);
  afterAll(async () => {
    await box?.logout().catch(() => {});
    await Promise.all([imap?.stop(), ctx?.close()]);
  });

  const service = () => ({ db: ctx.db, log: ctx.log, secrets: ctx.secrets, clock: ctx.clock });
  const fields = (name: string, password = imap.password) => ({
    name,
    from: 'buergerservice@musterstadt.example',
    imapHost: '127.0.0.1',
    imapPort: imap.port,
    imapSecurity: 'plain' as const,
    imapUser: imap.user,
    imapPassword: password,
    mailbox: 'INBOX',
    smtpHost: '127.0.0.1',
    smtpPort: 25,
    smtpSecurity: 'plain' as const,
  });
  const page = async (url: string) => ctx.app.inject({ method: 'GET', url, headers: { cookie: admin.cookie, accept: 'text/html' } });
  const fetchNow = (id: number) => postForm(ctx, `/admin/kanaele/${id}`, `/admin/kanaele/${id}/abrufen`, admin.cookie, {});
  /** The list row of an account: its cells' texts. */
  const rowCells = (html: string, name: string) => {
    const row = new RegExp(`<tr class="kern-table__row">(?:(?!</tr>).)*>${name}</a>(?:(?!</tr>).)*</tr>`).exec(html)?.[0] ?? '';
    return [...row.matchAll(/<td class="kern-table__cell">([^<]*)/g)].map((m) => m[1]);
  };

  it.skipIf(!hasDovecot)("fetches through the page, shows what it took in, today's count and the backlog", async () => {
    const account = await createEmailAccount(service(), null, fields('Bürgerservice'));
    await appendMails(box, 'INBOX', 1, 3, 'page');
    refuse = 'anliegen-3-';
    const res = await fetchNow(account.id);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(
      'Abruf abgeschlossen: 2 Nachrichten neu aufgenommen, 1 Nachricht ließ sich nicht aufnehmen und wird später erneut versucht. Rückstand: 1 Nachricht.',
    );

    // The pipeline records what it took in with the account; only today's inbound messages count.
    const today = await fileCase(ctx);
    const yesterday = await fileCase(ctx);
    await ctx.db.update(messages).set({ channelAccountId: account.id }).where(eq(messages.caseId, today.caseId));
    await ctx.db
      .update(messages)
      .set({ channelAccountId: account.id, createdAt: new Date(Date.now() - 36 * 3600_000) })
      .where(eq(messages.caseId, yesterday.caseId));
    const list = (await page('/admin/kanaele')).body;
    // Absender, Zustand, heute aufgenommen, Rückstand …
    expect(rowCells(list, 'Bürgerservice').slice(0, 4)).toEqual(['buergerservice@musterstadt.example', 'aktiv', '1', '1']);
    expect(list).toContain(`action="/admin/kanaele/${account.id}/abrufen"`);

    refuse = '';
    expect((await fetchNow(account.id)).body).toContain('Abruf abgeschlossen: 1 Nachricht neu aufgenommen. Rückstand: 0 Nachrichten.');
    expect(rowCells((await page('/admin/kanaele')).body, 'Bürgerservice')[3]).toBe('0');
  });

  it.skipIf(!hasDovecot)('answers a disabled account with 409 and a German message', async () => {
    const account = await createEmailAccount(service(), null, fields('Abgeschaltet'));
    await postForm(ctx, `/admin/kanaele/${account.id}`, `/admin/kanaele/${account.id}/aktiv`, admin.cookie, { aktiv: 'nein' });
    const res = await fetchNow(account.id);
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('Das Postfach ist deaktiviert. Aktivieren Sie es wieder, um Mails abzurufen.');
  });

  it.skipIf(!hasDovecot)(
    'warns on every admin page after three failed rounds, and the warning goes by itself after a success',
    async () => {
      const account = await createEmailAccount(service(), null, fields('Beschwerde', 'falsch'));
      for (let n = 1; n <= 2; n++)
        expect((await fetchNow(account.id)).body).toContain('IMAP: Anmeldung abgelehnt (Benutzername oder Passwort falsch).');
      expect((await page('/admin')).body).not.toContain('lässt sich seit');
      await fetchNow(account.id);
      const [row] = await ctx.db.select().from(channelAccounts).where(eq(channelAccounts.id, account.id));
      expect(row?.consecutiveFailures).toBe(3);
      for (const url of ['/admin', '/admin/kanaele', '/admin/teams']) {
        expect((await page(url)).body).toContain('Das Postfach „Beschwerde“ lässt sich seit 3 Versuchen nicht abrufen.');
      }
      const staff = await createUser(ctx, { role: 'staff' });
      const inbox = await ctx.app.inject({ method: 'GET', url: '/staff', headers: { cookie: staff.cookie, accept: 'text/html' } });
      expect(inbox.body).not.toContain('lässt sich seit');
      // The admins hear of it once by mail, at the third failure, not again at the fourth.
      const warned = () => outboxMails(ctx.db, { to: admin.email, subject: 'Postfach „Beschwerde“ ist gestört' });
      expect(await warned()).toHaveLength(1);
      expect((await warned())[0]?.text).toContain('3-mal hintereinander nicht abrufen');
      await fetchNow(account.id);
      expect(await warned()).toHaveLength(1);

      await updateEmailAccount(service(), null, account.id, { ...fields('Beschwerde'), imapPort: String(imap.port) });
      expect((await fetchNow(account.id)).body).toContain('Abruf abgeschlossen');
      expect((await page('/admin')).body).not.toContain('lässt sich seit');
    },
  );

  it.skipIf(!hasDovecot)('says so when the server runs without mail intake (MAIL_INTAKE=off)', async () => {
    const off = await createTestContext();
    try {
      const user = await createUser(off, { role: 'admin' });
      const account = await createEmailAccount({ db: off.db, log: off.log, secrets: off.secrets, clock: off.clock }, null, fields('Aus'));
      const res = await postForm(off, `/admin/kanaele/${account.id}`, `/admin/kanaele/${account.id}/abrufen`, user.cookie, {});
      expect(res.statusCode).toBe(503);
      expect(res.body).toContain('Der Abruf von Mails ist auf diesem Server ausgeschaltet (MAIL_INTAKE=off).');
    } finally {
      await off.close();
    }
  });
});
