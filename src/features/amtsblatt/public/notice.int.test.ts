import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestContext, describeDb, type TestContext } from '../../../../test/helpers/context.ts';
import { insertPost } from '../../../../test/helpers/posts.ts';
import { posts } from '../../../infra/schema/index.ts';
import { noticeHash } from '../notice-hash.ts';

const PUBLISHED = new Date('2026-03-02T09:30:00.000Z');

describeDb('official notices: number, hash, corrections, print, PDF, immutability', () => {
  let ctx: TestContext;
  let original: typeof posts.$inferSelect;
  let correction: typeof posts.$inferSelect;

  beforeAll(async () => {
    ctx = await createTestContext();
    original = await insertPost(ctx.db, {
      kind: 'notice',
      slug: 'satzung-parkgebuehren',
      title: 'Satzung über Parkgebühren',
      body: 'Die Gebühr beträgt **1 €** je Stunde.\n\n- Zone A\n- Zone B',
      noticeNumber: 17,
      publishedAt: PUBLISHED,
    });
    correction = await insertPost(ctx.db, {
      kind: 'notice',
      slug: 'berichtigung-parkgebuehren',
      title: 'Berichtigung der Satzung über Parkgebühren',
      body: 'Die Gebühr beträgt 1,50 € je Stunde.',
      noticeNumber: 18,
      correctsPostId: original.id,
      publishedAt: new Date('2026-03-04T08:00:00.000Z'),
    });
  });
  afterAll(() => ctx.close());

  it('shows number, date and time, the hash, and the correction links both ways', async () => {
    const page = await ctx.app.inject({ url: '/amtsblatt/satzung-parkgebuehren' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('2026/17');
    expect(page.body).toContain('2. März 2026, 10:30 Uhr');
    expect(page.body).toContain(original.contentSha256);
    expect(page.body).toContain('berichtigt durch');
    expect(page.body).toContain('href="/amtsblatt/berichtigung-parkgebuehren"');
    const fix = await ctx.app.inject({ url: '/amtsblatt/berichtigung-parkgebuehren' });
    expect(fix.body).toContain('Berichtigung von');
    expect(fix.body).toContain('href="/amtsblatt/satzung-parkgebuehren"');
    expect(fix.body).toContain('2026/17: Satzung über Parkgebühren');
    expect(correction.noticeNumber).toBe(18);
  });

  it('recomputes the hash on the check page and compares a typed-in one', async () => {
    const check = await ctx.app.inject({ url: '/amtsblatt/satzung-parkgebuehren/pruefen' });
    expect(check.statusCode).toBe(200);
    expect(check.body).toContain('Der Inhalt ist unverändert.');
    expect(check.body).toContain('2026-03-02T09:30:00.000Z');
    const good = await ctx.app.inject({ url: `/amtsblatt/satzung-parkgebuehren/pruefen?sha256=${original.contentSha256?.toUpperCase()}` });
    expect(good.body).toContain('Die eingegebene Prüfsumme stimmt überein.');
    const bad = await ctx.app.inject({ url: `/amtsblatt/satzung-parkgebuehren/pruefen?sha256=${'0'.repeat(64)}` });
    expect(bad.body).toContain('Die eingegebene Prüfsumme stimmt nicht überein.');
    // A post that is no notice has no check page.
    const news = await insertPost(ctx.db, { title: 'Nur eine Nachricht', slug: 'nur-nachricht' });
    expect((await ctx.app.inject({ url: `/amtsblatt/${news.slug}/pruefen` })).statusCode).toBe(404);
  });

  it('offers a print view and a PDF', async () => {
    const print = await ctx.app.inject({ url: '/amtsblatt/satzung-parkgebuehren/druck' });
    expect(print.statusCode).toBe(200);
    expect(print.body).toContain('Amtliche Bekanntmachung 2026/17');
    expect(print.body).toContain(original.contentSha256);
    const pdf = await ctx.app.inject({ url: '/amtsblatt/satzung-parkgebuehren/pdf' });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toBe('attachment; filename="Bekanntmachung-2026-17.pdf"');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('the database refuses to change or delete a published notice, but lets it be withdrawn', async () => {
    const refused = async (work: () => Promise<unknown>) => {
      const err = await work().then(
        () => null,
        (e: unknown) => e as { cause?: { message?: string }; message?: string },
      );
      expect(err).not.toBeNull();
      expect(`${err?.message} ${err?.cause?.message ?? ''}`).toMatch(/published notice \d+ (is immutable|cannot be deleted)/);
    };
    const where = eq(posts.id, original.id);
    await refused(() => ctx.db.update(posts).set({ body: 'Die Gebühr beträgt 5 €.' }).where(where));
    await refused(() => ctx.db.update(posts).set({ title: 'Anders' }).where(where));
    await refused(() => ctx.db.update(posts).set({ noticeNumber: 99 }).where(where));
    await refused(() =>
      ctx.db
        .update(posts)
        .set({ contentSha256: 'f'.repeat(64) })
        .where(where),
    );
    await refused(() =>
      ctx.db
        .update(posts)
        .set({ publishedAt: new Date('2026-03-03T00:00:00Z') })
        .where(where),
    );
    await refused(() => ctx.db.delete(posts).where(where));
    await refused(() => ctx.db.execute(sql`delete from posts where kind = 'notice'`));
    const [still] = await ctx.db.select().from(posts).where(where);
    expect(still?.body).toBe(original.body);
    expect(noticeHash({ title: still?.title ?? '', body: still?.body ?? '', publishedAt: still?.publishedAt ?? new Date() })).toBe(
      original.contentSha256,
    );
    // Not yet published: the desk may still edit and delete it.
    const draft = await insertPost(ctx.db, { kind: 'notice', status: 'review', title: 'Entwurf' });
    await ctx.db.update(posts).set({ body: 'geändert' }).where(eq(posts.id, draft.id));
    await ctx.db.delete(posts).where(eq(posts.id, draft.id));
    // Withdrawing changes the status only, which is allowed; the page then answers 410.
    await ctx.db.update(posts).set({ status: 'withdrawn', updatedAt: new Date() }).where(eq(posts.id, correction.id));
    expect((await ctx.app.inject({ url: '/amtsblatt/berichtigung-parkgebuehren' })).statusCode).toBe(410);
  });
});
