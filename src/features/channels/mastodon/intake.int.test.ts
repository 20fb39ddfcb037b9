import { and, asc, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { type FakeMastodon, startFakeMastodon } from '../../../../test/fakes/mastodon.ts';
import { createTestContext, describeDb, type TestContext } from '../../../../test/helpers/context.ts';
import { seedBasics } from '../../../../test/helpers/fixtures.ts';
import { accountStatus, connectMastodon, poll } from '../../../../test/helpers/mastodon.ts';
import { fixedClock } from '../../../infra/clock.ts';
import { cases, contacts, messages } from '../../../infra/schema/index.ts';

const clock = fixedClock(new Date());

describeDb('Mastodon intake', () => {
  let ctx: TestContext;
  let fake: FakeMastodon;
  let accountId: number;

  const casesOf = () => ctx.db.select().from(cases).where(eq(cases.channelAccountId, accountId)).orderBy(asc(cases.id));
  const messagesOf = (caseId: number) =>
    ctx.db
      .select()
      .from(messages)
      .where(and(eq(messages.caseId, caseId), eq(messages.kind, 'inbound')))
      .orderBy(asc(messages.id));

  beforeAll(async () => {
    ctx = await createTestContext({ clock });
    await seedBasics(ctx.db);
  });
  afterAll(() => ctx.close());
  beforeEach(async () => {
    fake = await startFakeMastodon();
    accountId = (await connectMastodon(ctx, fake)).id;
  });
  afterEach(() => fake.close());

  it('turns a mention into a case with the public link, sanitised text and the content warning, once', async () => {
    const erika = fake.citizen('erika', 'Erika M.');
    const status = fake.mention(
      erika,
      '<p><span class="h-card"><a href="https://x/@stadt" class="u-url mention">@<span>stadt</span></a></span> Laterne am Markt ist aus &amp; flackert<script>alert(1)</script></p><p>Seit Montag.</p>',
      { spoiler: 'Baustelle' },
    );
    expect(await poll(ctx, accountId)).toBe('done');
    expect(await poll(ctx, accountId)).toBe('done');
    const [c, more] = await casesOf();
    expect(more).toBeUndefined();
    expect(c?.channel).toBe('mastodon');
    expect(c?.externalId).toBe(status.uri);
    expect(c?.description).toBe('Inhaltswarnung: Baustelle\n\nLaterne am Markt ist aus & flackert\nSeit Montag.');
    expect(c?.description).not.toContain('alert');
    const [m] = await messagesOf(c?.id ?? 0);
    expect(m).toMatchObject({ visibility: 'public', publicUrl: status.url, threadKey: `mastodon:${status.id}` });
    const [contact] = await ctx.db
      .select()
      .from(contacts)
      .where(eq(contacts.id, c?.contactId ?? 0));
    expect(contact).toMatchObject({ kind: 'fediverse', address: 'erika@social.example', displayName: 'Erika M.' });
    // The same notification again (the cursor lost, a replay) is still one case.
    await ctx.db.execute(`update channel_accounts set cursor = '{}' where id = ${accountId}`);
    await poll(ctx, accountId);
    expect(await casesOf()).toHaveLength(1);
  });

  it('accepts the notification request of a stranger, so the DM arrives: direct, without a public link', async () => {
    const stranger = fake.citizen('fremd');
    const dm = fake.mention(stranger, '<p>@stadt Meine Mülltonne wurde nicht geleert, Hausnummer 12.</p>', {
      visibility: 'direct',
      filtered: true,
    });
    await poll(ctx, accountId);
    expect(fake.requests.some((r) => r.method === 'POST' && r.path === `/api/v1/notifications/requests/req-${stranger.id}/accept`)).toBe(
      true,
    );
    const [c] = await casesOf();
    expect(c?.externalId).toBe(dm.uri);
    const [m] = await messagesOf(c?.id ?? 0);
    expect(m).toMatchObject({ visibility: 'direct', publicUrl: null });
  });

  it('threads a reply to the citizen’s own status into its case and keeps both versions of an edit', async () => {
    const erika = fake.citizen('erika');
    const first = fake.mention(erika, '<p>@stadt Schlagloch in der Seestraße</p>');
    await poll(ctx, accountId);
    fake.mention(erika, '<p>@stadt Es ist etwa 30 cm breit.</p>', { inReplyTo: first.id });
    fake.edit(first.id, '<p>@stadt Schlagloch in der Seestraße 4</p>');
    await poll(ctx, accountId);
    const all = await casesOf();
    expect(all).toHaveLength(1);
    const bodies = (await messagesOf(all[0]?.id ?? 0)).map((m) => m.body);
    expect(bodies).toEqual([
      'Schlagloch in der Seestraße',
      'Es ist etwa 30 cm breit.',
      'Bearbeitete Fassung: Schlagloch in der Seestraße 4',
    ]);
  });

  it('opens no case for a mere thank-you, names media, reads v1 where v2 is missing', async () => {
    fake.disableGroupedNotifications();
    const erika = fake.citizen('erika');
    fake.mention(erika, '<p>@stadt Danke! 🙏</p>');
    fake.mention(erika, '<p>@stadt Wilder Müll am Bahnhof</p>', {
      media: [{ url: 'https://social.example/m/1.jpg', description: 'Sperrmüll' }],
    });
    expect(await poll(ctx, accountId)).toBe('done');
    const all = await casesOf();
    expect(all.map((c) => c.description)).toEqual(['Wilder Müll am Bahnhof']);
    const notes = await ctx.db
      .select()
      .from(messages)
      .where(and(eq(messages.caseId, all[0]?.id ?? 0), eq(messages.kind, 'note')));
    expect(notes.map((n) => n.body)).toContain('Bild im Beitrag („Sperrmüll“): https://social.example/m/1.jpg');
  });

  it('waits out a 429 until X-RateLimit-Reset, survives a 500 and malformed JSON, and loses nothing', async () => {
    const erika = fake.citizen('erika');
    fake.mention(erika, '<p>@stadt Ampel defekt</p>');
    const reset = new Date(clock.now().getTime() + 5 * 60_000);
    fake.failNext(1, {
      status: 429,
      headers: { 'x-ratelimit-limit': '300', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset.toISOString() },
    });
    expect(await poll(ctx, accountId)).toBe('failed');
    expect((await accountStatus(ctx, accountId))?.lastError).toMatch(/bremst die Abrufe.*es geht ab \d\d:\d\d Uhr weiter/);
    const calls = fake.requests.length;
    expect(await poll(ctx, accountId)).toBe('paused');
    expect(fake.requests.length).toBe(calls);
    clock.advance(5 * 60_000 + 1);
    fake.failNext(1, { status: 500, body: '<html>Oops</html>' });
    expect(await poll(ctx, accountId)).toBe('failed');
    expect((await accountStatus(ctx, accountId))?.lastError).toContain('antwortet mit einem Fehler (500)');
    fake.failNext(2, { status: 200, body: '{"accounts": [' });
    await poll(ctx, accountId); // the requests call
    expect(await poll(ctx, accountId)).toBe('failed');
    expect((await accountStatus(ctx, accountId))?.lastError).toContain('unlesbare Antwort');
    expect(await casesOf()).toHaveLength(0);
    expect(await poll(ctx, accountId)).toBe('done');
    expect((await casesOf()).map((c) => c.description)).toEqual(['Ampel defekt']);
    const status = await accountStatus(ctx, accountId);
    expect(status).toMatchObject({ lastError: null, consecutiveFailures: 0 });
  });

  it('says in German that the token is no longer valid, and does not knock again at once', async () => {
    fake.revokeToken();
    expect(await poll(ctx, accountId)).toBe('failed');
    const status = await accountStatus(ctx, accountId);
    expect(status?.lastError).toBe(
      'Der Zugangsschlüssel ist abgelaufen oder wurde zurückgezogen. Bitte tragen Sie unter „Kanäle“ einen neuen ein; bis dahin ruhen die Abrufe.',
    );
    const calls = fake.requests.length;
    expect(await poll(ctx, accountId)).toBe('paused');
    expect(fake.requests.length).toBe(calls);
  });
});
