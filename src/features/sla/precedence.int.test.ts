import { eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fileCase, postForm } from '../../../test/helpers/cases.ts';
import { createTestContext, createUser, describeDb, type TestContext, type TestUser } from '../../../test/helpers/context.ts';
import { seedBasics } from '../../../test/helpers/fixtures.ts';
import { fixedClock } from '../../infra/clock.ts';
import { caseSlas, slaPolicies } from '../../infra/schema/index.ts';
import { invalidateRules } from '../routing/rules/cache.ts';
import { createRule } from '../routing/rules/service.ts';

const berlin = (local: string) => DateTime.fromISO(local, { zone: 'Europe/Berlin' }).toJSDate();

const policyForm = (over: Record<string, string> = {}) => ({
  name: 'Dringend',
  teamId: '',
  caseType: '',
  priority: 'urgent',
  responseMinutes: '2',
  resolutionMinutes: '8',
  warnPercent: '50',
  ...over,
});

describeDb('deadline precedence and working days', () => {
  const clock = fixedClock(berlin('2026-03-02T09:00'));
  let ctx: TestContext;
  let town: Awaited<ReturnType<typeof seedBasics>>;
  let admin: TestUser;
  const post = (action: string, fields: Record<string, string>, page = '/admin/fristen') =>
    postForm(ctx, page, action, admin.cookie, fields);
  const adminPage = (url: string) => ctx.app.inject({ url, headers: { cookie: admin.cookie, accept: 'text/html' } });
  const clockOf = async (caseId: number) => (await ctx.db.select().from(caseSlas).where(eq(caseSlas.caseId, caseId)))[0];
  const policyNamed = async (name: string) => (await ctx.db.select().from(slaPolicies).where(eq(slaPolicies.name, name)))[0];

  beforeAll(async () => {
    ctx = await createTestContext({ clock });
    town = await seedBasics(ctx.db);
    admin = await createUser(ctx, { role: 'admin', name: 'Ada Admin' });
    // Musterstadt's team policy for Störungen at the Leitstelle: 4 h / 24 h.
    const team = await post(
      '/admin/fristen',
      policyForm({
        name: 'Leitstelle: Störungen',
        teamId: String(town.teams.leitstelle.id),
        caseType: 'defect',
        priority: '',
        responseMinutes: '4',
        resolutionMinutes: '24',
        warnPercent: '80',
      }),
    );
    expect(team.statusCode).toBe(303);
    // A gas smell is urgent; the default routing sends a Störung to the Leitstelle.
    await createRule({ db: ctx.db, clock: ctx.clock, log: ctx.log }, null, {
      name: 'Gasgeruch ist dringend',
      triggers: ['created'],
      conditions: { kind: 'all', conditions: [{ kind: 'words', match: 'any', words: ['gasgeruch'] }] },
      actions: [{ kind: 'setPriority', value: 'urgent' }],
    });
    invalidateRules(ctx.db);
  });
  afterAll(() => ctx.close());

  it('says the precedence on /admin/fristen and offers the tick and the unit', async () => {
    const page = await adminPage('/admin/fristen');
    expect(page.body).toContain('Von allen passenden Fristen die genaueste: Team vor Art vor Priorität.');
    expect(page.body).toContain('Vorrang vor Team-Fristen');
    expect(page.body).toContain('Ein Arbeitstag zählt 8 Stunden Arbeitszeit nach den Öffnungszeiten des Teams');
  });

  it('an urgent Störung gets 2 h / 8 h when "Dringend" has "Vorrang vor Team-Fristen", else the team’s 4 h / 24 h', async () => {
    const created = await post('/admin/fristen', policyForm({ overridesTeam: 'yes' }));
    expect(created.statusCode).toBe(303);
    const urgent = await policyNamed('Dringend');
    expect(urgent).toMatchObject({ overridesTeam: true, responseMinutes: 120, resolutionMinutes: 480 });

    const gas = await fileCase(ctx, { type: 'defect', description: 'Starker Gasgeruch im Treppenhaus' });
    expect(await clockOf(gas.caseId)).toMatchObject({ policyName: 'Dringend', responseMinutes: 120, resolutionMinutes: 480 });
    // An ordinary Störung still gets the team's policy.
    const bench = await fileCase(ctx, { type: 'defect', description: 'Die Bank ist kaputt' });
    expect(await clockOf(bench.caseId)).toMatchObject({ policyName: 'Leitstelle: Störungen', responseMinutes: 240 });

    // Without the tick the team's more specific policy wins again.
    const saved = await post(`/admin/fristen/${urgent?.id}`, policyForm(), `/admin/fristen/${urgent?.id}`);
    expect(saved.statusCode).toBe(303);
    expect((await policyNamed('Dringend'))?.overridesTeam).toBe(false);
    const gas2 = await fileCase(ctx, { type: 'defect', description: 'Wieder Gasgeruch im Keller' });
    expect(await clockOf(gas2.caseId)).toMatchObject({
      policyName: 'Leitstelle: Störungen',
      responseMinutes: 240,
      resolutionMinutes: 1440,
    });
  });

  it('takes targets in working days (8 business hours each), stores minutes, and shows them as entered', async () => {
    const res = await post(
      '/admin/fristen',
      policyForm({
        name: 'Ideen',
        priority: '',
        caseType: 'idea',
        targetUnit: 'working_days',
        responseMinutes: '1,5',
        resolutionMinutes: '10',
      }),
    );
    expect(res.statusCode).toBe(303);
    const ideas = await policyNamed('Ideen');
    expect(ideas).toMatchObject({ targetUnit: 'working_days', responseMinutes: 12 * 60, resolutionMinutes: 80 * 60 });
    const edit = await adminPage(`/admin/fristen/${ideas?.id}`);
    expect(edit.body).toMatch(/name="responseMinutes"[^>]*value="1,5"|value="1,5"[^>]*name="responseMinutes"/);
    expect(edit.body).toMatch(/name="resolutionMinutes"[^>]*value="10"|value="10"[^>]*name="resolutionMinutes"/);
    expect(edit.body).toMatch(/value="working_days"[^>]*checked|checked[^>]*value="working_days"/);
    const overview = await adminPage('/admin/fristen');
    expect(overview.body).toContain('1,5 Arbeitstage (12 Std.)');
    expect(overview.body).toContain('10 Arbeitstage (80 Std.)');
    // Saved again unchanged, the minutes stay the same.
    const again = await post(
      `/admin/fristen/${ideas?.id}`,
      policyForm({
        name: 'Ideen',
        priority: '',
        caseType: 'idea',
        targetUnit: 'working_days',
        responseMinutes: '1,5',
        resolutionMinutes: '10',
      }),
      `/admin/fristen/${ideas?.id}`,
    );
    expect(again.statusCode).toBe(303);
    expect(await policyNamed('Ideen')).toMatchObject({ responseMinutes: 720, resolutionMinutes: 4800 });
    // 300 working days are more than the 2,000 hours a deadline may have.
    const tooLong = await post(
      '/admin/fristen',
      policyForm({ name: 'Zu lang', priority: 'high', targetUnit: 'working_days', responseMinutes: '1', resolutionMinutes: '300' }),
    );
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.body).toContain('höchstens 2.000 Stunden (250 Arbeitstage)');
  });
});
