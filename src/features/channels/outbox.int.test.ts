import { afterAll, beforeAll, expect, it } from 'vitest';
import { fileCase, postForm, versionOn } from '../../../test/helpers/cases.ts';
import { createTestContext, createUser, describeDb, eventually, type TestContext, type TestUser } from '../../../test/helpers/context.ts';
import { seedBasics } from '../../../test/helpers/fixtures.ts';
import { outboxMails } from '../../../test/helpers/outbox.ts';

describeDb('outbox page', () => {
  let ctx: TestContext;
  let leit: TestUser;
  let tief: TestUser;
  let admin: TestUser;
  let c: Awaited<ReturnType<typeof fileCase>>;
  const get = (url: string, user: TestUser) => ctx.app.inject({ url, headers: { cookie: user.cookie, accept: 'text/html' } });

  beforeAll(async () => {
    ctx = await createTestContext();
    await ctx.startWorkers();
    const town = await seedBasics(ctx.db);
    leit = await createUser(ctx, { teamIds: [town.teams.leitstelle.id], name: 'Lea Leitstelle' });
    tief = await createUser(ctx, { teamIds: [town.teams.tiefbau.id] });
    admin = await createUser(ctx, { role: 'admin' });
    c = await fileCase(ctx, { reporterEmail: 'erika@example.org', description: 'Müll am Ufer' });
    const pageUrl = `/staff/faelle/${c.number}`;
    const page = await get(pageUrl, leit);
    await postForm(ctx, pageUrl, `${pageUrl}/antwort`, leit.cookie, { version: versionOn(page.body), body: 'Wird morgen abgeholt.' });
    // Without SMTP the worker stores the mails as files: status "stored".
    await eventually(async () => {
      const rows = await outboxMails(ctx.db, { caseId: c.caseId });
      return rows.length === 2 && rows.every((r) => r.status === 'stored');
    });
  });
  afterAll(() => ctx.close());

  it('lists the mails with recipient, subject, German status and case link', async () => {
    const res = await get('/staff/outbox', leit);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('erika@example.org');
    expect(res.body).toContain(`[${c.number}] Ihre Meldung ist angekommen`);
    expect(res.body).toContain(`[${c.number}] Antwort auf Ihr Anliegen`);
    expect(res.body).toContain('gespeichert (ohne Mailserver)');
    expect(res.body).toContain(`href="/staff/faelle/${c.number}"`);
    expect(res.body).toContain('kein Mailserver eingerichtet');
  });

  it('shows the full text and the threading headers of one mail', async () => {
    const [reply] = await outboxMails(ctx.db, { subject: `[${c.number}] Antwort auf Ihr Anliegen` });
    const res = await get(`/staff/outbox/${reply?.id}`, leit);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Wird morgen abgeholt.');
    expect(res.body).toContain(`/verfolgen/${c.trackingToken}`);
    expect(res.body).toContain('Message-ID');
    expect(res.body).toContain((reply?.messageId ?? 'missing').replace('<', '&lt;'));
    expect(res.body).toContain('In-Reply-To');
    expect(res.body).toContain((reply?.inReplyTo ?? 'missing').replace('<', '&lt;'));
    expect(res.body).toContain('References');
  });

  it('hides mails of cases a staff member cannot see; admins see them', async () => {
    const [mail] = await outboxMails(ctx.db, { caseId: c.caseId });
    const list = await get('/staff/outbox', tief);
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain('erika@example.org');
    expect((await get(`/staff/outbox/${mail?.id}`, tief)).statusCode).toBe(404);
    expect((await get(`/staff/outbox/${mail?.id}`, admin)).statusCode).toBe(200);
    expect((await get('/staff/outbox', admin)).body).toContain('erika@example.org');
  });

  it('answers nonsense ids and page links with 404 / 400, and visitors go to the login', async () => {
    expect((await get('/staff/outbox/abc', leit)).statusCode).toBe(404);
    expect((await get('/staff/outbox?nach=abc', leit)).statusCode).toBe(400);
    const anon = await ctx.app.inject({ url: '/staff/outbox', headers: { accept: 'text/html' } });
    expect(anon.statusCode).toBe(303);
  });
});
