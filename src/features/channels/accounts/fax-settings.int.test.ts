import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { postForm } from '../../../../test/helpers/cases.ts';
import { runData } from '../../../../test/helpers/commands.ts';
import { createTestContext, createUser, describeDb, type TestContext, type TestUser } from '../../../../test/helpers/context.ts';
import { seedBasics } from '../../../../test/helpers/fixtures.ts';
import { channelAccounts } from '../../../infra/schema/index.ts';
import { channelAdd, channelShow } from './commands.ts';

/** The fax gateway setting of a mailbox, on the command line and in /admin/kanaele (no server is contacted). */
describeDb('fax inbox settings of a mailbox', () => {
  let ctx: TestContext;
  let admin: TestUser;

  beforeAll(async () => {
    ctx = await createTestContext();
    await seedBasics(ctx.db);
    admin = await createUser(ctx, { role: 'admin' });
  }, 30_000);
  afterAll(async () => {
    await ctx?.close();
  });

  const faxOf = async (name: string) =>
    (await ctx.db.select({ settings: channelAccounts.settings }).from(channelAccounts).where(eq(channelAccounts.name, name)))[0]
      ?.settings as { fax?: unknown } | undefined;
  const add = (name: string, extra: Record<string, unknown>) =>
    runData(ctx, channelAdd, {
      kind: 'email',
      name,
      imap: 'imap://fax:geheim@127.0.0.1:143/INBOX?tls=none',
      smtp: 'smtp://127.0.0.1:25?tls=none',
      from: 'buergerservice@musterstadt.example',
      ...extra,
    });

  it('amtsblatt channel add email --fax-sender … --fax-subject …: stores both patterns and shows them', async () => {
    const added = await add('Telefax', { faxSender: '^fax@telefon\\.musterstadt\\.example$', faxSubject: '^Fax (von|from)' });
    expect(added).toMatchObject({ exitCode: 0, stderr: '' });
    expect((await faxOf('Telefax'))?.fax).toEqual({
      all: false,
      sender: '^fax@telefon\\.musterstadt\\.example$',
      subject: '^Fax (von|from)',
    });
    const show = await runData(ctx, channelShow, { name: 'Telefax' });
    expect(show.stdout).toContain(
      'Faxe:              Mails, deren Absender auf ^fax@telefon\\.musterstadt\\.example$ passt und deren Betreff auf ^Fax (von|from) passt',
    );
  });

  it('--fax: every mail of the box is a fax', async () => {
    expect((await add('Faxeingang', { fax: true })).exitCode).toBe(0);
    expect((await faxOf('Faxeingang'))?.fax).toEqual({ all: true, sender: null, subject: null });
    expect((await runData(ctx, channelShow, { name: 'Faxeingang' })).stdout).toContain('Faxe:              alle Mails dieses Postfachs');
  });

  it('refuses a pattern RE2 cannot take, in German and naming the option', async () => {
    const refused = await add('Kaputt', { faxSubject: '(?=Fax)', faxSender: '(fax' });
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain('--fax-subject: Vorausschau wie (?=…) oder (?!…) wird von der Regelprüfung nicht unterstützt');
    expect(refused.stderr).toContain('--fax-sender: Eine runde Klammer „(“ wird nicht geschlossen.');
    expect(await faxOf('Kaputt')).toBeUndefined();
  });

  it('keeps mailboxes stored before the fax setting valid: none of their mail is a fax', async () => {
    expect((await add('Alt', {})).exitCode).toBe(0);
    await ctx.db
      .update(channelAccounts)
      .set({ settings: sql`${channelAccounts.settings} - 'fax'` })
      .where(eq(channelAccounts.name, 'Alt'));
    expect((await faxOf('Alt'))?.fax).toBeUndefined();
    expect((await runData(ctx, channelShow, { name: 'Alt' })).stdout).toContain('Faxe:              keine (kein Fax-Eingang)');
  });

  it('/admin/kanaele: ticks "Dieses Postfach ist ein Fax-Eingang", refuses a bad pattern beside its field, clears the tick', async () => {
    const fields = {
      name: 'Fax Rathaus',
      from: 'rathaus@musterstadt.example',
      imapHost: '127.0.0.1',
      imapPort: '143',
      imapSecurity: 'plain',
      imapUser: 'fax',
      imapPassword: 'geheim',
      mailbox: 'INBOX',
      smtpHost: '127.0.0.1',
      smtpPort: '25',
      smtpSecurity: 'plain',
    };
    const created = await postForm(ctx, '/admin/kanaele', '/admin/kanaele', admin.cookie, { ...fields, faxAll: 'yes' });
    expect(created.statusCode).toBe(303);
    expect((await faxOf('Fax Rathaus'))?.fax).toEqual({ all: true, sender: null, subject: null });
    const url = String(created.headers.location).replace(/\?.*$/, '');
    const page = await ctx.app.inject({ method: 'GET', url, headers: { cookie: admin.cookie, accept: 'text/html' } });
    expect(page.body).toMatch(/<input[^>]*id="faxAll"[^>]*checked/);
    expect(page.body).toContain('Dieses Postfach ist ein Fax-Eingang');

    const bad = await postForm(ctx, url, url, admin.cookie, { ...fields, imapPassword: '', faxSubject: '^Fax (von' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Eine runde Klammer „(“ wird nicht geschlossen.');
    expect(bad.body).toContain('value="^Fax (von"');
    expect((await faxOf('Fax Rathaus'))?.fax).toEqual({ all: true, sender: null, subject: null });

    const changed = await postForm(ctx, url, url, admin.cookie, { ...fields, imapPassword: '', faxSubject: '^Fax (von|from)' });
    expect(changed.statusCode).toBe(303);
    expect((await faxOf('Fax Rathaus'))?.fax).toEqual({ all: false, sender: null, subject: '^Fax (von|from)' });
    const edited = await ctx.app.inject({ method: 'GET', url, headers: { cookie: admin.cookie, accept: 'text/html' } });
    expect(edited.body).not.toMatch(/<input[^>]*id="faxAll"[^>]*checked/);
    expect(edited.body).toContain('Mails, deren Betreff auf ^Fax (von|from) passt');
  });
});
