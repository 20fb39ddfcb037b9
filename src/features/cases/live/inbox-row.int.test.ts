import { afterAll, beforeAll, expect, it } from 'vitest';
import { fileCase } from '../../../../test/helpers/cases.ts';
import { createTestContext, createUser, describeDb, type TestContext, type TestUser } from '../../../../test/helpers/context.ts';
import { seedBasics } from '../../../../test/helpers/fixtures.ts';

/** The row the live inbox puts on top when a case arrives: only for a view that would list it there. */
describeDb('inbox row of a new case for the live inbox', () => {
  let ctx: TestContext;
  let town: Awaited<ReturnType<typeof seedBasics>>;
  let leit: TestUser;
  let tief: TestUser;

  beforeAll(async () => {
    ctx = await createTestContext();
    town = await seedBasics(ctx.db);
    leit = await createUser(ctx, { teamIds: [town.teams.leitstelle.id], name: 'Lea Leitstelle' });
    tief = await createUser(ctx, { teamIds: [town.teams.tiefbau.id], name: 'Tim Tiefbau' });
  });
  afterAll(() => ctx?.close());

  const row = (number: string, query = '', user: TestUser | null = leit) =>
    ctx.app.inject({
      url: `/staff/faelle/${number}/zeile${query}`,
      headers: { accept: 'text/html', ...(user ? { cookie: user.cookie } : {}) },
    });

  it('renders the same row the inbox shows, for the view’s filters', async () => {
    const c = await fileCase(ctx, { type: 'defect', description: 'Ein Schlagloch in der Hauptstraße, gut 20 cm tief.' });
    const res = await row(c.number);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toMatch(new RegExp(`^<tr class="kern-table__row" data-case="${c.number}">`));
    expect(res.body).toContain(`href="/staff/faelle/${c.number}"`);
    expect(res.body).toContain('Ein Schlagloch in der Hauptstraße');
    const inbox = await ctx.app.inject({ url: '/staff', headers: { accept: 'text/html', cookie: leit.cookie } });
    expect(inbox.body).toContain(res.body);
    expect(inbox.body).toContain('data-live-rows');
    expect((await row(c.number, '?status=offen&art=defect')).statusCode).toBe(200);
  });

  it('answers 204 when the view would not list it on top, and 404 to those who may not see it', async () => {
    const c = await fileCase(ctx, { type: 'defect' });
    expect((await row(c.number, '?art=idea')).statusCode).toBe(204);
    expect((await row(c.number, `?team=${town.teams.tiefbau.id}`)).statusCode).toBe(204);
    expect((await row(c.number, '?sortierung=faelligkeit')).statusCode).toBe(204);
    expect((await row(c.number, '?nach=abc')).statusCode).toBe(204);
    expect((await row(c.number, '?status=kaputt')).statusCode).toBe(204);
    expect((await row(c.number, '', tief)).statusCode).toBe(404);
    // Without a session: to the sign-in page, as every staff page does.
    expect((await row(c.number, '', null)).statusCode).toBe(303);
  });
});
