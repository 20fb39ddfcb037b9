import { and, asc, eq } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { caseReactions, cases, messages, outbox } from '../../../../src/infra/schema/index.ts';
import { type FakeMastodon, startFakeMastodon } from '../../../../test/fakes/mastodon.ts';
import { postForm, versionOn } from '../../../../test/helpers/cases.ts';
import { createTestContext, createUser, describeDb, type TestContext, type TestUser } from '../../../../test/helpers/context.ts';
import { seedBasics } from '../../../../test/helpers/fixtures.ts';
import { connectMastodon, deliverMastodon, poll } from '../../../../test/helpers/mastodon.ts';

describeDb('Mastodon answers and publishing', () => {
  let ctx: TestContext;
  let fake: FakeMastodon;
  let accountId: number;
  let leit: TestUser;

  const caseOf = async (externalId: string) => (await ctx.db.select().from(cases).where(eq(cases.externalId, externalId)))[0];
  const casePage = (number: string) =>
    ctx.app.inject({ url: `/staff/faelle/${number}`, headers: { cookie: leit.cookie, accept: 'text/html' } });
  const answer = async (number: string, body: string, extra: Record<string, string> = {}, status = 303) => {
    const res = await postForm(ctx, `/staff/faelle/${number}`, `/staff/faelle/${number}/antwort`, leit.cookie, {
      version: versionOn((await casePage(number)).body),
      body,
      ...extra,
    });
    expect(res.statusCode).toBe(status);
    return res;
  };
  const replyRows = (caseId: number) =>
    ctx.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.caseId, caseId), eq(outbox.kind, 'mastodon'), eq(outbox.automatic, false)))
      .orderBy(asc(outbox.id));

  beforeAll(async () => {
    ctx = await createTestContext();
    const town = await seedBasics(ctx.db);
    leit = await createUser(ctx, { teamIds: [town.teams.leitstelle.id, town.teams.innovation.id, town.teams.tiefbau.id] });
  });
  afterAll(() => ctx.close());
  beforeEach(async () => {
    fake = await startFakeMastodon();
    accountId = (await connectMastodon(ctx, fake)).id;
  });
  afterEach(() => fake.close());

  it('answers a DM by DM in its thread, and the citizen’s reply to the answer joins the case', async () => {
    const erika = fake.citizen('erika');
    const dm = fake.mention(erika, '<p>@stadt Die Straßenlaterne vor Nr. 12 ist aus.</p>', { visibility: 'direct' });
    await poll(ctx, accountId);
    const c = await caseOf(dm.uri);
    if (!c) throw new Error('no case');
    // The acknowledgement: a DM too, with the case number and (private, so) the tracking link.
    const [ack] = await ctx.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.caseId, c.id), eq(outbox.automatic, true)));
    await deliverMastodon(ctx, ack?.id ?? 0);
    expect(fake.posts[0]?.body).toMatchObject({ visibility: 'direct', in_reply_to_id: dm.id });
    expect(String(fake.posts[0]?.body.status)).toMatch(
      new RegExp(`^@erika@social\\.example .*Vorgang ${c.number}\\. Stand jederzeit hier: http`),
    );

    await answer(c.number, 'Wir tauschen das Leuchtmittel morgen.');
    const [row] = await replyRows(c.id);
    const sent = await deliverMastodon(ctx, row?.id ?? 0);
    expect(sent?.status).toBe('sent');
    const post = fake.posts[1];
    expect(post?.key).toBe(row?.idempotencyKey);
    expect(post?.body).toMatchObject({ visibility: 'direct', in_reply_to_id: dm.id });
    expect(String(post?.body.status)).toMatch(/^@erika@social\.example Wir tauschen das Leuchtmittel morgen\./);
    expect(sent?.externalRef).toBe(post?.id);
    const [reply] = await ctx.db
      .select()
      .from(messages)
      .where(and(eq(messages.caseId, c.id), eq(messages.kind, 'reply')));
    expect(reply?.threadKey).toBe(`mastodon:${post?.id}`);

    fake.mention(erika, '<p>@stadt Prima, und die in Nr. 14 auch?</p>', { visibility: 'direct', inReplyTo: post?.id ?? '' });
    fake.favourite(erika, post?.id ?? '');
    await poll(ctx, accountId);
    const inbound = await ctx.db
      .select()
      .from(messages)
      .where(and(eq(messages.caseId, c.id), eq(messages.kind, 'inbound')));
    expect(inbound.map((m) => m.body)).toEqual(['Die Straßenlaterne vor Nr. 12 ist aus.', 'Prima, und die in Nr. 14 auch?']);
    const reactions = await ctx.db.select().from(caseReactions).where(eq(caseReactions.caseId, c.id));
    expect(reactions).toMatchObject([{ kind: 'like', actorRef: 'erika@social.example' }]);
  });

  it('answers a public mention publicly, without the tracking link; a 429 on sending is retried once, posting once', async () => {
    const max = fake.citizen('max');
    const mention = fake.mention(max, '<p>@stadt Bank im Stadtgarten kaputt</p>');
    await poll(ctx, accountId);
    const c = await caseOf(mention.uri);
    if (!c) throw new Error('no case');
    await answer(c.number, 'Danke, wir schauen es uns an.');
    const [row] = await replyRows(c.id);
    // Two calls: the instance's limits (which fall back to the defaults) and the post itself.
    fake.failNext(2, { status: 429, headers: { 'x-ratelimit-reset': new Date(Date.now() + 1000).toISOString() } });
    const first = await deliverMastodon(ctx, row?.id ?? 0);
    expect(first?.status).toBe('queued');
    expect(first?.lastError).toContain('bremst');
    const again = await deliverMastodon(ctx, row?.id ?? 0);
    expect(again?.status).toBe('sent');
    const replies = fake.posts.filter((p) => p.key === row?.idempotencyKey);
    expect(replies).toHaveLength(1);
    expect(replies[0]?.body).toMatchObject({ visibility: 'public', in_reply_to_id: mention.id });
    expect(String(replies[0]?.body.status)).not.toContain('http');
  });

  it('shows the public link, lets staff move a public conversation to a DM, and asks before personal data goes public', async () => {
    const max = fake.citizen('max');
    const mention = fake.mention(max, '<p>@stadt Laterne Seestraße aus</p>');
    await poll(ctx, accountId);
    const c = await caseOf(mention.uri);
    if (!c) throw new Error('no case');
    const page = (await casePage(c.number)).body;
    expect(page).toContain(`href="${mention.url}"`);
    expect(page).toContain('Öffentlich auf Mastodon ansehen');
    expect(page).toContain('öffentlich antworten (wie die Nachricht der Person)');
    expect(page).toContain('als Direktnachricht (nur die Person)');

    const refused = await answer(c.number, 'Rufen Sie uns an: 07531 900-123', { visibility: 'public' }, 400);
    expect(refused.body).toContain('Die Antwort scheint persönliche Daten zu enthalten');
    expect(await replyRows(c.id)).toHaveLength(0);
    await answer(c.number, 'Rufen Sie uns an: 07531 900-123', { visibility: 'direct' });
    await answer(c.number, 'Wir reparieren sie heute.', { visibility: 'public' });
    const rows = await replyRows(c.id);
    expect(rows.map((r) => (r.payload as { visibility: string }).visibility)).toEqual(['direct', 'public']);
  });

  it('publishes with alt text and Idempotency-Key, then edits and deletes the status', async () => {
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#3366aa' } })
      .png()
      .toBuffer();
    const storageKey = await ctx.storage.put(png, 'png');
    const publisher = ctx.publishers.get('mastodon');
    if (!publisher) throw new Error('no publisher');
    const caps = await ctx.db.transaction((tx) => publisher.capabilities(tx, accountId));
    expect(caps).toMatchObject({ maxLength: 500, maxMedia: 4, altText: true, canEdit: true });
    const req = {
      accountId,
      text: 'Der Wochenmarkt ist am Samstag auf dem Rathausplatz.',
      media: [{ storageKey, mimeType: 'image/png', alt: 'Marktstände vor dem Rathaus' }],
      visibility: 'public' as const,
      contentWarning: null,
      idempotencyKey: 'post-1-mastodon',
    };
    const { outboxId } = await ctx.db.transaction((tx) => publisher.publish(tx, req));
    const again = await ctx.db.transaction((tx) => publisher.publish(tx, req));
    expect(again.outboxId).toBe(outboxId);
    const sent = await deliverMastodon(ctx, outboxId);
    expect(sent?.status).toBe('sent');
    const [media] = [...fake.media.values()];
    expect(media?.description).toBe('Marktstände vor dem Rathaus');
    expect(fake.posts).toMatchObject([{ key: 'post-1-mastodon', body: { media_ids: [media?.id], visibility: 'public' } }]);
    const statusId = sent?.externalRef ?? '';
    expect(fake.statuses.get(statusId)?.media_attachments[0]?.description).toBe('Marktstände vor dem Rathaus');

    const edit = await ctx.db.transaction((tx) =>
      publisher.edit(tx, {
        ...req,
        media: [],
        text: 'Der Wochenmarkt ist am Samstag ab 8 Uhr.',
        externalRef: statusId,
        idempotencyKey: 'post-1-edit',
      }),
    );
    if (!('outboxId' in edit)) throw new Error('edit unsupported');
    expect((await deliverMastodon(ctx, edit.outboxId))?.status).toBe('sent');
    expect(fake.statuses.get(statusId)?.content).toBe('<p>Der Wochenmarkt ist am Samstag ab 8 Uhr.</p>');
    expect(fake.requests.some((r) => r.method === 'PUT' && r.path === `/api/v1/statuses/${statusId}`)).toBe(true);

    const removed = await ctx.db.transaction((tx) =>
      publisher.remove(tx, { accountId, externalRef: statusId, idempotencyKey: 'post-1-del' }),
    );
    expect((await deliverMastodon(ctx, removed.outboxId))?.status).toBe('sent');
    expect(fake.statuses.has(statusId)).toBe(false);
  });
});
