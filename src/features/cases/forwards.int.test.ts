import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fileCase, postForm, versionOn } from '../../../test/helpers/cases.ts';
import { createTestContext, createUser, describeDb, type TestContext, type TestUser } from '../../../test/helpers/context.ts';
import { seedBasics } from '../../../test/helpers/fixtures.ts';
import { caseForwards, messages } from '../../infra/schema/index.ts';
import { formatDate } from './time.ts';

describeDb('a case handed on to another team', () => {
  let ctx: TestContext;
  let town: Awaited<ReturnType<typeof seedBasics>>;
  let lea: TestUser;
  let tim: TestUser;
  let ina: TestUser;

  const page = (url: string, user: TestUser) => ctx.app.inject({ url, headers: { cookie: user.cookie, accept: 'text/html' } });
  const post = async (number: string, action: string, fields: Record<string, string>, user: TestUser) => {
    const version = fields.version ?? versionOn((await page(`/staff/faelle/${number}`, user)).body);
    return postForm(ctx, `/staff/faelle/${number}`, `/staff/faelle/${number}/${action}`, user.cookie, { version, ...fields });
  };
  const edit = (teamId: number, status = 'new') => ({ status, type: 'defect', categoryId: '', teamId: String(teamId), priority: 'normal' });

  beforeAll(async () => {
    ctx = await createTestContext();
    town = await seedBasics(ctx.db);
    lea = await createUser(ctx, { teamIds: [town.teams.leitstelle.id], name: 'Lea Leitstelle' });
    tim = await createUser(ctx, { teamIds: [town.teams.tiefbau.id], name: 'Tim Tiefbau' });
    ina = await createUser(ctx, { teamIds: [town.teams.innovation.id], name: 'Ina Innovation' });
  });
  afterAll(() => ctx.close());

  /** A Leitstelle case with a note and an answer, handed on to the Tiefbauamt, which then works on it. */
  async function handedOn() {
    const c = await fileCase(ctx, { description: 'Gully in der Hafenstraße verstopft', reporterEmail: 'gerd@example.org' });
    expect((await post(c.number, 'notiz', { body: 'Vorher-Notiz: Anrufer klingt dringend' }, lea)).statusCode).toBe(303);
    expect((await post(c.number, 'antwort', { body: 'Wir geben das an das Tiefbauamt.' }, lea)).statusCode).toBe(303);
    const moved = await post(c.number, 'bearbeiten', edit(town.teams.tiefbau.id), lea);
    expect(moved.statusCode).toBe(303);
    expect((await post(c.number, 'notiz', { body: 'Nachher-Notiz: Bagger erst im Mai frei' }, tim)).statusCode).toBe(303);
    expect((await post(c.number, 'antwort', { body: 'Wir reinigen den Gully am Montag.' }, tim)).statusCode).toBe(303);
    expect((await post(c.number, 'bearbeiten', edit(town.teams.tiefbau.id, 'in_progress'), tim)).statusCode).toBe(303);
    return { ...c, location: String(moved.headers.location) };
  }

  it('stores the hand-off with the team change and names the new team in the notice', async () => {
    const c = await handedOn();
    const rows = await ctx.db.select().from(caseForwards).where(eq(caseForwards.caseId, c.caseId));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ fromTeamId: town.teams.leitstelle.id, toTeamId: town.teams.tiefbau.id, forwardedBy: lea.id });
    expect(c.location).toBe(`/staff?ok=verschoben&fall=${c.number}`);
    const inbox = await page(c.location, lea);
    expect(inbox.statusCode).toBe(200);
    expect(inbox.body).toContain('liegt jetzt beim Team „Tiefbauamt“');
    expect(inbox.body).not.toContain('bei einem anderen Team');
  });

  it('lets the former team read status, facts and answers, but not the notes written after the hand-off', async () => {
    const c = await handedOn();
    const [forward] = await ctx.db.select().from(caseForwards).where(eq(caseForwards.caseId, c.caseId));
    const res = await page(`/staff/faelle/${c.number}`, lea);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(`Weitergeleitet an Tiefbauamt am ${formatDate(forward?.forwardedAt ?? new Date())} — nur lesen`);
    expect(res.body).toContain('in Bearbeitung');
    expect(res.body).toContain('Gully in der Hafenstraße verstopft');
    expect(res.body).toContain('Wir geben das an das Tiefbauamt.');
    expect(res.body).toContain('Wir reinigen den Gully am Montag.');
    expect(res.body).toContain('Vorher-Notiz');
    expect(res.body).not.toContain('Nachher-Notiz');
    expect(res.body).not.toContain('Bagger');
    // No edit controls at all: no form carries the case's version.
    expect(res.body).not.toContain('name="version"');
    expect(res.body).not.toContain(`action="/staff/faelle/${c.number}/`);
    // The new team sees everything.
    expect((await page(`/staff/faelle/${c.number}`, tim)).body).toContain('Nachher-Notiz');
  });

  it('refuses every change by the former team with 403 in German; other teams still get 404', async () => {
    const c = await handedOn();
    const before = (await ctx.db.select().from(messages).where(eq(messages.caseId, c.caseId))).length;
    for (const [action, fields] of [
      ['notiz', { body: 'Noch was' }],
      ['antwort', { body: 'Hallo' }],
      ['bearbeiten', edit(town.teams.leitstelle.id)],
      ['zuweisen', { assignee: 'ich' }],
      ['zusammenfuehren', { other: c.number, otherVersion: '1' }],
    ] as const) {
      const res = await postForm(ctx, '/staff', `/staff/faelle/${c.number}/${action}`, lea.cookie, { version: '5', ...fields });
      expect(res.statusCode, action).toBe(403);
      expect(res.body, action).toContain('Sie können es noch lesen, aber nicht mehr ändern.');
    }
    expect(await ctx.db.select().from(messages).where(eq(messages.caseId, c.caseId))).toHaveLength(before);
    expect((await page(`/staff/faelle/${c.number}`, ina)).statusCode).toBe(404);
    const other = await postForm(ctx, '/staff', `/staff/faelle/${c.number}/notiz`, ina.cookie, { version: '5', body: 'x' });
    expect(other.statusCode).toBe(404);
  });

  it('lists the cases under "Von uns weitergeleitet", and only for the team that handed them on', async () => {
    const c = await handedOn();
    const row = `href="/staff/faelle/${c.number}"`;
    expect((await page('/staff', lea)).body).not.toContain(row);
    const forwarded = await page('/staff?ansicht=weitergeleitet', lea);
    expect(forwarded.statusCode).toBe(200);
    expect(forwarded.body).toContain(row);
    expect(forwarded.body).toContain('Von uns weitergeleitet');
    expect((await page('/staff?ansicht=weitergeleitet', ina)).body).not.toContain(row);
    expect((await page('/staff?ansicht=weitergeleitet', tim)).body).not.toContain(row);
    expect((await page('/staff?ansicht=irgendwas', lea)).statusCode).toBe(400);
  });
});
