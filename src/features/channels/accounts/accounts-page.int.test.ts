import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { postForm } from '../../../../test/helpers/cases.ts';
import { createTestContext, createUser, describeDb, type TestContext, type TestUser } from '../../../../test/helpers/context.ts';
import { type Dovecot, dovecotAvailable, freePort, startDovecot } from '../../../../test/helpers/dovecot.ts';
import { seedBasics } from '../../../../test/helpers/fixtures.ts';
import { startSmtpPeer } from '../../../../test/helpers/smtp-peer.ts';
import { channelAccounts } from '../../../infra/schema/index.ts';

const hasDovecot = dovecotAvailable();

describeDb('/admin/kanaele (admin page against real IMAP and SMTP servers)', () => {
  let ctx: TestContext;
  let imap: Dovecot;
  let smtp: Awaited<ReturnType<typeof startSmtpPeer>>;
  let admin: TestUser;
  const logLines: string[] = [];

  beforeAll(async () => {
    if (!hasDovecot) return;
    [imap, smtp, ctx] = await Promise.all([
      startDovecot({ password: 'imap-Kennwort-7' }),
      startSmtpPeer({ user: 'versand', password: 'smtp-Kennwort-8' }),
      createTestContext({ logLines }),
    ]);
    await seedBasics(ctx.db);
    admin = await createUser(ctx, { role: 'admin' });
  }, 30_000);
  afterAll(async () => {
    await Promise.all([imap?.stop(), smtp?.close(), ctx?.close()]);
  });

  const fields = () => ({
    name: 'Beschwerde',
    from: 'beschwerde@musterstadt.example',
    team: 'leitstelle',
    type: 'complaint',
    signature: 'Ihre Stadtverwaltung',
    imapHost: '127.0.0.1',
    imapPort: String(imap.port),
    imapSecurity: 'plain',
    imapUser: imap.user,
    imapPassword: imap.password,
    mailbox: 'INBOX',
    moveTo: '',
    smtpHost: '127.0.0.1',
    smtpPort: String(smtp.port),
    smtpSecurity: 'plain',
    smtpUser: 'versand',
    smtpPassword: 'smtp-Kennwort-8',
  });
  const page = async (url: string) => ctx.app.inject({ method: 'GET', url, headers: { cookie: admin.cookie, accept: 'text/html' } });
  const rowOf = async (name: string) => (await ctx.db.select().from(channelAccounts).where(eq(channelAccounts.name, name)))[0];

  it.skipIf(!hasDovecot)('is for admins only and linked from the admin home page', async () => {
    const staff = await createUser(ctx, { role: 'staff' });
    const res = await ctx.app.inject({ method: 'GET', url: '/admin/kanaele', headers: { cookie: staff.cookie, accept: 'text/html' } });
    expect(res.statusCode).toBe(403);
    expect((await page('/admin')).body).toContain('href="/admin/kanaele"');
  });

  it.skipIf(!hasDovecot)('adds an account, tests it against both servers and never shows its passwords again', async () => {
    const created = await postForm(ctx, '/admin/kanaele', '/admin/kanaele', admin.cookie, fields());
    expect(created.statusCode).toBe(303);
    const url = String(created.headers.location).replace(/\?.*$/, '');
    const row = await rowOf('Beschwerde');
    expect(row?.secrets).not.toContain('Kennwort');
    expect(row?.defaultType).toBe('complaint');

    const tested = await postForm(ctx, url, `${url}/test`, admin.cookie, {});
    expect(tested.statusCode).toBe(200);
    expect(tested.body).toContain('IMAP: Anmeldung erfolgreich, Ordner „INBOX“ enthält 0 Nachrichten.');
    expect(tested.body).toContain('SMTP: Anmeldung erfolgreich, der Server nimmt Mails an.');
    const list = await page('/admin/kanaele');
    expect(list.body).toMatch(
      /Beschwerde<\/a><\/th><td class="kern-table__cell">beschwerde@musterstadt\.example<\/td><td class="kern-table__cell">aktiv/,
    );
    for (const html of [tested.body, list.body, (await page(url)).body]) expect(html).not.toContain('Kennwort');
    expect(logLines.join('\n')).not.toContain('Kennwort');
  });

  it.skipIf(!hasDovecot)('keeps the stored password when the field stays empty, and shows wrong ones in German', async () => {
    const url = `/admin/kanaele/${(await rowOf('Beschwerde'))?.id}`;
    const kept = await postForm(ctx, url, url, admin.cookie, { ...fields(), imapPassword: '', smtpPassword: '', signature: 'Neu' });
    expect(kept.statusCode).toBe(303);
    expect((await postForm(ctx, url, `${url}/test`, admin.cookie, {})).body).toContain('IMAP: Anmeldung erfolgreich');

    await postForm(ctx, url, url, admin.cookie, { ...fields(), imapPassword: 'falsch' });
    const wrong = await postForm(ctx, url, `${url}/test`, admin.cookie, {});
    expect(wrong.body).toContain('IMAP: Anmeldung abgelehnt (Benutzername oder Passwort falsch)');
    expect(wrong.body).toContain('SMTP: Anmeldung erfolgreich');
    expect((await page('/admin/kanaele')).body).toContain('gestört');
  });

  it.skipIf(!hasDovecot)('names a closed port, refuses bad input beside its field, and a duplicate name', async () => {
    const closed = await freePort();
    const created = await postForm(ctx, '/admin/kanaele', '/admin/kanaele', admin.cookie, {
      ...fields(),
      name: 'Bürgerservice',
      imapPort: String(closed),
    });
    const url = String(created.headers.location).replace(/\?.*$/, '');
    expect((await postForm(ctx, url, `${url}/test`, admin.cookie, {})).body).toContain(
      `IMAP: Server nicht erreichbar (127.0.0.1:${closed})`,
    );

    const bad = await postForm(ctx, '/admin/kanaele', '/admin/kanaele', admin.cookie, {
      ...fields(),
      name: 'Neu',
      imapPort: 'abc',
      from: 'x',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Bitte geben Sie den Port des IMAP-Servers als Zahl an.');
    expect(bad.body).toContain('Die Absenderadresse ist keine gültige E-Mail-Adresse.');
    expect(bad.body).not.toContain('imap-Kennwort-7');
    const duplicate = await postForm(ctx, '/admin/kanaele', '/admin/kanaele', admin.cookie, { ...fields(), name: 'beschwerde' });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.body).toContain('Ein Postfach mit diesem Namen gibt es schon.');
  });

  it.skipIf(!hasDovecot)('disables and removes an account', async () => {
    const url = `/admin/kanaele/${(await rowOf('Bürgerservice'))?.id}`;
    expect((await postForm(ctx, url, `${url}/aktiv`, admin.cookie, { aktiv: 'nein' })).statusCode).toBe(303);
    expect((await rowOf('Bürgerservice'))?.enabled).toBe(false);
    expect((await postForm(ctx, url, `${url}/entfernen`, admin.cookie, {})).headers.location).toBe('/admin/kanaele?hinweis=entfernt');
    expect(await rowOf('Bürgerservice')).toBeUndefined();
    expect((await page(url)).statusCode).toBe(404);
  });
});
