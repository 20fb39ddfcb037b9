import { eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fileCase, postForm } from '../../../test/helpers/cases.ts';
import { createTestContext, createUser, describeDb, type TestContext, type TestUser } from '../../../test/helpers/context.ts';
import { seedBasics } from '../../../test/helpers/fixtures.ts';
import { fixedClock } from '../../infra/clock.ts';
import { caseSlas, officeHours, routingRules, slaPolicies, teamLeads } from '../../infra/schema/index.ts';

const berlin = (local: string) => DateTime.fromISO(local, { zone: 'Europe/Berlin' }).toJSDate();
const inBerlin = (d: Date | null | undefined) =>
  d ? DateTime.fromJSDate(d, { zone: 'Europe/Berlin' }).toFormat("ccc yyyy-MM-dd'T'HH:mm") : null;

const policyForm = (over: Record<string, string> = {}) => ({
  name: 'Standard',
  teamId: '',
  caseType: '',
  priority: '',
  responseMinutes: '8',
  resolutionMinutes: '40',
  warnPercent: '80',
  ...over,
});

describeDb('SLA administration', () => {
  const clock = fixedClock(berlin('2026-03-02T09:00'));
  let ctx: TestContext;
  let town: Awaited<ReturnType<typeof seedBasics>>;
  let admin: TestUser;
  let staff: TestUser;
  const post = (action: string, fields: Record<string, string>, page = '/admin/fristen') =>
    postForm(ctx, page, action, admin.cookie, fields);

  beforeAll(async () => {
    ctx = await createTestContext({ clock });
    town = await seedBasics(ctx.db);
    admin = await createUser(ctx, { role: 'admin', name: 'Ada Admin' });
    staff = await createUser(ctx, { teamIds: [town.teams.tiefbau.id], name: 'Tim Tiefbau' });
  });
  afterAll(() => ctx.close());

  it('is for administrators only, and tells which holidays count', async () => {
    const forStaff = await ctx.app.inject({ url: '/admin/fristen', headers: { cookie: staff.cookie, accept: 'text/html' } });
    expect(forStaff.statusCode).toBe(403);
    const page = await ctx.app.inject({ url: '/admin/fristen', headers: { cookie: admin.cookie, accept: 'text/html' } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Feiertage in Baden-Württemberg');
    expect(page.body).toContain('Karfreitag');
    expect(page.body).toContain('Mo–Do 08:00–16:00 · Fr 08:00–12:00');
    const home = await ctx.app.inject({ url: '/admin', headers: { cookie: admin.cookie, accept: 'text/html' } });
    expect(home.body).toContain('href="/admin/fristen"');
  });

  it('creates a policy that new cases get at once, and refuses a second one for the same scope', async () => {
    const res = await post('/admin/fristen', policyForm({ responseMinutes: '1,5' }));
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/admin/fristen?hinweis=angelegt');
    const [row] = await ctx.db.select().from(slaPolicies).where(eq(slaPolicies.name, 'Standard'));
    expect(row).toMatchObject({
      teamId: null,
      caseType: null,
      priority: null,
      responseMinutes: 90,
      resolutionMinutes: 2400,
      warnPercent: 80,
    });

    const c = await fileCase(ctx);
    const [sla] = await ctx.db.select().from(caseSlas).where(eq(caseSlas.caseId, c.caseId));
    expect(inBerlin(sla?.responseDueAt)).toBe('Mon 2026-03-02T10:30');

    const again = await post('/admin/fristen', policyForm({ name: 'Noch eine' }));
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('Für genau diese Kombination gibt es schon eine Frist: „Standard“');
    expect(again.body).toContain('value="Noch eine"');
  });

  it('explains bad input per field, keeps what was typed and stores nothing', async () => {
    const before = (await ctx.db.select().from(slaPolicies)).length;
    const res = await post(
      '/admin/fristen',
      policyForm({
        name: '',
        teamId: String(town.teams.tiefbau.id),
        responseMinutes: 'acht',
        resolutionMinutes: '0,1',
        warnPercent: '120',
      }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Bitte geben Sie der Frist einen Namen.');
    expect(res.body).toContain('als Zahl ein, z. B. 8 oder 1,5');
    expect(res.body).toContain('mindestens eine Viertelstunde');
    expect(res.body).toContain('zwischen 50 und 95');
    expect(res.body).toContain('value="acht"');
    const longer = await post(
      '/admin/fristen',
      policyForm({ name: 'Verkehrt', priority: 'urgent', responseMinutes: '8', resolutionMinutes: '4' }),
    );
    expect(longer.statusCode).toBe(400);
    expect(longer.body).toContain('Erledigt sein kann ein Anliegen nicht vor der ersten Antwort');
    const script = await post('/admin/fristen', policyForm({ name: '<script>alert(1)</script>', priority: 'sonstwas' }));
    expect(script.statusCode).toBe(400);
    expect(script.body).not.toContain('<script>alert(1)</script>');
    expect(script.body).toContain('&lt;script>');
    expect((await ctx.db.select().from(slaPolicies)).length).toBe(before);
  });

  it('edits and deletes a policy', async () => {
    await post('/admin/fristen', policyForm({ name: 'Tiefbau', teamId: String(town.teams.tiefbau.id), responseMinutes: '4' }));
    const [row] = await ctx.db.select().from(slaPolicies).where(eq(slaPolicies.name, 'Tiefbau'));
    if (!row) throw new Error('not created');
    const edit = await ctx.app.inject({ url: `/admin/fristen/${row.id}`, headers: { cookie: admin.cookie, accept: 'text/html' } });
    expect(edit.body).toContain('value="4"');
    const saved = await post(
      `/admin/fristen/${row.id}`,
      policyForm({ name: 'Tiefbauamt', teamId: String(town.teams.tiefbau.id), responseMinutes: '2' }),
      `/admin/fristen/${row.id}`,
    );
    expect(saved.statusCode).toBe(303);
    expect((await ctx.db.select().from(slaPolicies).where(eq(slaPolicies.id, row.id)))[0]?.responseMinutes).toBe(120);
    const bad = await post(`/admin/fristen/${row.id}`, policyForm({ name: '' }), `/admin/fristen/${row.id}`);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Bitte geben Sie der Frist einen Namen.');
    // A rule naming the policy keeps it: 409 with the rule's name, nothing deleted.
    const [rule] = await ctx.db
      .insert(routingRules)
      .values({
        name: 'Schulwege',
        position: 1,
        conditions: { kind: 'all', conditions: [] },
        actions: [{ kind: 'sla', policyId: row.id }],
      })
      .returning();
    const refused = await post(`/admin/fristen/${row.id}/loeschen`, {}, `/admin/fristen/${row.id}`);
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('Diese Frist wird von der Regel „Schulwege“ verwendet.');
    expect(await ctx.db.select().from(slaPolicies).where(eq(slaPolicies.id, row.id))).toHaveLength(1);
    await ctx.db.delete(routingRules).where(eq(routingRules.id, rule?.id ?? 0));
    const gone = await post(`/admin/fristen/${row.id}/loeschen`, {}, `/admin/fristen/${row.id}`);
    expect(gone.statusCode).toBe(303);
    expect(await ctx.db.select().from(slaPolicies).where(eq(slaPolicies.id, row.id))).toEqual([]);
    const missing = await ctx.app.inject({ url: `/admin/fristen/${row.id}`, headers: { cookie: admin.cookie, accept: 'text/html' } });
    expect(missing.statusCode).toBe(404);
  });

  it('sets a team’s office hours, closing days and leads; new clocks run on them', async () => {
    const url = `/admin/fristen/zeiten/${town.teams.leitstelle.id}`;
    const lead = await createUser(ctx, { teamIds: [town.teams.leitstelle.id], name: 'Lina Leitung' });
    const form = await ctx.app.inject({ url, headers: { cookie: admin.cookie, accept: 'text/html' } });
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Lina Leitung');
    const week = {
      day0: '07:00–19:00',
      day1: '7-19',
      day2: '07:00-19:00',
      day3: '07:00-19:00',
      day4: '07:00-19:00',
      day5: '09:00-12:00',
      day6: '',
    };
    const bad = await post(url, { ...week, day6: '25-26', closedDays: '31.02.' }, url);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Sonntag: „25-26“ ist keine Uhrzeit');
    expect(bad.body).toContain('„31.02.“ ist kein Tag');
    expect(bad.body).toContain('value="25-26"');
    expect(await ctx.db.select().from(officeHours)).toEqual([]);

    const ok = await post(url, { ...week, closedDays: '24.12., 31.12.', lead: String(lead.id) }, url);
    expect(ok.statusCode).toBe(303);
    const [saved] = await ctx.db.select().from(officeHours);
    expect(saved?.week[5]).toEqual([[540, 720]]);
    expect(saved?.closedDays).toEqual(['12-24', '12-31']);
    expect(await ctx.db.select().from(teamLeads)).toEqual([{ teamId: town.teams.leitstelle.id, userId: lead.id }]);

    // Saturday 10:00 with 1.5 h to the first answer: Saturday 10–12, so due 11:30 the same day.
    clock.set(berlin('2026-03-07T10:00'));
    const c = await fileCase(ctx);
    const [sla] = await ctx.db.select().from(caseSlas).where(eq(caseSlas.caseId, c.caseId));
    expect(inBerlin(sla?.responseDueAt)).toBe('Sat 2026-03-07T11:30');
    clock.set(berlin('2026-03-02T10:00'));

    const reset = await post(`${url}/standard`, {}, url);
    expect(reset.statusCode).toBe(303);
    expect(await ctx.db.select().from(officeHours)).toEqual([]);
    expect(await ctx.db.select().from(teamLeads)).toHaveLength(1);
  });

  it('refuses a week without any office hours and an unknown team', async () => {
    clock.set(berlin('2026-03-02T10:00'));
    const closed = Object.fromEntries([0, 1, 2, 3, 4, 5, 6].map((i) => [`day${i}`, '']));
    const res = await post('/admin/fristen/zeiten/standard', closed, '/admin/fristen/zeiten/standard');
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('An mindestens einem Tag muss geöffnet sein');
    const unknown = await ctx.app.inject({ url: '/admin/fristen/zeiten/99999', headers: { cookie: admin.cookie, accept: 'text/html' } });
    expect(unknown.statusCode).toBe(404);
  });
});
