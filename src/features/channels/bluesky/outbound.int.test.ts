import { eq } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type FakeBluesky, startFakeBluesky } from '../../../../test/fakes/bluesky.ts';
import { citizenPost, connectBluesky, pollOnce } from '../../../../test/helpers/bluesky.ts';
import { postForm, versionOn } from '../../../../test/helpers/cases.ts';
import { createTestContext, createUser, describeDb, eventually, type TestContext } from '../../../../test/helpers/context.ts';
import { seedBasics } from '../../../../test/helpers/fixtures.ts';
import { cases, messages, outbox } from '../../../infra/schema/index.ts';
import { graphemeLength } from './text.ts';

describeDb('Bluesky answers and publishing', () => {
  let ctx: TestContext;
  let fake: FakeBluesky;
  let accountId: number;
  let clerk: { cookie: string };
  beforeAll(async () => {
    ctx = await createTestContext();
    fake = await startFakeBluesky();
    fake.handles.set('tiefbau.musterstadt.de', 'did:plc:tiefbau00000000000000000');
    const town = await seedBasics(ctx.db);
    clerk = await createUser(ctx, { teamIds: [town.teams.leitstelle.id], name: 'Lea Leitstelle' });
    accountId = (await connectBluesky(ctx, fake)).id;
    await ctx.startWorkers();
  });
  afterAll(async () => {
    await ctx.close();
    await fake.close();
  });

  const sentRow = (id: number) =>
    eventually(async () => {
      const [row] = await ctx.db.select().from(outbox).where(eq(outbox.id, id));
      return row && (row.status === 'sent' || row.status === 'failed') ? row : null;
    });

  it('answers in the citizen’s thread with root and parent, facets, a thread for a long text, and threads the next reply', async () => {
    const original = citizenPost(fake, '@musterstadt.bsky.social Am Ahornweg ist die Laterne aus.');
    const ref = { uri: original.uri, cid: original.cid };
    const followUp = citizenPost(fake, 'Immer noch dunkel.', { reply: { root: ref, parent: ref } });
    await pollOnce(ctx, accountId);
    const [c] = await ctx.db.select().from(cases).where(eq(cases.externalId, original.uri));
    const pageUrl = `/staff/faelle/${c?.number}`;
    // Expire the session: the transport refreshes it and posts anyway.
    fake.expireAccessToken();
    const long = `Danke, @tiefbau.musterstadt.de ist informiert; Infos unter https://musterstadt.de/baustellen. ${'Die Reparatur ist bestellt. '.repeat(10)}Grüße 👋`;
    const page = await ctx.app.inject({ url: pageUrl, headers: { cookie: clerk.cookie, accept: 'text/html' } });
    const res = await postForm(ctx, pageUrl, `${pageUrl}/antwort`, clerk.cookie, { version: versionOn(page.body), body: long });
    expect(res.statusCode).toBe(303);

    const [queued] = await ctx.db
      .select()
      .from(outbox)
      .where(eq(outbox.caseId, c?.id ?? 0));
    const row = await sentRow(queued?.id ?? 0);
    expect(row.status).toBe('sent');
    expect(fake.calls).toContain('com.atproto.server.refreshSession');
    const posts = fake.created;
    expect(posts.length).toBe(2);
    type Post = { reply?: unknown; facets?: { features: { $type: string; did?: string; uri?: string }[] }[] };
    const [one, two] = posts.map((p) => p.record as Post);
    // The answer replies to the citizen's latest post (the follow-up), under the thread's root.
    expect(one?.reply).toEqual({ root: ref, parent: { uri: followUp.uri, cid: followUp.cid } });
    expect(two?.reply).toEqual({ root: ref, parent: { uri: posts[0]?.uri, cid: posts[0]?.cid } });
    for (const p of posts) expect(graphemeLength(String(p.record.text))).toBeLessThanOrEqual(300);
    const features = (one?.facets ?? []).flatMap((f) => f.features);
    expect(features).toEqual(
      expect.arrayContaining([
        { $type: 'app.bsky.richtext.facet#mention', did: 'did:plc:tiefbau00000000000000000' },
        { $type: 'app.bsky.richtext.facet#link', uri: 'https://musterstadt.de/baustellen' },
      ]),
    );
    expect(row.externalRef).toBe(posts[1]?.uri);
    // The citizen answers our last post: it joins the case.
    const [reply] = await ctx.db.select().from(messages).where(eq(messages.kind, 'reply'));
    expect(reply?.threadKey).toBe(`bluesky:${posts[1]?.uri}`);
    const ours = { uri: posts[1]?.uri ?? '', cid: posts[1]?.cid ?? '' };
    const thanks = citizenPost(fake, 'Prima, danke!', { reply: { root: ref, parent: ours } });
    await pollOnce(ctx, accountId);
    const [joined] = await ctx.db
      .select()
      .from(messages)
      .where(eq(messages.threadKey, `bluesky:${thanks.uri}`));
    expect(joined?.caseId).toBe(c?.id);
  });

  it('publishes with images and alt text, refuses an edit, deletes by URI', async () => {
    const publisher = ctx.publishers.get('bluesky');
    if (!publisher) throw new Error('no bluesky publisher');
    expect(await publisher.capabilities(ctx.db as never, accountId)).toMatchObject({
      maxLength: 300,
      countsGraphemes: true,
      maxMedia: 4,
      visibilities: ['public'],
    });
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#3366aa' } })
      .png()
      .toBuffer();
    const storageKey = await ctx.storage.put(png, 'png');
    const req = {
      accountId,
      text: 'Der Wochenmarkt zieht um: ab Samstag auf den Rathausplatz. 🥕',
      media: [{ storageKey, mimeType: 'image/png', alt: 'Lageplan des Rathausplatzes mit den neuen Ständen' }],
      visibility: 'public' as const,
      idempotencyKey: 'post-1-bluesky',
    };
    const first = await ctx.db.transaction((tx) => publisher.publish(tx, req));
    const again = await ctx.db.transaction((tx) => publisher.publish(tx, req));
    expect(again.outboxId).toBe(first.outboxId);
    const row = await sentRow(first.outboxId);
    expect(row.status).toBe('sent');
    const created = fake.created.find((p) => p.uri === row.externalRef);
    expect(created?.record.embed).toMatchObject({
      $type: 'app.bsky.embed.images',
      images: [
        { alt: 'Lageplan des Rathausplatzes mit den neuen Ständen', image: { $type: 'blob', mimeType: 'image/png', size: png.length } },
      ],
    });
    expect(created?.record.reply).toBeUndefined();
    expect(fake.blobs).toHaveLength(1);

    expect(await ctx.db.transaction((tx) => publisher.edit(tx, { ...req, externalRef: row.externalRef ?? '' }))).toEqual({
      unsupported: true,
    });
    await expect(ctx.db.transaction((tx) => publisher.publish(tx, { ...req, text: 'ä'.repeat(301), idempotencyKey: 'x' }))).rejects.toThrow(
      /höchstens 300/,
    );

    const removed = await ctx.db.transaction((tx) =>
      publisher.remove(tx, { accountId, externalRef: row.externalRef ?? '', idempotencyKey: 'del-1' }),
    );
    expect((await sentRow(removed.outboxId)).status).toBe('sent');
    expect(fake.deleted).toEqual([{ collection: 'app.bsky.feed.post', rkey: row.externalRef?.split('/').at(-1) }]);
  });
});
