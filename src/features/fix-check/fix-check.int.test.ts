import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { fileCase } from '../../../test/helpers/cases.ts';
import { createTestContext, createUser, csrfFor, describeDb, type TestContext } from '../../../test/helpers/context.ts';
import { seedBasics } from '../../../test/helpers/fixtures.ts';
import { outboxMails } from '../../../test/helpers/outbox.ts';
import { publishForTest } from '../../../test/helpers/public-cases.ts';
import { fixedClock } from '../../infra/clock.ts';
import { auditEvents, cases, categories, fixChecks, messages, publicCases, teams } from '../../infra/schema/index.ts';
import { editCase } from '../cases/service.ts';
import { fixCheckJobs } from './jobs.ts';

const DAY = 24 * 3_600_000;

describeDb('Ist es wirklich behoben?', () => {
  let ctx: TestContext;
  const logLines: string[] = [];
  let town: Awaited<ReturnType<typeof seedBasics>>;
  const clock = fixedClock(new Date('2026-11-02T09:00:00Z'));
  let staff: { id: number; role: 'admin'; teamIds: number[]; displayName: string };

  const casesDeps = () => ({ db: ctx.db, queue: ctx.queue, clock: ctx.clock, channels: ctx.channels, config: ctx.config });
  const ask = () => {
    const [job] = fixCheckJobs({ db: ctx.db, clock, log: ctx.log, channels: ctx.channels, config: ctx.config });
    if (!job) throw new Error('no fix-check job');
    return job.handler({});
  };

  async function caseRow(id: number) {
    const [row] = await ctx.db.select().from(cases).where(eq(cases.id, id));
    if (!row) throw new Error('case vanished');
    return row;
  }

  async function setStatus(id: number, status: 'resolved' | 'in_progress') {
    const row = await caseRow(id);
    const base = { type: row.type, categoryId: row.categoryId, teamId: row.teamId, priority: row.priority };
    await editCase(casesDeps(), staff, id, { ...base, status, version: row.version });
  }

  /** A web report with an e-mail address in the street-light category (team Tiefbauamt), resolved now. */
  async function resolvedCase(over: { email?: string | null; categoryId?: number | null } = {}) {
    const filed = await fileCase(ctx, {
      categoryId: over.categoryId === undefined ? town.categories.streetLight.id : over.categoryId,
      description: 'Die Laterne vor der Schule ist dunkel.',
      reporterName: 'Erika Musterfrau',
      reporterEmail: over.email === undefined ? `erika-${Math.random().toString(36).slice(2)}@example.org` : over.email,
    });
    await setStatus(filed.caseId, 'resolved');
    return filed;
  }

  const checksOf = (caseId: number) => ctx.db.select().from(fixChecks).where(eq(fixChecks.caseId, caseId)).orderBy(asc(fixChecks.id));
  const questionMails = (caseId: number) =>
    outboxMails(ctx.db, { caseId }).then((mails) => mails.filter((m) => m.subject.includes('Ist es wirklich behoben?')));

  /** Resolves, lets the days pass and runs the job: the mailed link's token. */
  async function askedCase(over: Parameters<typeof resolvedCase>[0] = {}) {
    const filed = await resolvedCase(over);
    clock.advance(5 * DAY + 60_000);
    await ask();
    const [check] = await checksOf(filed.caseId);
    if (!check?.askedAt) throw new Error('not asked');
    return { ...filed, token: check.token, checkId: check.id };
  }

  async function answer(token: string, fields: Record<string, string>, pageCsrf?: { token: string; cookie: string }) {
    const csrf = pageCsrf ?? (await csrfFor(ctx.app, `/behoben/${token}`));
    return ctx.app.inject({
      method: 'POST',
      url: `/behoben/${token}`,
      headers: { cookie: csrf.cookie, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      payload: new URLSearchParams({ ...fields, _csrf: csrf.token }).toString(),
    });
  }

  beforeAll(async () => {
    ctx = await createTestContext({ clock, logLines });
    town = await seedBasics(ctx.db);
    await ctx.db.update(teams).set({ email: 'tiefbau@musterstadt.example' }).where(eq(teams.id, town.teams.tiefbau.id));
    const admin = await createUser(ctx, { role: 'admin', name: 'Anna Admin' });
    staff = { id: admin.id, role: 'admin', teamIds: [], displayName: 'Anna Admin' };
  });
  afterAll(() => ctx.close());
  beforeEach(() => clock.set(new Date('2026-11-02T09:00:00Z')));

  it('plans the question at resolution + the category days, asks once when due, with both links', async () => {
    await ctx.db.update(categories).set({ fixCheckDays: 4 }).where(eq(categories.id, town.categories.streetLight.id));
    const filed = await resolvedCase();
    await ctx.db.update(categories).set({ fixCheckDays: 5 }).where(eq(categories.id, town.categories.streetLight.id));
    const [check] = await checksOf(filed.caseId);
    expect(check?.askAt.getTime()).toBe(clock.now().getTime() + 4 * DAY);
    expect(check?.askedAt).toBeNull();

    clock.advance(4 * DAY - 60_000);
    await ask();
    expect(await questionMails(filed.caseId)).toHaveLength(0);

    clock.advance(120_000);
    await ask();
    await ask();
    const mails = await questionMails(filed.caseId);
    expect(mails).toHaveLength(1);
    const mail = mails[0];
    expect(mail?.automatic).toBe(true);
    expect(mail?.text).toContain(`/behoben/${check?.token}?antwort=ja`);
    expect(mail?.text).toContain(`/behoben/${check?.token}?antwort=nein`);
    const [after] = await checksOf(filed.caseId);
    expect(after?.askedAt?.getTime()).toBe(clock.now().getTime());
  });

  it('shows the question on GET without changing anything, also for the preselecting link', async () => {
    const asked = await askedCase();
    const before = await caseRow(asked.caseId);
    for (const url of [`/behoben/${asked.token}`, `/behoben/${asked.token}?antwort=nein`, `/behoben/${asked.token}?antwort=ja`]) {
      const res = await ctx.app.inject({ url, headers: { accept: 'text/html' } });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('Ja, behoben');
      expect(res.body).toContain('Nein, noch nicht');
      expect(res.headers['x-robots-tag']).toContain('noindex');
    }
    const [check] = await checksOf(asked.caseId);
    expect(check?.answer).toBeNull();
    expect((await caseRow(asked.caseId)).version).toBe(before.version);
  });

  it('"nein" with a comment reopens the case, puts the comment in the thread, tells the team; a replay changes nothing', async () => {
    const asked = await askedCase();
    const comment = 'Die Laterne ist <b>wieder</b> aus & flackert.';
    const opened = await csrfFor(ctx.app, `/behoben/${asked.token}`);
    const res = await answer(asked.token, { answer: 'no', comment }, opened);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('wieder in Bearbeitung');

    const row = await caseRow(asked.caseId);
    expect(row.status).toBe('in_progress');
    expect(row.closedAt).toBeNull();
    const inbound = await ctx.db
      .select()
      .from(messages)
      .where(and(eq(messages.caseId, asked.caseId), eq(messages.kind, 'inbound')));
    expect(inbound.map((m) => m.body)).toContain(comment);
    expect(inbound.find((m) => m.body === comment)?.contactId).toBe(row.contactId);
    const audit = await ctx.db.select().from(auditEvents).where(eq(auditEvents.caseId, asked.caseId));
    expect(audit.map((a) => a.action)).toContain('fix_check_no');
    expect(
      audit.some((a) => a.action === 'status_changed' && (a.details as { reason?: string }).reason === 'Bürger/in sagt: nicht behoben'),
    ).toBe(true);
    const teamMails = await outboxMails(ctx.db, { caseId: asked.caseId, to: 'tiefbau@musterstadt.example' });
    expect(teamMails).toHaveLength(1);
    expect(teamMails[0]?.subject).toContain('nicht behoben');
    expect(teamMails[0]?.text).toContain(comment);

    // The case page shows the hint, and the comment only as text.
    const user = await createUser(ctx, { role: 'admin' });
    const page = await ctx.app.inject({ url: `/staff/faelle/${asked.number}`, headers: { cookie: user.cookie, accept: 'text/html' } });
    expect(page.body).toContain('Bürger/in sagt: nicht behoben');
    expect(page.body).not.toContain('<b>wieder</b>');
    expect(page.body).toContain('&lt;b>wieder&lt;/b> aus &amp; flackert.');

    // Replay: same answer page again, nothing new.
    const again = await answer(asked.token, { answer: 'yes', comment: 'doch' }, opened);
    expect(again.statusCode).toBe(200);
    expect(again.body).toContain('schon beantwortet');
    expect(again.body).toContain('Nein, noch nicht');
    const [check] = await checksOf(asked.caseId);
    expect(check?.answer).toBe('no');
    expect(await outboxMails(ctx.db, { caseId: asked.caseId, to: 'tiefbau@musterstadt.example' })).toHaveLength(1);
    const after = await ctx.db
      .select()
      .from(messages)
      .where(and(eq(messages.caseId, asked.caseId), eq(messages.kind, 'inbound')));
    expect(after).toHaveLength(inbound.length);
    expect((await caseRow(asked.caseId)).version).toBe(row.version);
    // The link is the secret: no log line names it (requests are logged as /behoben/:token).
    expect(logLines.some((l) => l.includes('/behoben/:token'))).toBe(true);
    expect(logLines.filter((l) => l.includes(asked.token))).toEqual([]);
    // GET of an answered link says so too.
    const shown = await ctx.app.inject({ url: `/behoben/${asked.token}`, headers: { accept: 'text/html' } });
    expect(shown.body).toContain('schon beantwortet');
  });

  it('"ja" sets confirmed_fixed of the published case and leaves the case resolved', async () => {
    const filed = await resolvedCase();
    await publishForTest(ctx.db, filed.caseId);
    clock.advance(5 * DAY + 60_000);
    await ask();
    const [check] = await checksOf(filed.caseId);
    const [before] = await ctx.db.select().from(publicCases).where(eq(publicCases.caseId, filed.caseId));
    expect(before?.confirmedFixed).toBeNull();
    const res = await answer(check?.token ?? '', { answer: 'yes' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Schön, dass es behoben ist');
    const [after] = await ctx.db.select().from(publicCases).where(eq(publicCases.caseId, filed.caseId));
    expect(after?.confirmedFixed).toBe(true);
    expect((await caseRow(filed.caseId)).status).toBe('resolved');
    const audit = await ctx.db.select().from(auditEvents).where(eq(auditEvents.caseId, filed.caseId));
    expect(audit.map((a) => a.action)).toContain('fix_check_yes');
  });

  it('drops a pending question when the case is reopened, and starts a new round on the next resolution', async () => {
    const filed = await resolvedCase();
    expect(await checksOf(filed.caseId)).toHaveLength(1);
    await setStatus(filed.caseId, 'in_progress');
    expect(await checksOf(filed.caseId)).toHaveLength(0);
    clock.advance(6 * DAY);
    await ask();
    expect(await questionMails(filed.caseId)).toHaveLength(0);

    await setStatus(filed.caseId, 'resolved');
    const [round] = await checksOf(filed.caseId);
    expect(round?.askAt.getTime()).toBe(clock.now().getTime() + 5 * DAY);
  });

  it('never asks for a category set to never, a case without a category or a reporter without an address', async () => {
    await ctx.db.update(categories).set({ fixCheckDays: null }).where(eq(categories.id, town.categories.litter.id));
    const never = await resolvedCase({ categoryId: town.categories.litter.id });
    const noCategory = await resolvedCase({ categoryId: null });
    const anonymous = await resolvedCase({ email: null });
    for (const c of [never, noCategory, anonymous]) expect(await checksOf(c.caseId)).toHaveLength(0);
  });

  it('refuses unknown links, too-long or broken comments, and politely refuses late answers', async () => {
    const unknown = await ctx.app.inject({ url: '/behoben/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', headers: { accept: 'text/html' } });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body).toContain('finden wir keine Nachfrage');
    expect((await ctx.app.inject({ url: '/behoben/%3Cscript%3E', headers: { accept: 'text/html' } })).statusCode).toBe(404);

    const asked = await askedCase();
    const long = await answer(asked.token, { answer: 'no', comment: 'x'.repeat(2001) });
    expect(long.statusCode).toBe(400);
    expect(long.body).toContain('höchstens 2.000 Zeichen');
    const control = await answer(asked.token, { answer: 'no', comment: 'kaputt\u0000' });
    expect(control.statusCode).toBe(400);
    const noChoice = await answer(asked.token, { answer: 'vielleicht' });
    expect(noChoice.statusCode).toBe(400);
    expect(noChoice.body).toContain('Bitte wählen Sie');
    const noCsrf = await ctx.app.inject({
      method: 'POST',
      url: `/behoben/${asked.token}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      payload: 'answer=no',
    });
    expect(noCsrf.statusCode).toBe(403);
    expect((await checksOf(asked.caseId))[0]?.answer).toBeNull();
    expect((await caseRow(asked.caseId)).status).toBe('resolved');

    // The page was opened in time, the button pressed two months later.
    const opened = await csrfFor(ctx.app, `/behoben/${asked.token}`);
    clock.advance(61 * DAY);
    expect((await ctx.app.inject({ url: `/behoben/${asked.token}`, headers: { accept: 'text/html' } })).statusCode).toBe(410);
    const late = await answer(asked.token, { answer: 'no' }, opened);
    expect(late.statusCode).toBe(410);
    expect(late.body).toContain('abgelaufen');
    expect((await checksOf(asked.caseId))[0]?.answer).toBeNull();
    expect((await caseRow(asked.caseId)).status).toBe('resolved');
  });
});
