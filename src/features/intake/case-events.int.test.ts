import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fileCase, postForm, versionOn } from '../../../test/helpers/cases.ts';
import { createTestContext, createUser, describeDb, type TestContext, type TestUser } from '../../../test/helpers/context.ts';
import { seedBasics } from '../../../test/helpers/fixtures.ts';
import { outboxMails } from '../../../test/helpers/outbox.ts';
import { subscribe } from '../../infra/events.ts';
import { cases, messages } from '../../infra/schema/index.ts';
import type { CaseAnswered, CaseChanged, CaseCreated } from '../cases/events.ts';

/** What intake and replies tell the rest of the system: case.created, case.changed, case.answered. */
describeDb('case events of intake and replies', () => {
  let ctx: TestContext;
  let town: Awaited<ReturnType<typeof seedBasics>>;
  let leit: TestUser;
  const createdHeard: (CaseCreated & { existed: boolean })[] = [];
  const changedHeard: CaseChanged[] = [];
  const answeredHeard: CaseAnswered[] = [];

  beforeAll(async () => {
    ctx = await createTestContext();
    town = await seedBasics(ctx.db);
    leit = await createUser(ctx, { teamIds: [town.teams.leitstelle.id], name: 'Lea Leitstelle' });
    // A subscriber reads the case through the pool: it sees it only if the write committed.
    subscribe(ctx.db, 'case.created', async (e) => {
      const [row] = await ctx.db.select({ id: cases.id }).from(cases).where(eq(cases.id, e.caseId));
      createdHeard.push({ ...e, existed: Boolean(row) });
    });
    subscribe(ctx.db, 'case.changed', (e) => {
      changedHeard.push(e);
    });
    subscribe(ctx.db, 'case.answered', (e) => {
      answeredHeard.push(e);
    });
  });
  afterAll(() => ctx?.close());

  const heardFor = (caseId: number) => createdHeard.filter((e) => e.caseId === caseId);

  it('announces a web report stored in one statement once it is committed, with its routing', async () => {
    const c = await fileCase(ctx, { categoryId: town.categories.streetLight.id, externalId: 'nonce-ereignis-1' });
    expect(c.outcome).toBe('created');
    expect(heardFor(c.caseId)).toEqual([
      {
        caseId: c.caseId,
        number: c.number,
        channel: 'web',
        teamId: town.teams.tiefbau.id,
        categoryId: town.categories.streetLight.id,
        type: 'defect',
        priority: 'normal',
        followUpOf: null,
        at: expect.any(Date),
        existed: true,
      },
    ]);
    // The same nonce again stores nothing and announces nothing.
    const again = await fileCase(ctx, { categoryId: town.categories.streetLight.id, externalId: 'nonce-ereignis-1' });
    expect(again.outcome).toBe('duplicate');
    expect(heardFor(c.caseId)).toHaveLength(1);
  });

  it('announces a report stored in a transaction (acknowledgement mail) after the commit, once', async () => {
    const c = await fileCase(ctx, { reporterEmail: 'erika@example.org' });
    expect(heardFor(c.caseId)).toMatchObject([{ channel: 'web', teamId: town.teams.leitstelle.id, existed: true }]);
    expect(await outboxMails(ctx.db, { caseId: c.caseId })).toHaveLength(1);
  });

  it('announces nothing for a report that failed, and a citizen’s answer as a change of the case', async () => {
    const before = createdHeard.length;
    await expect(fileCase(ctx, { description: '' })).rejects.toThrow();
    expect(createdHeard).toHaveLength(before);

    const c = await fileCase(ctx, { reporterEmail: 'max@example.org' });
    const [ack] = await outboxMails(ctx.db, { caseId: c.caseId });
    await ctx.db.update(cases).set({ status: 'resolved' }).where(eq(cases.id, c.caseId));
    const followup = await fileCase(ctx, {
      channel: 'email',
      externalId: '<ereignis-antwort@example.org>',
      threadKey: 'email:<ereignis-antwort@example.org>',
      threadKeys: [`email:${ack?.messageId ?? ''}`],
      description: 'Es ist immer noch kaputt.',
    });
    expect(followup).toMatchObject({ outcome: 'followup', caseId: c.caseId });
    expect(createdHeard).toHaveLength(before + 1);
    expect(changedHeard.filter((e) => e.caseId === c.caseId)).toEqual([
      expect.objectContaining({
        before: expect.objectContaining({ status: 'resolved' }),
        after: expect.objectContaining({ status: 'in_progress' }),
        actions: ['followup_received', 'status_changed'],
        actor: { userId: null, label: 'Bürger/in' },
        replied: false,
      }),
    ]);
  });

  it('announces a clerk’s reply as answered, with the message it wrote', async () => {
    const c = await fileCase(ctx, { reporterEmail: 'erika@example.org' });
    const page = await ctx.app.inject({ url: `/staff/faelle/${c.number}`, headers: { cookie: leit.cookie, accept: 'text/html' } });
    const res = await postForm(ctx, `/staff/faelle/${c.number}`, `/staff/faelle/${c.number}/antwort`, leit.cookie, {
      version: versionOn(page.body),
      body: 'Danke, wir kümmern uns.',
    });
    expect(res.statusCode).toBe(303);
    const replies = (await ctx.db.select().from(messages).where(eq(messages.caseId, c.caseId))).filter((m) => m.kind === 'reply');
    expect(replies).toHaveLength(1);
    expect(answeredHeard.filter((e) => e.caseId === c.caseId)).toEqual([
      {
        caseId: c.caseId,
        messageId: replies[0]?.id,
        channel: 'web',
        automatic: false,
        actor: { userId: leit.id, label: 'Lea Leitstelle' },
        at: expect.any(Date),
      },
    ]);
  });
});
