import { and, asc, eq, or } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { intakeDeps, postForm } from '../../../test/helpers/cases.ts';
import { createTestContext, createUser, describeDb, type TestContext, type TestUser } from '../../../test/helpers/context.ts';
import { seedBasics } from '../../../test/helpers/fixtures.ts';
import { outboxMails } from '../../../test/helpers/outbox.ts';
import { composeMail } from '../../../test/helpers/raw-mail.ts';
import { auditEvents, caseLinks, cases, messages, teams } from '../../infra/schema/index.ts';
import { createEmailAccount } from '../channels/accounts/service.ts';
import type { MailHandler } from '../channels/email/intake-types.ts';
import { mailHandler } from '../channels/email/receive-mail.ts';

/** A citizen writes to a closed case: its team either reopens it or opens a linked follow-up case. */
describeDb('a message to a closed case, per team', () => {
  let ctx: TestContext;
  let town: Awaited<ReturnType<typeof seedBasics>>;
  let handle: MailHandler;
  let accountId: number;
  let admin: TestUser;
  let clerk: TestUser;
  let uid = 0;

  beforeAll(async () => {
    ctx = await createTestContext();
    town = await seedBasics(ctx.db);
    const account = await createEmailAccount({ db: ctx.db, log: ctx.log, secrets: ctx.secrets, clock: ctx.clock }, null, {
      name: 'Bürgerservice',
      from: 'buergerservice@musterstadt.example',
      team: 'innovationsmanagement',
      imapHost: '127.0.0.1',
      imapPort: 1143,
      imapSecurity: 'plain',
      imapUser: 'postfach',
      imapPassword: 'geheim',
      smtpHost: '127.0.0.1',
      smtpPort: 2525,
      smtpSecurity: 'plain',
    });
    accountId = account.id;
    handle = mailHandler(intakeDeps(ctx));
    admin = await createUser(ctx, { role: 'admin', name: 'Ada Admin' });
    clerk = await createUser(ctx, { teamIds: [town.teams.innovation.id], name: 'Ina Innovation' });
  });
  afterAll(() => ctx?.close());

  const take = async (raw: Buffer) => handle(raw, { accountId, uid: ++uid, uidValidity: 1n, size: 1000 });
  const caseOfMail = async (messageId: string) => {
    const [row] = await ctx.db
      .select({ caseId: messages.caseId })
      .from(messages)
      .where(eq(messages.threadKey, `email:${messageId}`));
    const [c] = await ctx.db
      .select()
      .from(cases)
      .where(eq(cases.id, row?.caseId ?? 0));
    if (!c) throw new Error(`no case for ${messageId}`);
    return c;
  };
  /** A first mail, its case resolved by staff, and our acknowledgement the citizen can answer. */
  const closedCase = async (name: string) => {
    expect(
      await take(
        await composeMail({
          from: `Erika <${name}@example.org>`,
          messageId: `<${name}@example.org>`,
          subject: 'Bank kaputt',
          text: 'Die Bank ist kaputt.',
        }),
      ),
    ).toBe('stored');
    const c = await caseOfMail(`<${name}@example.org>`);
    await ctx.db.update(cases).set({ status: 'resolved', closedAt: new Date() }).where(eq(cases.id, c.id));
    const [ack] = await outboxMails(ctx.db, { caseId: c.id });
    return { c, ack: ack?.messageId ?? '' };
  };
  const answer = (name: string, id: string, inReplyTo: string) =>
    composeMail({
      from: `Erika <${name}@example.org>`,
      messageId: id,
      inReplyTo,
      references: [inReplyTo],
      subject: 'AW: Bank kaputt',
      text: 'Sie wackelt immer noch.',
    });
  const page = (number: string, user: TestUser = clerk) =>
    ctx.app.inject({ url: `/staff/faelle/${number}`, headers: { cookie: user.cookie, accept: 'text/html' } });
  const setTeam = (value: string) =>
    postForm(ctx, `/admin/teams/${town.teams.innovation.id}`, `/admin/teams/${town.teams.innovation.id}`, admin.cookie, {
      name: 'Innovationsmanagement',
      email: '',
      followupAfterClose: value,
    });

  it('reopens the closed case by default (mail with In-Reply-To)', async () => {
    const { c, ack } = await closedCase('reopen');
    expect(await take(await answer('reopen', '<reopen-answer@example.org>', ack))).toBe('stored');
    const after = await caseOfMail('<reopen-answer@example.org>');
    expect(after).toMatchObject({ id: c.id, status: 'in_progress', closedAt: null });
    expect(await ctx.db.select().from(caseLinks).where(eq(caseLinks.linkedCaseId, c.id))).toEqual([]);
  });

  it('lets the admin choose per team, and refuses a value that is not offered', async () => {
    const form = (
      await ctx.app.inject({ url: `/admin/teams/${town.teams.innovation.id}`, headers: { cookie: admin.cookie, accept: 'text/html' } })
    ).body;
    expect(form).toContain('Nachricht zu einem abgeschlossenen Anliegen');
    expect(form).toMatch(/value="reopen"[^>]*checked/);
    const bad = await setTeam('loeschen');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Bitte wählen Sie, was mit einer Nachricht zu einem abgeschlossenen Anliegen geschieht.');
    const ok = await setTeam('new_case');
    expect(ok.statusCode).toBe(303);
    const [team] = await ctx.db.select().from(teams).where(eq(teams.id, town.teams.innovation.id));
    expect(team?.followupAfterClose).toBe('new_case');
    const again = (
      await ctx.app.inject({ url: `/admin/teams/${town.teams.innovation.id}`, headers: { cookie: admin.cookie, accept: 'text/html' } })
    ).body;
    expect(again).toMatch(/value="new_case"[^>]*checked/);
  });

  it('"new case": an answer to a closed case opens a linked case through the usual pipeline; later answers join it', async () => {
    const { c: closed, ack } = await closedCase('neu');
    expect(await take(await answer('neu', '<neu-answer@example.org>', ack))).toBe('stored');
    const opened = await caseOfMail('<neu-answer@example.org>');
    expect(opened.id).not.toBe(closed.id);
    expect(opened).toMatchObject({
      status: 'new',
      channel: 'email',
      channelAccountId: accountId,
      contactId: closed.contactId,
      teamId: town.teams.innovation.id,
    });
    const [old] = await ctx.db.select().from(cases).where(eq(cases.id, closed.id));
    expect(old?.status).toBe('resolved');
    expect(
      await ctx.db
        .select({ caseId: caseLinks.caseId, linkedCaseId: caseLinks.linkedCaseId, kind: caseLinks.kind })
        .from(caseLinks)
        .where(or(eq(caseLinks.caseId, opened.id), eq(caseLinks.linkedCaseId, closed.id))),
    ).toEqual([{ caseId: opened.id, linkedCaseId: closed.id, kind: 'follow_up' }]);
    const trail = async (caseId: number) =>
      (await ctx.db.select().from(auditEvents).where(eq(auditEvents.caseId, caseId)).orderBy(asc(auditEvents.id))).map((a) => a.action);
    expect(await trail(opened.id)).toEqual(expect.arrayContaining(['created', 'routed', 'case_linked']));
    expect((await trail(closed.id)).slice(-1)).toEqual(['case_linked']);
    // The new case gets its own acknowledgement, as any new case does.
    expect(await outboxMails(ctx.db, { caseId: opened.id })).toHaveLength(1);

    const newPage = (await page(opened.number)).body;
    expect(newPage).toContain(`Folgeanliegen zu <a class="kern-link" href="/staff/faelle/${closed.number}">${closed.number}</a>`);
    expect(newPage).toContain(`Folgeanliegen zu ${closed.number}`); // the audit trail says it too
    const oldPage = (await page(closed.number)).body;
    expect(oldPage).toContain(`Folgeanliegen: <a class="kern-link" href="/staff/faelle/${opened.number}">${opened.number}</a>`);

    // Another answer to the old thread, and the old case number in a subject from the same contact, join the new case.
    expect(await take(await answer('neu', '<neu-answer-2@example.org>', ack))).toBe('stored');
    expect((await caseOfMail('<neu-answer-2@example.org>')).id).toBe(opened.id);
    const bySubject = await composeMail({
      from: 'Erika <neu@example.org>',
      messageId: '<neu-subject@example.org>',
      subject: `Nachtrag [${closed.number}]`,
      text: 'Noch etwas.',
    });
    expect(await take(bySubject)).toBe('stored');
    expect((await caseOfMail('<neu-subject@example.org>')).id).toBe(opened.id);
    expect(await ctx.db.select().from(caseLinks).where(eq(caseLinks.linkedCaseId, closed.id))).toHaveLength(1);
  });

  it('"new case" still joins a case that is open or waiting, and the subject number opens a follow-up too', async () => {
    expect(
      await take(
        await composeMail({ from: 'Erika <warte@example.org>', messageId: '<warte@example.org>', subject: 'Frage', text: 'Wann?' }),
      ),
    ).toBe('stored');
    const waiting = await caseOfMail('<warte@example.org>');
    await ctx.db.update(cases).set({ status: 'waiting' }).where(eq(cases.id, waiting.id));
    const [ack] = await outboxMails(ctx.db, { caseId: waiting.id });
    expect(await take(await answer('warte', '<warte-answer@example.org>', ack?.messageId ?? ''))).toBe('stored');
    expect(await caseOfMail('<warte-answer@example.org>')).toMatchObject({ id: waiting.id, status: 'in_progress' });

    await ctx.db.update(cases).set({ status: 'resolved', closedAt: new Date() }).where(eq(cases.id, waiting.id));
    const bySubject = await composeMail({
      from: 'Erika <warte@example.org>',
      messageId: '<warte-subject@example.org>',
      subject: `Nochmal [${waiting.number}]`,
      text: 'Es ist wieder passiert.',
    });
    expect(await take(bySubject)).toBe('stored');
    const opened = await caseOfMail('<warte-subject@example.org>');
    expect(opened.id).not.toBe(waiting.id);
    const [link] = await ctx.db
      .select()
      .from(caseLinks)
      .where(and(eq(caseLinks.caseId, opened.id), eq(caseLinks.linkedCaseId, waiting.id)));
    expect(link?.kind).toBe('follow_up');
  });
});
