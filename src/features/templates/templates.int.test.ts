import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fileCase, postForm } from '../../../test/helpers/cases.ts';
import { createTestContext, createUser, describeDb, type TestContext, type TestUser } from '../../../test/helpers/context.ts';
import { seedBasics } from '../../../test/helpers/fixtures.ts';
import { outboxMails } from '../../../test/helpers/outbox.ts';
import { caseSlas, replyTemplates, teamSettings } from '../../infra/schema/index.ts';

describeDb('Textbausteine', () => {
  let ctx: TestContext;
  let town: Awaited<ReturnType<typeof seedBasics>>;
  let admin: TestUser;
  let leit: TestUser;
  let tief: TestUser;

  const get = (url: string, user: TestUser) => ctx.app.inject({ url, headers: { cookie: user.cookie, accept: 'text/html' } });
  const create = (user: TestUser, fields: Record<string, string>) =>
    postForm(ctx, '/staff/textbausteine', '/staff/textbausteine', user.cookie, fields);
  const templateId = async (title: string) => {
    const [row] = await ctx.db.select().from(replyTemplates).where(eq(replyTemplates.title, title));
    if (!row) throw new Error(`no template ${title}`);
    return row.id;
  };

  beforeAll(async () => {
    ctx = await createTestContext();
    town = await seedBasics(ctx.db);
    admin = await createUser(ctx, { role: 'admin', name: 'Ada Admin' });
    leit = await createUser(ctx, { teamIds: [town.teams.leitstelle.id], name: 'Lea Leitstelle' });
    tief = await createUser(ctx, { teamIds: [town.teams.tiefbau.id], name: 'Tim Tiefbau' });
  });
  afterAll(() => ctx.close());

  it('lets a team member create a template for their team, and shows it in the list', async () => {
    const res = await create(leit, {
      title: 'Laterne repariert',
      teamId: String(town.teams.leitstelle.id),
      body: 'Die Laterne zu Vorgang {{vorgang}} leuchtet wieder. Bis {{frist}} schauen wir nochmal. {{unbekannt}}',
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/staff/textbausteine?hinweis=angelegt');
    const list = await get('/staff/textbausteine?hinweis=angelegt', leit);
    expect(list.body).toContain('Der Textbaustein ist angelegt.');
    expect(list.body).toContain('Laterne repariert');
  });

  it('refuses a global template from staff, a foreign team, empty and overlong fields, and a duplicate title', async () => {
    const global = await create(leit, { title: 'Für alle', teamId: '', body: 'Hallo' });
    expect(global.statusCode).toBe(400);
    expect(global.body).toContain('Textbausteine für alle Teams legt die Verwaltung an.');
    expect(global.body).toContain('value="Für alle"');

    const foreign = await create(leit, { title: 'Fremd', teamId: String(town.teams.tiefbau.id), body: 'Hallo' });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.body).toContain('Für dieses Team dürfen Sie keine Textbausteine anlegen.');

    const empty = await create(leit, { title: ' ', teamId: String(town.teams.leitstelle.id), body: '' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Bitte geben Sie dem Textbaustein einen Namen.');
    expect(empty.body).toContain('Bitte schreiben Sie den Text.');

    const long = await create(leit, { title: 'x'.repeat(81), teamId: String(town.teams.leitstelle.id), body: 'y'.repeat(5001) });
    expect(long.statusCode).toBe(400);
    expect(long.body).toContain('höchstens 80 Zeichen');
    expect(long.body).toContain('höchstens 5.000 Zeichen');

    const dup = await create(leit, { title: 'LATERNE REPARIERT', teamId: String(town.teams.leitstelle.id), body: 'Noch einmal' });
    expect(dup.statusCode).toBe(409);
    expect(dup.body).toContain('Einen Textbaustein mit diesem Namen gibt es hier schon.');

    const rows = await ctx.db.select().from(replyTemplates);
    expect(rows.map((r) => r.title)).toEqual(['Laterne repariert']);
  });

  it('lets an admin write a global template; staff may read but not edit it', async () => {
    const res = await create(admin, {
      title: 'Danke für die Idee',
      teamId: '',
      body: 'Danke, {{name}}! Das Team {{team}} prüft Ihre Idee.',
    });
    expect(res.statusCode).toBe(303);
    const id = await templateId('Danke für die Idee');
    expect((await get('/staff/textbausteine', tief)).body).toContain('Danke für die Idee');
    expect((await get(`/staff/textbausteine/${id}`, tief)).statusCode).toBe(403);
    const leitId = await templateId('Laterne repariert');
    expect((await get(`/staff/textbausteine/${leitId}`, tief)).statusCode).toBe(404);
    expect((await get('/staff/textbausteine', tief)).body).not.toContain(`href="/staff/textbausteine/${leitId}"`);
    expect((await get('/staff/textbausteine', leit)).body).toContain(`href="/staff/textbausteine/${leitId}"`);
  });

  it('edits and deletes a template, with HTML kept as text', async () => {
    const id = await templateId('Laterne repariert');
    const res = await postForm(ctx, `/staff/textbausteine/${id}`, `/staff/textbausteine/${id}`, leit.cookie, {
      title: 'Laterne <b>repariert</b>',
      teamId: String(town.teams.leitstelle.id),
      body: 'Die Laterne zu Vorgang {{vorgang}} leuchtet wieder. Bis {{frist}} schauen wir nochmal. {{unbekannt}}',
    });
    expect(res.statusCode).toBe(303);
    const page = await get(`/staff/textbausteine/${id}`, leit);
    expect(page.body).toContain('Laterne &lt;b>repariert&lt;/b>');
    expect(page.body).not.toContain('<b>repariert</b>');

    const temp = await create(leit, { title: 'Wegwerf', teamId: String(town.teams.leitstelle.id), body: 'weg' });
    expect(temp.statusCode).toBe(303);
    const tempId = await templateId('Wegwerf');
    const del = await postForm(ctx, `/staff/textbausteine/${tempId}`, `/staff/textbausteine/${tempId}/loeschen`, leit.cookie, {});
    expect(del.statusCode).toBe(303);
    expect(await ctx.db.select().from(replyTemplates).where(eq(replyTemplates.id, tempId))).toEqual([]);
  });

  it('fills the reply box on the case page from ?vorlage=, with variables and unknown placeholders left visible', async () => {
    const c = await fileCase(ctx, { reporterName: 'Erika Mustermann' });
    const id = await templateId('Laterne <b>repariert</b>');
    const page = await get(`/staff/faelle/${c.number}?vorlage=${id}`, leit);
    expect(page.statusCode).toBe(200);
    const box = /<textarea[^>]*id="reply-body"[^>]*>([^<]*)<\/textarea>/.exec(page.body)?.[1];
    expect(box).toBe(`Die Laterne zu Vorgang ${c.number} leuchtet wieder. Bis bald schauen wir nochmal. {{unbekannt}}`);
    // The island gets the same rendered text for every template this clerk may use.
    expect(page.body).toContain('data-text="Danke, Erika Mustermann! Das Team Leitstelle prüft Ihre Idee."');

    await ctx.db.insert(caseSlas).values({
      caseId: c.caseId,
      policyName: 'Test',
      startedAt: new Date('2026-03-02T08:00:00Z'),
      responseMinutes: 60,
      resolutionMinutes: 600,
      warnPercent: 80,
      responseDueAt: new Date('2026-03-02T09:00:00Z'),
      resolutionDueAt: new Date('2026-03-04T12:00:00Z'),
    });
    const withDue = await get(`/staff/faelle/${c.number}?vorlage=${id}`, leit);
    expect(withDue.body).toContain('Bis 04.03.2026 schauen wir nochmal.');
  });

  it('answers a template the clerk may not use, or garbage, with 400 and a message', async () => {
    const c = await fileCase(ctx);
    const foreign = await ctx.db
      .insert(replyTemplates)
      .values({ teamId: town.teams.tiefbau.id, title: 'Nur Tiefbau', body: 'Geheim' })
      .returning({ id: replyTemplates.id });
    for (const v of [String(foreign[0]?.id), 'abc', '999999']) {
      const page = await get(`/staff/faelle/${c.number}?vorlage=${v}`, leit);
      expect(page.statusCode).toBe(400);
      expect(page.body).toContain('Diesen Textbaustein gibt es nicht (mehr).');
      expect(page.body).not.toContain('Geheim');
    }
  });

  it('saves a team signature and round-robin, only for members and admins', async () => {
    const url = `/staff/textbausteine/team/${town.teams.leitstelle.id}`;
    const res = await postForm(ctx, url, url, leit.cookie, { signature: 'Ihre Leitstelle\nTel. 0123 456', roundRobin: 'yes' });
    expect(res.statusCode).toBe(303);
    const [row] = await ctx.db.select().from(teamSettings).where(eq(teamSettings.teamId, town.teams.leitstelle.id));
    expect(row?.signature).toBe('Ihre Leitstelle\nTel. 0123 456');
    expect(row?.roundRobin).toBe(true);

    const off = await postForm(ctx, url, url, leit.cookie, { signature: '' });
    expect(off.statusCode).toBe(303);
    const [after] = await ctx.db.select().from(teamSettings).where(eq(teamSettings.teamId, town.teams.leitstelle.id));
    expect(after).toMatchObject({ signature: null, roundRobin: false });

    const long = await postForm(ctx, url, url, leit.cookie, { signature: 'x'.repeat(601) });
    expect(long.statusCode).toBe(400);
    expect(long.body).toContain('höchstens 600 Zeichen');

    expect((await get(url, tief)).statusCode).toBe(404);
    expect((await get(url, admin)).statusCode).toBe(200);
  });

  it('closes reply mails with the team signature instead of the generic team line', async () => {
    const url = `/staff/textbausteine/team/${town.teams.leitstelle.id}`;
    await postForm(ctx, url, url, leit.cookie, { signature: 'Ihre Leitstelle Musterstadt\nMo–Fr 8–18 Uhr, Tel. 0123 456' });
    const withSignature = await fileCase(ctx, { reporterEmail: 'erika@example.org' });
    const res = await postForm(ctx, `/staff/faelle/${withSignature.number}`, `/staff/faelle/${withSignature.number}/antwort`, leit.cookie, {
      version: '1',
      body: 'Die Bank ist repariert.',
    });
    expect(res.statusCode).toBe(303);
    const mails = await outboxMails(ctx.db, { caseId: withSignature.caseId });
    const reply = mails.find((m) => m.text.includes('Die Bank ist repariert.'));
    expect(reply?.text).toContain('Viele Grüße\nLea Leitstelle\nIhre Leitstelle Musterstadt\nMo–Fr 8–18 Uhr, Tel. 0123 456\n');
    expect(reply?.text).not.toContain('Leitstelle, Stadt Musterstadt');
  });
});
