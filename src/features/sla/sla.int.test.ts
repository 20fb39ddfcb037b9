import { and, asc, eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fileCase, postForm, versionOn } from '../../../test/helpers/cases.ts';
import { createTestContext, createUser, describeDb, type TestContext, type TestUser } from '../../../test/helpers/context.ts';
import { seedBasics } from '../../../test/helpers/fixtures.ts';
import { fixedClock } from '../../infra/clock.ts';
import { auditEvents, caseSlas, cases, messages, slaPolicies } from '../../infra/schema/index.ts';
import { createSession, SESSION_COOKIE } from '../auth/session.ts';
import { applyPolicy } from './service.ts';
import { invalidateSlaSettings } from './settings.ts';

const berlin = (local: string) => DateTime.fromISO(local, { zone: 'Europe/Berlin' }).toJSDate();
const inBerlin = (d: Date | null | undefined) =>
  d ? DateTime.fromJSDate(d, { zone: 'Europe/Berlin' }).toFormat("ccc yyyy-MM-dd'T'HH:mm") : null;

describeDb('SLA clocks on cases', () => {
  // Monday 2 March 2026, 09:00 in Musterstadt; default office hours Mo–Do 8–16, Fr 8–12.
  const clock = fixedClock(berlin('2026-03-02T09:00'));
  let ctx: TestContext;
  let town: Awaited<ReturnType<typeof seedBasics>>;
  let leit: TestUser;

  /** Sessions last ten hours of the injected clock; a test that moves days ahead signs in again. */
  const signIn = async (user: TestUser) => {
    const s = await createSession(ctx.db, ctx.clock, user.id);
    user.cookie = `${SESSION_COOKIE}=${ctx.app.signCookie(s.cookieValue)}`;
  };
  const page = (number: string) =>
    ctx.app.inject({ url: `/staff/faelle/${number}`, headers: { cookie: leit.cookie, accept: 'text/html' } });
  const edit = async (number: string, fields: Record<string, string>) => {
    const html = (await page(number)).body;
    const teamId = /<select[^>]*name="teamId"[\s\S]*?<option value="(\d*)" selected/.exec(html)?.[1] ?? '';
    return postForm(ctx, `/staff/faelle/${number}`, `/staff/faelle/${number}/bearbeiten`, leit.cookie, {
      version: versionOn(html),
      type: 'defect',
      categoryId: '',
      teamId,
      priority: 'normal',
      ...fields,
    });
  };
  const clockOf = async (caseId: number) => (await ctx.db.select().from(caseSlas).where(eq(caseSlas.caseId, caseId)))[0];
  const audit = async (caseId: number, action: string) =>
    ctx.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.caseId, caseId), eq(auditEvents.action, action)))
      .orderBy(asc(auditEvents.id));

  beforeAll(async () => {
    ctx = await createTestContext({ clock });
    town = await seedBasics(ctx.db);
    leit = await createUser(ctx, { teamIds: [town.teams.leitstelle.id, town.teams.tiefbau.id], name: 'Lea Leitstelle' });
    await ctx.db.insert(slaPolicies).values([
      { name: 'Standard', responseMinutes: 8 * 60, resolutionMinutes: 40 * 60 },
      { name: 'Dringend', priority: 'urgent', responseMinutes: 60, resolutionMinutes: 8 * 60 },
      { name: 'Tiefbauamt', teamId: town.teams.tiefbau.id, responseMinutes: 4 * 60, resolutionMinutes: 16 * 60 },
    ]);
    invalidateSlaSettings(ctx.db);
  });
  afterAll(() => ctx.close());

  it('applies the most specific policy when a case comes in, in business time, and says so in the audit trail', async () => {
    clock.set(berlin('2026-03-02T09:00'));
    const leitCase = await fileCase(ctx);
    const tiefCase = await fileCase(ctx, { categoryId: town.categories.streetLight.id });
    const a = await clockOf(leitCase.caseId);
    const b = await clockOf(tiefCase.caseId);
    expect(a?.policyName).toBe('Standard');
    expect(inBerlin(a?.responseDueAt)).toBe('Tue 2026-03-03T09:00');
    expect(inBerlin(a?.resolutionDueAt)).toBe('Mon 2026-03-09T13:00');
    expect(a?.dueKind).toBe('response');
    expect(b?.policyName).toBe('Tiefbauamt');
    expect(inBerlin(b?.responseDueAt)).toBe('Mon 2026-03-02T13:00');
    const [applied] = await audit(leitCase.caseId, 'sla_applied');
    expect((applied?.details as { reason?: string } | undefined)?.reason).toContain(
      'Frist „Standard“: erste Antwort bis Di., 03.03.2026, 09:00 Uhr',
    );
    expect((await page(leitCase.number)).body).toContain('nach der Regel „Standard“');
  });

  it('stops the clock while waiting on the citizen and adds the paused business time when work resumes', async () => {
    clock.set(berlin('2026-03-02T09:00'));
    await signIn(leit);
    const c = await fileCase(ctx);
    expect((await edit(c.number, { status: 'in_progress' })).statusCode).toBe(303);
    clock.set(berlin('2026-03-02T10:00'));
    expect((await edit(c.number, { status: 'waiting' })).statusCode).toBe(303);
    const paused = await clockOf(c.caseId);
    expect(paused?.pausedSince?.getTime()).toBe(berlin('2026-03-02T10:00').getTime());
    expect(paused?.dueAt).toBeNull();
    expect((await page(c.number)).body).toContain('pausiert');

    // Three business hours later (Monday 10–13) staff resume: both deadlines move by three hours.
    clock.set(berlin('2026-03-02T13:00'));
    expect((await edit(c.number, { status: 'in_progress' })).statusCode).toBe(303);
    const resumed = await clockOf(c.caseId);
    expect(resumed?.pausedSince).toBeNull();
    expect(resumed?.responsePausedMinutes).toBe(180);
    expect(inBerlin(resumed?.responseDueAt)).toBe('Tue 2026-03-03T12:00');
    expect(inBerlin(resumed?.resolutionDueAt)).toBe('Mon 2026-03-09T16:00');
    expect(inBerlin(resumed?.dueAt)).toBe('Tue 2026-03-03T12:00');
  });

  it('resumes the clock when the citizen answers by mail, and stops the response clock with the first reply', async () => {
    clock.set(berlin('2026-03-02T09:00'));
    await signIn(leit);
    const c = await fileCase(ctx, {
      channel: 'email',
      externalId: '<frage-1@example.org>',
      threadKey: 'email:<frage-1@example.org>',
      reporterEmail: 'erika@example.org',
    });
    await edit(c.number, { status: 'in_progress' });
    await edit(c.number, { status: 'waiting' });
    clock.set(berlin('2026-03-02T11:00'));
    const followup = await fileCase(ctx, {
      channel: 'email',
      externalId: '<antwort-1@example.org>',
      threadKeys: ['email:<frage-1@example.org>'],
      description: 'Die Lampe steht vor Hausnummer 12.',
    });
    expect(followup.outcome).toBe('followup');
    const [row] = await ctx.db.select({ status: cases.status }).from(cases).where(eq(cases.id, c.caseId));
    expect(row?.status).toBe('in_progress');
    const after = await clockOf(c.caseId);
    expect(after?.pausedSince).toBeNull();
    expect(after?.responsePausedMinutes).toBe(120);
    const [resumedBy] = (await audit(c.caseId, 'status_changed')).slice(-1);
    expect((resumedBy?.details as { reason?: string } | undefined)?.reason).toBe('Rückmeldung ist da');

    clock.set(berlin('2026-03-02T11:30'));
    await signIn(leit);
    const html = (await page(c.number)).body;
    const res = await postForm(ctx, `/staff/faelle/${c.number}`, `/staff/faelle/${c.number}/antwort`, leit.cookie, {
      version: versionOn(html),
      body: 'Danke, wir schicken jemanden vorbei.',
    });
    expect(res.statusCode).toBe(303);
    const answered = await clockOf(c.caseId);
    expect(answered?.firstResponseAt?.getTime()).toBe(berlin('2026-03-02T11:30').getTime());
    expect(answered?.dueKind).toBe('resolution');
    expect(answered?.dueAt?.getTime()).toBe(answered?.resolutionDueAt.getTime());
    const replies = await ctx.db
      .select()
      .from(messages)
      .where(and(eq(messages.caseId, c.caseId), eq(messages.kind, 'reply')));
    expect(replies).toHaveLength(1);
  });

  it('picks the policy again when team or priority change, keeping the start', async () => {
    clock.set(berlin('2026-03-02T09:00'));
    await signIn(leit);
    const c = await fileCase(ctx);
    clock.set(berlin('2026-03-02T09:30'));
    await edit(c.number, { priority: 'urgent', status: 'in_progress' });
    const urgent = await clockOf(c.caseId);
    expect(urgent?.policyName).toBe('Dringend');
    expect(inBerlin(urgent?.responseDueAt)).toBe('Mon 2026-03-02T10:00');
    expect(urgent?.startedAt.getTime()).toBe(berlin('2026-03-02T09:00').getTime());
    await edit(c.number, { priority: 'urgent', status: 'in_progress', teamId: String(town.teams.tiefbau.id) });
    expect((await clockOf(c.caseId))?.policyName).toBe('Tiefbauamt');
    const reasons = (await audit(c.caseId, 'sla_applied')).map((a) => (a.details as { reason: string }).reason);
    expect(reasons).toHaveLength(3);
    expect(reasons[2]).toContain('nach Änderung von Team, Art oder Priorität');
  });

  it('counts closed time as paused: a case reopened later is not overdue for the days it was closed', async () => {
    clock.set(berlin('2026-03-02T09:00'));
    await signIn(leit);
    const c = await fileCase(ctx);
    await edit(c.number, { status: 'resolved' });
    expect((await clockOf(c.caseId))?.dueAt).toBeNull();
    clock.set(berlin('2026-03-16T09:00'));
    await signIn(leit);
    await edit(c.number, { status: 'in_progress' });
    const reopened = await clockOf(c.caseId);
    expect(reopened?.dueAt?.getTime()).toBeGreaterThan(clock.now().getTime());
    expect(inBerlin(reopened?.responseDueAt)).toBe('Tue 2026-03-17T09:00');
  });

  it('a note leaves the clock untouched, and applying the policy a case already holds keeps a warning already sent', async () => {
    const c = await fileCase(ctx);
    const before = await clockOf(c.caseId);
    const note = await postForm(ctx, `/staff/faelle/${c.number}`, `/staff/faelle/${c.number}/notiz`, leit.cookie, {
      version: versionOn((await page(c.number)).body),
      body: 'Schaue ich mir an.',
    });
    expect(note.statusCode).toBe(303);
    expect(await clockOf(c.caseId)).toEqual(before);

    const warnedAt = clock.now();
    await ctx.db.update(caseSlas).set({ responseWarnedAt: warnedAt }).where(eq(caseSlas.caseId, c.caseId));
    const timers = await ctx.db.transaction((tx) =>
      applyPolicy(tx, c.caseId, before?.policyId ?? 0, { now: clock.now(), state: ctx.config.bundesland }),
    );
    expect(timers).toEqual([]);
    expect((await clockOf(c.caseId))?.responseWarnedAt?.getTime()).toBe(warnedAt.getTime());
  });

  it('starts no clock when no policy fits', async () => {
    await ctx.db.delete(slaPolicies).where(eq(slaPolicies.name, 'Standard'));
    invalidateSlaSettings(ctx.db);
    try {
      const c = await fileCase(ctx, { type: 'question' });
      expect(await clockOf(c.caseId)).toBeUndefined();
      expect((await page(c.number)).body).toContain('Für dieses Anliegen läuft keine Frist');
    } finally {
      await ctx.db.insert(slaPolicies).values({ name: 'Standard', responseMinutes: 8 * 60, resolutionMinutes: 40 * 60 });
      invalidateSlaSettings(ctx.db);
    }
  });
});
