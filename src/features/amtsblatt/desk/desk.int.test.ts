import { and, eq } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { testPublisher } from '../../../../test/fakes/test-publisher.ts';
import { createTestContext, createUser, csrfFor, describeDb, type TestContext, type TestUser } from '../../../../test/helpers/context.ts';
import { multipart } from '../../../../test/helpers/multipart.ts';
import { fixedClock } from '../../../infra/clock.ts';
import { amtsblattRoles, channelAccounts, outbox, postEvents, postImages, posts, postTargets } from '../../../infra/schema/index.ts';
import { createSession, SESSION_COOKIE } from '../../auth/session.ts';
import type { DeskDeps } from './posts.ts';
import { publishDue, syncTargets } from './publish.ts';

const html = { accept: 'text/html' };
const clock = fixedClock(new Date('2026-03-05T08:00:00Z'));

describeDb('Amtsblatt desk', () => {
  let ctx: TestContext;
  let editor: TestUser;
  let approver: TestUser;
  let outsider: TestUser;
  let desk: DeskDeps;
  let refuseBluesky = false;
  let mastodonId: number;
  let blueskyId: number;

  beforeAll(async () => {
    ctx = await createTestContext({
      clock,
      publishers: [testPublisher('mastodon'), testPublisher('bluesky', { refuse: () => refuseBluesky })],
    });
    editor = await createUser(ctx, { name: 'Erika Redaktion' });
    approver = await createUser(ctx, { name: 'Max Freigabe' });
    outsider = await createUser(ctx, { name: 'Otto Ohnerolle' });
    await ctx.db.insert(amtsblattRoles).values([
      { userId: editor.id, role: 'approver' },
      { userId: approver.id, role: 'approver' },
    ]);
    const accounts = await ctx.db
      .insert(channelAccounts)
      .values([
        { kind: 'mastodon', name: 'Musterstadt Mastodon', settings: {}, secrets: '' },
        { kind: 'bluesky', name: 'Musterstadt Bluesky', settings: {}, secrets: '' },
      ])
      .returning({ id: channelAccounts.id });
    mastodonId = accounts[0]?.id ?? 0;
    blueskyId = accounts[1]?.id ?? 0;
    desk = { db: ctx.db, clock, log: ctx.log, storage: ctx.storage, publishers: ctx.publishers, publicUrl: ctx.config.publicUrl };
  });
  afterAll(() => ctx.close());

  async function send(user: TestUser, url: string, fields: Record<string, string>, files: Buffer[] = []) {
    const { token, cookie } = await csrfFor(ctx.app, '/redaktion/neu', user.cookie);
    const body = await multipart(
      { _csrf: token, ...fields },
      files.length ? { photos: files.map((data) => ({ data, filename: 'foto.jpg', type: 'image/jpeg' })) } : {},
    );
    return ctx.app.inject({ method: 'POST', url, payload: body.payload, headers: { ...body.headers, ...html, cookie } });
  }
  const versionOf = async (id: number) => String((await ctx.db.select().from(posts).where(eq(posts.id, id)))[0]?.version);
  const postOf = async (id: number) => (await ctx.db.select().from(posts).where(eq(posts.id, id)))[0];

  async function draft(fields: Record<string, string> = {}, files: Buffer[] = []): Promise<number> {
    const res = await send(
      editor,
      '/redaktion',
      {
        kind: 'news',
        title: 'Marktplatz gesperrt',
        body: 'Ab Montag wird der **Marktplatz** saniert.',
        [`target_mastodon-${mastodonId}`]: 'yes',
        [`text_mastodon-${mastodonId}`]: 'Ab Montag wird der Marktplatz saniert. #Baustelle',
        ...fields,
      },
      files,
    );
    expect(res.statusCode, res.body.slice(0, 500)).toBe(303);
    return Number(/\/redaktion\/(\d+)/.exec(res.headers.location as string)?.[1]);
  }
  async function toApproved(id: number) {
    expect((await send(editor, `/redaktion/${id}/einreichen`, { version: await versionOf(id) })).statusCode).toBe(303);
    expect((await send(approver, `/redaktion/${id}/freigeben`, { version: await versionOf(id) })).statusCode).toBe(303);
  }

  it('refuses staff without a desk role and keeps every field inert', async () => {
    expect((await send(outsider, '/redaktion', { kind: 'news', title: 'Nein' })).statusCode).toBe(403);
    const photo = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#48c' } })
      .jpeg()
      .withExif({ IFD0: { Copyright: 'Geheim' } })
      .toBuffer();
    const id = await draft(
      {
        title: '<script>alert("t")</script>',
        body: 'Hallo <script>alert("b")</script> <img src=x onerror="alert(1)"> [x](javascript:alert(2))',
        locationText: '<b onmouseover="alert(3)">Rathaus</b>',
        photoAlt: '"><script>alert("a")</script>',
      },
      [photo],
    );
    const page = await ctx.app.inject({ url: `/redaktion/${id}`, headers: { ...html, cookie: editor.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toMatch(/<script>alert|<img[^>]*onerror|<b onmouseover|href="javascript/);
    expect(page.body).toContain('&lt;script>alert');
    const [image] = await ctx.db.select().from(postImages).where(eq(postImages.postId, id));
    const meta = await sharp(await ctx.storage.get(image?.storageKey ?? '')).metadata();
    expect(meta.exif).toBeUndefined();
    const preview = await send(editor, '/redaktion/vorschau', { body: '<script>alert(1)</script>\n\n**fett**' });
    expect(preview.body).not.toContain('<script');
    expect(preview.body).toContain('<strong>fett</strong>');
  });

  it('requires alt text for a photo and consent for a portrait', async () => {
    const photo = await sharp({ create: { width: 20, height: 20, channels: 3, background: '#000' } })
      .jpeg()
      .toBuffer();
    const noAlt = await send(editor, '/redaktion', { kind: 'news', title: 'Foto ohne Text' }, [photo]);
    expect(noAlt.statusCode).toBe(400);
    expect(noAlt.body).toContain('Alternativtext');
    const portrait = await send(editor, '/redaktion', { kind: 'portrait', title: 'Frau Müller vom Bauhof' });
    expect(portrait.statusCode).toBe(400);
    expect(portrait.body).toContain('Einwilligung');
  });

  it('lets nobody approve their own post, nor an approver whose role was taken away', async () => {
    const id = await draft();
    expect((await send(editor, `/redaktion/${id}/einreichen`, { version: await versionOf(id) })).statusCode).toBe(303);
    const own = await send(editor, `/redaktion/${id}/freigeben`, { version: await versionOf(id) });
    expect(own.statusCode).toBe(403);
    expect(own.body).toContain('Vier-Augen-Prinzip');
    const stale = await send(approver, `/redaktion/${id}/freigeben`, { version: '1' });
    expect(stale.statusCode).toBe(409);

    const removed = await createUser(ctx, { name: 'Ehemals Freigabe' });
    await ctx.db.insert(amtsblattRoles).values({ userId: removed.id, role: 'approver' });
    const page = await ctx.app.inject({ url: `/redaktion/${id}`, headers: { ...html, cookie: removed.cookie } });
    expect(page.body).toContain('Freigeben');
    await ctx.db.delete(amtsblattRoles).where(eq(amtsblattRoles.userId, removed.id));
    expect((await send(removed, `/redaktion/${id}/freigeben`, { version: await versionOf(id) })).statusCode).toBe(403);
    expect((await postOf(id))?.status).toBe('review');

    expect((await send(approver, `/redaktion/${id}/freigeben`, { version: await versionOf(id) })).statusCode).toBe(303);
    const approved = await postOf(id);
    expect(approved?.status).toBe('approved');
    expect(approved?.approvedById).toBe(approver.id);
    const [event] = await ctx.db
      .select()
      .from(postEvents)
      .where(and(eq(postEvents.postId, id), eq(postEvents.action, 'approved')));
    expect(JSON.stringify(event?.details)).toContain('#Baustelle');
  });

  it('refuses a time in the past and publishes at the minute, never twice', async () => {
    const id = await draft();
    await toApproved(id);
    const past = await send(editor, `/redaktion/${id}/planen`, { version: await versionOf(id), scheduledAt: '2026-03-05T08:59' });
    expect(past.statusCode).toBe(400);
    expect(past.body).toContain('in der Vergangenheit');
    expect(
      (await send(editor, `/redaktion/${id}/planen`, { version: await versionOf(id), scheduledAt: '2026-03-05T10:00' })).statusCode,
    ).toBe(303);
    expect((await postOf(id))?.status).toBe('scheduled');

    clock.set(new Date('2026-03-05T08:59:59Z'));
    expect(await publishDue(desk)).not.toContain(id);
    clock.set(new Date('2026-03-05T09:00:00Z'));
    const [a, b] = await Promise.all([publishDue(desk), publishDue(desk)]);
    expect([...(a ?? []), ...(b ?? [])].filter((x) => x === id)).toHaveLength(1);
    expect(await publishDue(desk)).toEqual([]);
    const post = await postOf(id);
    expect(post?.status).toBe('published');
    expect(post?.publishedAt?.toISOString()).toBe('2026-03-05T09:00:00.000Z');
    const rows = await ctx.db.select().from(outbox).where(eq(outbox.kind, 'mastodon'));
    expect(rows.filter((r) => r.idempotencyKey.startsWith(`amtsblatt:${id}:`))).toHaveLength(1);
    const targets = await ctx.db.select().from(postTargets).where(eq(postTargets.postId, id));
    expect(targets.find((t) => t.target === 'website')?.status).toBe('published');
    expect(targets.find((t) => t.target === 'mastodon')?.status).toBe('publishing');
  });

  it('shows a failing target and retries it alone', async () => {
    const id = await draft({ [`target_bluesky-${blueskyId}`]: 'yes', [`text_bluesky-${blueskyId}`]: 'Marktplatz ab Montag gesperrt.' });
    await toApproved(id);
    refuseBluesky = true;
    expect((await send(editor, `/redaktion/${id}/jetzt`, { version: await versionOf(id) })).statusCode).toBe(303);
    refuseBluesky = false;
    const page = await ctx.app.inject({ url: `/redaktion/${id}`, headers: { ...html, cookie: editor.cookie } });
    expect(page.body).toContain('fehlgeschlagen');
    expect(page.body).toContain('erneut versuchen');
    const targets = await ctx.db.select().from(postTargets).where(eq(postTargets.postId, id));
    const sky = targets.find((t) => t.target === 'bluesky');
    const masto = targets.find((t) => t.target === 'mastodon');
    expect(sky?.status).toBe('failed');
    // The Mastodon delivery is read back from its outbox row; a failure there also fails only that target.
    await ctx.db
      .update(outbox)
      .set({ status: 'sent', externalRef: 'https://social.example/@musterstadt/1' })
      .where(eq(outbox.id, masto?.outboxId ?? 0));
    await syncTargets(desk);
    const retried = await send(editor, `/redaktion/${id}/ziele/${sky?.id}/erneut`, {});
    expect(retried.statusCode).toBe(303);
    const after = await ctx.db.select().from(postTargets).where(eq(postTargets.postId, id));
    expect(after.find((t) => t.target === 'bluesky')?.status).toBe('publishing');
    expect(after.find((t) => t.target === 'mastodon')).toMatchObject({
      status: 'published',
      publicUrl: 'https://social.example/@musterstadt/1',
      attempts: 1,
    });
    const skyRow = await ctx.db
      .select()
      .from(outbox)
      .where(eq(outbox.id, after.find((t) => t.target === 'bluesky')?.outboxId ?? 0));
    await ctx.db
      .update(outbox)
      .set({ status: 'failed', lastError: 'Invalid record' })
      .where(eq(outbox.id, skyRow[0]?.id ?? 0));
    await syncTargets(desk);
    const failedAgain = (
      await ctx.db
        .select()
        .from(postTargets)
        .where(eq(postTargets.id, sky?.id ?? 0))
    )[0];
    expect(failedAgain).toMatchObject({ status: 'failed', attempts: 2 });
    expect(failedAgain?.lastError).toContain('Invalid record');
  });

  it('numbers official notices per year without gaps and freezes them once published', async () => {
    const publishNotice = async (at: string) => {
      clock.set(new Date(at));
      // Months pass between these notices: sign both in again at the new time.
      for (const u of [editor, approver]) {
        const session = await createSession(ctx.db, clock, u.id);
        u.cookie = `${SESSION_COOKIE}=${ctx.app.signCookie(session.cookieValue)}`;
      }
      const id = await draft({ kind: 'notice', title: `Bekanntmachung ${at}` });
      await toApproved(id);
      expect((await send(editor, `/redaktion/${id}/jetzt`, { version: await versionOf(id) })).statusCode).toBe(303);
      return postOf(id);
    };
    const first = await publishNotice('2026-06-01T08:00:00Z');
    const second = await publishNotice('2026-06-02T08:00:00Z');
    // 23:30 UTC on New Year's Eve is already the new year in Musterstadt.
    const third = await publishNotice('2026-12-31T23:30:00Z');
    expect([first, second, third].map((p) => `${p?.noticeYear}/${p?.noticeNumber}`)).toEqual(['2026/1', '2026/2', '2027/1']);
    expect(first?.contentSha256).toMatch(/^[0-9a-f]{64}$/);
    // The public check page recomputes the desk's checksum and finds the notice unchanged.
    const check = await ctx.app.inject({ url: `/amtsblatt/${first?.slug}/pruefen` });
    expect(check.statusCode).toBe(200);
    expect(check.body).toContain('Der Inhalt ist unverändert.');
    const edit = await send(editor, `/redaktion/${first?.id}`, { version: String(first?.version), title: 'Geändert' });
    expect(edit.statusCode).toBe(409);
    expect(edit.body).toContain('Berichtigung');
  });
});
