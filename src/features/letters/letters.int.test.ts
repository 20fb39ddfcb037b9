import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fileCase } from '../../../test/helpers/cases.ts';
import { createTestContext, createUser, describeDb, type TestContext, type TestUser } from '../../../test/helpers/context.ts';
import { seedBasics } from '../../../test/helpers/fixtures.ts';
import { cases, contacts, messages } from '../../infra/schema/index.ts';

const html = { accept: 'text/html' };

/**
 * The contacts are written here directly: the letter routes read what the pipeline stores for
 * "Antwort per Brief" (a postal contact as the case's contact, or linked to the same person).
 */
describeDb('letters of case replies', () => {
  let ctx: TestContext;
  let clerk: TestUser;
  let outsider: TestUser;
  let postalCase: { number: string; caseId: number; replyId: number; inboundId: number };
  let linkedCase: { number: string; replyId: number };
  let plainCase: { number: string; replyId: number };

  async function caseWithReply(contactId: number | null, body = 'die Laterne leuchtet wieder.') {
    const kase = await fileCase(ctx, {
      channel: 'phone',
      reporterName: 'Jürgen Müßig',
      description: 'Laterne in der Hafenstraße ist aus.',
    });
    await ctx.db.update(cases).set({ contactId }).where(eq(cases.id, kase.caseId));
    const [reply] = await ctx.db
      .insert(messages)
      .values({ caseId: kase.caseId, kind: 'reply', channel: 'phone', authorUserId: clerk.id, body })
      .returning({ id: messages.id });
    const [inbound] = await ctx.db.select({ id: messages.id }).from(messages).where(eq(messages.caseId, kase.caseId)).limit(1);
    return { number: kase.number, caseId: kase.caseId, replyId: reply?.id ?? 0, inboundId: inbound?.id ?? 0 };
  }

  beforeAll(async () => {
    ctx = await createTestContext({ env: { LETTERHEAD_ADDRESS: 'Stadt Musterstadt\\nTiefbauamt\\nMarktstätte 1\\n78462 Musterstadt' } });
    const town = await seedBasics(ctx.db);
    clerk = await createUser(ctx, { name: 'Lea Leitstelle', teamIds: [town.teams.leitstelle.id] });
    outsider = await createUser(ctx, { name: 'Tim Tiefbau', teamIds: [town.teams.tiefbau.id] });
    const [postal] = await ctx.db
      .insert(contacts)
      .values({ kind: 'postal', address: 'Hafenstraße 3\n78462 Musterstadt', displayName: 'Jürgen Müßig' })
      .returning();
    const [phone] = await ctx.db
      .insert(contacts)
      .values({ kind: 'phone', address: '+4975319001', displayName: 'Erika Muster' })
      .returning();
    await ctx.db
      .insert(contacts)
      .values({ kind: 'postal', address: 'Seeweg 9\n78462 Musterstadt', displayName: 'Erika Muster', personId: phone?.id ?? null });
    const [lonely] = await ctx.db
      .insert(contacts)
      .values({ kind: 'phone', address: '+4975319002', displayName: 'Ohne Anschrift' })
      .returning();
    postalCase = await caseWithReply(postal?.id ?? null);
    linkedCase = await caseWithReply(phone?.id ?? null);
    plainCase = await caseWithReply(lonely?.id ?? null);
    // The default routing gives untyped phone cases to the Leitstelle; make them visible to the clerk only.
    await ctx.db.update(cases).set({ teamId: town.teams.leitstelle.id });
  });
  afterAll(() => ctx.close());

  const get = (url: string, user: TestUser | null = clerk) => ctx.app.inject({ url, headers: { ...html, cookie: user?.cookie ?? '' } });

  it('shows the print view of a reply with the case’s postal address, DIN 5008 positions and the letterhead from the settings', async () => {
    const res = await get(`/anliegen/${postalCase.number}/brief/${postalCase.replyId}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain('Jürgen Müßig</span><span><br/>Hafenstraße 3</span><span><br/>78462 Musterstadt');
    expect(res.body).toContain('Stadt Musterstadt · Tiefbauamt · Marktstätte 1 · 78462 Musterstadt');
    expect(res.body).toContain(`<dd>${postalCase.number}</dd>`);
    expect(res.body).toContain('<dt>Ansprechpartner</dt><dd>Lea Leitstelle</dd>');
    expect(res.body).toContain(`<h1 class="subject">Ihr Anliegen ${postalCase.number}</h1>`);
    expect(res.body).toContain('top: 45mm; left: 20mm; width: 85mm; height: 45mm');
    expect(res.body).toContain(`href="/anliegen/${postalCase.number}/brief/${postalCase.replyId}.pdf"`);
  });

  it('sends the same letter as a PDF download with a safe file name', async () => {
    const res = await get(`/anliegen/${postalCase.number}/brief/${postalCase.replyId}.pdf`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="Brief-${postalCase.number}-${postalCase.replyId}.pdf"`);
    expect(res.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('finds the postal address linked to the same person when the case contact is a phone number', async () => {
    const res = await get(`/anliegen/${linkedCase.number}/brief/${linkedCase.replyId}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Erika Muster</span><span><br/>Seeweg 9');
  });

  it('answers 404 in German without a postal address, for a message that is not a reply of that case, and for other teams', async () => {
    const noAddress = await get(`/anliegen/${plainCase.number}/brief/${plainCase.replyId}`);
    expect(noAddress.statusCode).toBe(404);
    expect(noAddress.body).toContain('keine Postanschrift gespeichert');
    const pdfNoAddress = await get(`/anliegen/${plainCase.number}/brief/${plainCase.replyId}.pdf`);
    expect(pdfNoAddress.statusCode).toBe(404);
    for (const url of [
      `/anliegen/${postalCase.number}/brief/${postalCase.inboundId}`,
      `/anliegen/${postalCase.number}/brief/${linkedCase.replyId}`,
      `/anliegen/${postalCase.number}/brief/abc`,
      `/anliegen/${postalCase.number}/brief/${postalCase.replyId}.exe`,
    ]) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.body).toContain('Die Nachricht ist keine Antwort zu diesem Anliegen.');
    }
    const foreign = await get(`/anliegen/${postalCase.number}/brief/${postalCase.replyId}`, outsider);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.body).not.toContain('Hafenstraße 3');
    const unknownCase = await get(`/anliegen/2099-99999/brief/${postalCase.replyId}`);
    expect(unknownCase.statusCode).toBe(404);
  });

  it('is for staff only', async () => {
    const res = await get(`/anliegen/${postalCase.number}/brief/${postalCase.replyId}`, null);
    expect(res.statusCode).toBe(303);
    expect(String(res.headers.location)).toMatch(/^\/anmelden\?weiter=/);
    const pdf = await ctx.app.inject({ url: `/anliegen/${postalCase.number}/brief/${postalCase.replyId}.pdf` });
    expect(pdf.statusCode).toBe(401);
  });
});
