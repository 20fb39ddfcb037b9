import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestContext, describeDb, type TestContext } from '../../../test/helpers/context.ts';
import { seedBasics } from '../../../test/helpers/fixtures.ts';
import { attachments, cases, messages } from '../../infra/schema/index.ts';
import { recordAudit } from '../cases/audit.ts';
import { processAndStorePhotos } from '../intake/photos.ts';
import { type IntakeDeps, type IntakeResult, receive } from '../intake/service.ts';

const html = { accept: 'text/html' };

describeDb('tracking page', () => {
  let ctx: TestContext;
  let town: Awaited<ReturnType<typeof seedBasics>>;
  let deps: IntakeDeps;
  let withPhoto: IntakeResult;
  let other: IntakeResult;

  const report = async (description: string, withImage: boolean) => {
    const image = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#c33' } })
      .png()
      .toBuffer();
    const { photos } = await processAndStorePhotos(ctx.storage, withImage ? [image] : []);
    return receive(deps, {
      channel: 'web',
      externalId: null,
      type: 'defect',
      categoryId: town.categories.streetLight.id,
      description,
      locationText: 'Marktstätte 12',
      lat: null,
      lon: null,
      reporterName: 'Erika Mustermann',
      reporterEmail: 'erika@example.org',
      consentAt: new Date(),
      photos,
    });
  };

  beforeAll(async () => {
    ctx = await createTestContext();
    town = await seedBasics(ctx.db);
    deps = { ...ctx, db: ctx.db };
    withPhoto = await report('Die Laterne vor Hausnummer 12 ist dunkel.', true);
    other = await report('Ganz anderes Anliegen mit eigenem Foto.', true);

    const at = (min: number) => new Date(Date.now() + min * 60_000);
    await ctx.db.update(cases).set({ status: 'in_progress' }).where(eq(cases.id, withPhoto.caseId));
    await recordAudit(ctx.db, {
      caseId: withPhoto.caseId,
      actor: { userId: null, label: 'Petra Geheim' },
      action: 'status_changed',
      details: { from: 'new', to: 'in_progress' },
      at: at(1),
    });
    await recordAudit(ctx.db, {
      caseId: withPhoto.caseId,
      actor: { userId: null, label: 'Petra Geheim' },
      action: 'team_changed',
      details: { from: 'Tiefbauamt', to: 'Leitstelle' },
      at: at(2),
    });
    await recordAudit(ctx.db, {
      caseId: withPhoto.caseId,
      actor: { userId: null, label: 'Petra Geheim' },
      action: 'assigned',
      details: { to: 'Petra Geheim' },
      at: at(3),
    });
    await ctx.db.insert(messages).values([
      { caseId: withPhoto.caseId, kind: 'note', channel: 'web', body: 'Intern: Anwohner ist Dauermelder', createdAt: at(4) },
      { caseId: withPhoto.caseId, kind: 'reply', channel: 'web', body: 'Danke! Der Elektriker kommt am Dienstag.', createdAt: at(5) },
    ]);
  });
  afterAll(() => ctx.close());

  it('shows number, status, history, the description, photos and public messages – never internal notes', async () => {
    const res = await ctx.app.inject({ url: `/verfolgen/${withPhoto.trackingToken}`, headers: html });
    expect(res.statusCode).toBe(200);
    const body = res.body;
    expect(body).toContain(withPhoto.number);
    expect(body).toContain('in Bearbeitung');
    expect(body).toContain('Straßenbeleuchtung');
    expect(body).toContain('Störung');
    // History: created, routed to the category's team, status change, hand-over to another team.
    expect(body).toContain('Anliegen eingegangen');
    expect(body).toContain('Zugewiesen</strong> an Tiefbauamt');
    expect(body).toContain('von „neu“ auf „in Bearbeitung“');
    expect(body).toContain('Weitergegeben</strong> an Leitstelle');
    expect(body).toContain('Die Laterne vor Hausnummer 12 ist dunkel.');
    expect(body).toContain('Danke! Der Elektriker kommt am Dienstag.');
    expect(body).toContain('Eingangsbestätigung per E-Mail');
    expect(body).not.toContain('Dauermelder');
    // Staff names and the citizen's address stay off this page.
    expect(body).not.toContain('Petra Geheim');
    expect(body).not.toContain('erika@example.org');
    const [photo] = await ctx.db.select().from(attachments).where(eq(attachments.caseId, withPhoto.caseId));
    expect(body).toContain(`href="/verfolgen/${withPhoto.trackingToken}/fotos/${photo?.id}"`);
    expect(body).toContain(`src="/verfolgen/${withPhoto.trackingToken}/fotos/${photo?.id}/vorschau"`);
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-robots-tag']).toBe('noindex, nofollow');
    expect(body).toContain('<meta name="robots" content="noindex, nofollow"/>');
  });

  it('answers an unknown or malformed token with a German 404', async () => {
    for (const token of [randomBytes(24).toString('base64url'), 'kurz', "x'%20or%201=1--"]) {
      const res = await ctx.app.inject({ url: `/verfolgen/${token}`, headers: html });
      expect(res.statusCode).toBe(404);
      expect(res.body).toContain('Zu diesem Link finden wir kein Anliegen');
    }
  });

  it('serves photo and thumbnail of the case privately, with the stored content type', async () => {
    const [photo] = await ctx.db.select().from(attachments).where(eq(attachments.caseId, withPhoto.caseId));
    const full = await ctx.app.inject({ url: `/verfolgen/${withPhoto.trackingToken}/fotos/${photo?.id}` });
    expect(full.statusCode).toBe(200);
    expect(full.headers['content-type']).toBe('image/png');
    expect(full.headers['cache-control']).toBe('private, max-age=3600');
    expect(full.rawPayload.equals(await ctx.storage.get(photo?.storageKey ?? ''))).toBe(true);
    const thumb = await ctx.app.inject({ url: `/verfolgen/${withPhoto.trackingToken}/fotos/${photo?.id}/vorschau` });
    expect(thumb.statusCode).toBe(200);
    expect(thumb.rawPayload.equals(await ctx.storage.get(photo?.thumbKey ?? ''))).toBe(true);
  });

  it('serves no photo of another case, of an internal note, or under a wrong token', async () => {
    const [foreign] = await ctx.db.select().from(attachments).where(eq(attachments.caseId, other.caseId));
    const cross = await ctx.app.inject({ url: `/verfolgen/${withPhoto.trackingToken}/fotos/${foreign?.id}` });
    expect(cross.statusCode).toBe(404);
    const crossThumb = await ctx.app.inject({ url: `/verfolgen/${withPhoto.trackingToken}/fotos/${foreign?.id}/vorschau` });
    expect(crossThumb.statusCode).toBe(404);
    const own = await ctx.app.inject({ url: `/verfolgen/${other.trackingToken}/fotos/${foreign?.id}` });
    expect(own.statusCode).toBe(200);

    // A photo staff attached to an internal note belongs to the case but is not public.
    const [note] = await ctx.db
      .insert(messages)
      .values({ caseId: other.caseId, kind: 'note', channel: 'web', body: 'intern' })
      .returning({ id: messages.id });
    await ctx.db
      .update(attachments)
      .set({ messageId: note?.id ?? null })
      .where(eq(attachments.id, foreign?.id ?? 0));
    const hidden = await ctx.app.inject({ url: `/verfolgen/${other.trackingToken}/fotos/${foreign?.id}` });
    expect(hidden.statusCode).toBe(404);
    const page = await ctx.app.inject({ url: `/verfolgen/${other.trackingToken}`, headers: html });
    expect(page.body).not.toContain(`/fotos/${foreign?.id}`);

    const bad = await ctx.app.inject({ url: `/verfolgen/${withPhoto.trackingToken}/fotos/abc` });
    expect(bad.statusCode).toBe(404);
  });

  it('speaks the public status words: "in Prüfung", "nicht zuständig" with where it went, staff notes masked', async () => {
    const c = await report('Gehweg abgesackt.', false);
    const step = (from: string, to: string, minutes: number, note?: string) =>
      recordAudit(ctx.db, {
        caseId: c.caseId,
        actor: { userId: null, label: 'Petra Geheim' },
        action: 'status_changed',
        details: { from, to, ...(note ? { note } : {}) },
        at: new Date(Date.now() + minutes * 60_000),
      });
    await step('new', 'in_progress', 1);
    await step('in_progress', 'waiting', 2);
    await step('waiting', 'forwarded', 3, 'Landratsamt, Frau Mustermann weiß Bescheid');
    await ctx.db.update(cases).set({ status: 'forwarded', closedAt: new Date() }).where(eq(cases.id, c.caseId));
    const body = (await ctx.app.inject({ url: `/verfolgen/${c.trackingToken}`, headers: html })).body;
    expect(body).toContain('von „in Bearbeitung“ auf „in Prüfung“');
    expect(body).toContain('von „in Prüfung“ auf „nicht zuständig“: Landratsamt, Frau [Name entfernt] weiß Bescheid');
    expect(body).toContain('<strong>nicht zuständig</strong>');
    expect(body).not.toContain('wartet auf Rückmeldung');
    expect(body).not.toContain('weitergeleitet');
  });
});
