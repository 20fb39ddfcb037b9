import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type FakeBluesky, startFakeBluesky } from '../../../../test/fakes/bluesky.ts';
import { citizenPost, connectBluesky, erika, pollOnce } from '../../../../test/helpers/bluesky.ts';
import { createTestContext, createUser, describeDb, type TestContext } from '../../../../test/helpers/context.ts';
import { seedBasics } from '../../../../test/helpers/fixtures.ts';
import { caseReactions, cases, channelAccounts, contacts, messages } from '../../../infra/schema/index.ts';
import { blueskyCursorSchema } from './settings.ts';

describeDb('Bluesky intake', () => {
  let ctx: TestContext;
  let fake: FakeBluesky;
  let accountId: number;
  let clerkCookie: string;
  beforeAll(async () => {
    ctx = await createTestContext();
    fake = await startFakeBluesky();
    const town = await seedBasics(ctx.db);
    clerkCookie = (await createUser(ctx, { teamIds: [town.teams.leitstelle.id], role: 'admin' })).cookie;
    accountId = (await connectBluesky(ctx, fake)).id;
  });
  afterAll(async () => {
    await ctx.close();
    await fake.close();
  });

  const caseOf = async (uri: string) => (await ctx.db.select().from(cases).where(eq(cases.externalId, uri)))[0];

  it('turns a mention into a public case with the citizen’s profile, once, and moves the cursor after storing', async () => {
    const post = citizenPost(
      fake,
      '@musterstadt.bsky.social Die Laterne in der Lindenstraße 4 ist seit Tagen aus. <script>alert(1)</script>',
    );
    expect(await pollOnce(ctx, accountId)).toMatchObject({ status: 'done', stored: 1 });
    const c = await caseOf(post.uri);
    expect(c).toMatchObject({ channel: 'bluesky', reporterName: 'Erika Mustermann', channelAccountId: accountId });
    const [m] = await ctx.db
      .select()
      .from(messages)
      .where(eq(messages.caseId, c?.id ?? 0));
    expect(m).toMatchObject({
      visibility: 'public',
      publicUrl: `https://bsky.app/profile/erika.bsky.social/post/${post.uri.split('/').at(-1)}`,
      threadKey: `bluesky:${post.uri}`,
    });
    const [contact] = await ctx.db.select().from(contacts).where(eq(contacts.kind, 'bluesky'));
    expect(contact).toMatchObject({ address: 'erika.bsky.social', displayName: 'Erika Mustermann' });
    // The server heard what we took in; the cursor points at it.
    expect(fake.seenAt).toBe(post.indexedAt);
    const [row] = await ctx.db.select({ cursor: channelAccounts.cursor }).from(channelAccounts).where(eq(channelAccounts.id, accountId));
    expect(blueskyCursorSchema.parse(row?.cursor).seenAt).toBe(post.indexedAt);

    // The same notification again (the server forgot what we saw): still one case.
    fake.seenAt = null;
    await ctx.db.update(channelAccounts).set({ cursor: {} }).where(eq(channelAccounts.id, accountId));
    expect(await pollOnce(ctx, accountId)).toMatchObject({ status: 'done' });
    expect(await ctx.db.select().from(cases).where(eq(cases.channel, 'bluesky'))).toHaveLength(1);

    // The script stays text on the staff page.
    const page = await ctx.app.inject({ url: `/staff/faelle/${c?.number}`, headers: { cookie: clerkCookie, accept: 'text/html' } });
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('<script>alert(1)</script>');
    expect(page.body).toContain('&lt;script>alert(1)&lt;/script>');
  });

  it('threads the citizen’s reply into the case, counts likes there, and opens no case for a bare thank-you', async () => {
    const first = citizenPost(fake, '@musterstadt.bsky.social Am Spielplatz Ahornweg liegt Glas.');
    await pollOnce(ctx, accountId);
    const c = await caseOf(first.uri);
    const ref = { uri: first.uri, cid: first.cid };
    citizenPost(fake, 'Es sind auch Scherben im Sandkasten.', { reply: { root: ref, parent: ref } });
    citizenPost(fake, '@musterstadt.bsky.social Danke! 🙏');
    fake.notify({
      uri: 'at://did:plc:nachbar00000000000000000/app.bsky.feed.like/3llike0001',
      author: { did: 'did:plc:nachbar00000000000000000', handle: 'nachbar.bsky.social' },
      reason: 'like',
      reasonSubject: first.uri,
      record: { $type: 'app.bsky.feed.like', subject: ref, createdAt: new Date().toISOString() },
    });
    fake.notify({
      uri: 'at://did:plc:x/app.bsky.graph.follow/1',
      author: erika,
      reason: 'follow',
      record: { $type: 'app.bsky.graph.follow' },
    });
    expect(await pollOnce(ctx, accountId)).toMatchObject({ status: 'done', stored: 1, reactions: 1 });
    const thread = await ctx.db
      .select()
      .from(messages)
      .where(eq(messages.caseId, c?.id ?? 0));
    expect(thread.map((m) => m.body)).toContain('Es sind auch Scherben im Sandkasten.');
    expect(await ctx.db.select().from(cases).where(eq(cases.channel, 'bluesky'))).toHaveLength(2);
    expect(
      await ctx.db
        .select()
        .from(caseReactions)
        .where(eq(caseReactions.caseId, c?.id ?? 0)),
    ).toMatchObject([{ kind: 'like', actorRef: 'nachbar.bsky.social' }]);
  });

  it('skips malformed records with a note and keeps going', async () => {
    const broken = fake.notify({
      uri: `at://${erika.did}/app.bsky.feed.post/3lbroken001`,
      author: erika,
      reason: 'mention',
      record: { $type: 'app.bsky.feed.post', text: 42, createdAt: 'gestern' },
    });
    fake.notify({
      uri: `at://${erika.did}/app.bsky.feed.post/3lbroken002`,
      author: erika,
      reason: 'reply',
      record: { $type: 'app.bsky.feed.post' },
    });
    const good = citizenPost(fake, '@musterstadt.bsky.social Der Mülleimer am Markt quillt über.');
    expect(await pollOnce(ctx, accountId)).toMatchObject({ status: 'done', stored: 1, skipped: 2 });
    expect(await caseOf(broken.uri)).toBeUndefined();
    expect(await caseOf(good.uri)).toBeDefined();
    const [row] = await ctx.db.select({ cursor: channelAccounts.cursor }).from(channelAccounts).where(eq(channelAccounts.id, accountId));
    const skipped = blueskyCursorSchema.parse(row?.cursor).skipped;
    expect(skipped.map((s) => s.uri)).toContain(broken.uri);
    expect(skipped[0]?.reason).toMatch(/Feld „text“/);
  });

  it('waits out a 429 until ratelimit-reset, loses nothing in a 500 outage, and recovers', async () => {
    const during = citizenPost(fake, '@musterstadt.bsky.social Schlagloch vor der Schule.');
    const reset = Math.ceil(Date.now() / 1000) + 120;
    fake.failures.push({
      status: 429,
      error: 'RateLimitExceeded',
      message: 'Rate Limit Exceeded',
      headers: {
        'ratelimit-limit': '3000',
        'ratelimit-remaining': '0',
        'ratelimit-reset': String(reset),
        'ratelimit-policy': '3000;w=300',
      },
    });
    expect(await pollOnce(ctx, accountId)).toMatchObject({ status: 'failed', error: expect.stringMatching(/^Bluesky bremst/) });
    // Next round: still waiting, no request made.
    const calls = fake.calls.length;
    expect(await pollOnce(ctx, accountId)).toMatchObject({ status: 'waiting', until: new Date(reset * 1000) });
    expect(fake.calls.length).toBe(calls);
    const [status] = await ctx.db.select().from(channelAccounts).where(eq(channelAccounts.id, accountId));
    expect(status?.lastError).toMatch(/Nächster Versuch ab \d\d:\d\d Uhr/);
    expect(status?.consecutiveFailures).toBe(1);

    // The wait is over; then the server breaks down.
    await ctx.db
      .update(channelAccounts)
      .set({ cursor: { ...(status?.cursor as object), retryAfter: null } })
      .where(eq(channelAccounts.id, accountId));
    fake.failures.push({ status: 500, error: 'InternalServerError', message: 'Internal Server Error' });
    expect(await pollOnce(ctx, accountId)).toMatchObject({ status: 'failed', error: expect.stringMatching(/nicht erreichbar/) });
    expect(await caseOf(during.uri)).toBeUndefined();
    await ctx.db
      .update(channelAccounts)
      .set({ cursor: { ...(status?.cursor as object), retryAfter: null } })
      .where(eq(channelAccounts.id, accountId));
    expect(await pollOnce(ctx, accountId)).toMatchObject({ status: 'done', stored: 1 });
    expect(await caseOf(during.uri)).toBeDefined();
    const [after] = await ctx.db.select().from(channelAccounts).where(eq(channelAccounts.id, accountId));
    expect(after).toMatchObject({ lastError: null, consecutiveFailures: 0 });
  });

  it('refreshes an expired access token and goes on', async () => {
    const post = citizenPost(fake, '@musterstadt.bsky.social Ampel an der Kreuzung blinkt nur gelb.');
    fake.expireAccessToken();
    expect(await pollOnce(ctx, accountId)).toMatchObject({ status: 'done', stored: 1 });
    expect(fake.calls).toContain('app.bsky.notification.listNotifications ExpiredToken');
    expect(fake.calls).toContain('com.atproto.server.refreshSession');
    expect(await caseOf(post.uri)).toBeDefined();
  });
});
