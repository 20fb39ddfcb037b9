import { and, eq } from 'drizzle-orm';
import { type ParsedMail, simpleParser } from 'mailparser';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fileCase, postForm, versionOn } from '../../../test/helpers/cases.ts';
import { createTestContext, createUser, describeDb, eventually, type TestContext } from '../../../test/helpers/context.ts';
import { seedBasics } from '../../../test/helpers/fixtures.ts';
import { outboxMails } from '../../../test/helpers/outbox.ts';
import { startSmtpPeer } from '../../../test/helpers/smtp-peer.ts';
import { messages } from '../../infra/schema/index.ts';

describeDb('reply by real SMTP', () => {
  let smtp: Awaited<ReturnType<typeof startSmtpPeer>>;
  let ctx: TestContext;
  beforeAll(async () => {
    smtp = await startSmtpPeer();
    ctx = await createTestContext({ env: { SMTP_URL: `smtp://127.0.0.1:${smtp.port}` } });
    await ctx.startWorkers();
  });
  afterAll(async () => {
    await ctx.close();
    await smtp.close();
  });

  it('sends the staff reply threaded to the acknowledgement, with the tracking link', async () => {
    const town = await seedBasics(ctx.db);
    const clerk = await createUser(ctx, { teamIds: [town.teams.leitstelle.id], name: 'Lea Leitstelle' });
    const c = await fileCase(ctx, {
      reporterEmail: 'erika@example.org',
      reporterName: 'Erika Mustermann',
      description: 'Die Laterne flackert.',
    });

    const ack = await eventually(async () => {
      const [m] = await outboxMails(ctx.db, { caseId: c.caseId });
      return m?.status === 'sent' ? m : null;
    });
    await eventually(async () => smtp.received.length >= 1);

    const pageUrl = `/staff/faelle/${c.number}`;
    const page = await ctx.app.inject({ url: pageUrl, headers: { cookie: clerk.cookie, accept: 'text/html' } });
    const replyText = 'Danke für den Hinweis! Die Laterne wird am Donnerstag getauscht.';
    const res = await postForm(ctx, pageUrl, `${pageUrl}/antwort`, clerk.cookie, { version: versionOn(page.body), body: replyText });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`${pageUrl}?ok=antwort`);

    const outbox = await eventually(async () => {
      const rows = await outboxMails(ctx.db, { caseId: c.caseId });
      return rows[1]?.status === 'sent' ? rows[1] : null;
    });
    await eventually(async () => smtp.received.length >= 2);
    expect(smtp.received).toHaveLength(2);
    const parsed = await Promise.all(smtp.received.map(async (m) => ({ to: m.to, mail: await simpleParser(m.raw) })));
    // The first mail on the wire is the acknowledgement; the other one must be the reply.
    const reply = parsed.find((p) => p.mail.messageId !== ack.messageId);
    expect(reply?.to).toEqual(['erika@example.org']);
    const mail = reply?.mail as ParsedMail;

    const [stored] = await ctx.db
      .select()
      .from(messages)
      .where(and(eq(messages.caseId, c.caseId), eq(messages.kind, 'reply')));
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.value[0]?.address : null).toBe('erika@example.org');
    expect(mail.subject).toContain(c.number);
    expect(mail.text).toContain(replyText);
    expect(mail.text).toContain(`http://localhost:3000/verfolgen/${c.trackingToken}`);
    expect(mail.messageId).toBe(outbox.messageId);
    expect(stored?.threadKey).toBe(`email:${outbox.messageId}`);
    expect(mail.inReplyTo).toBe(ack.messageId);
    expect(([] as string[]).concat(mail.references ?? [])).toContain(ack.messageId);
    expect(outbox.attempts).toBe(1);
  });
});
