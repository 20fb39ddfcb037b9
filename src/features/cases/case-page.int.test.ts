import { and, asc, eq } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fileCase, postForm, versionOn } from '../../../test/helpers/cases.ts';
import { createTestContext, createUser, describeDb, type TestContext, type TestUser } from '../../../test/helpers/context.ts';
import { seedBasics } from '../../../test/helpers/fixtures.ts';
import { outboxMails } from '../../../test/helpers/outbox.ts';
import { attachments, auditEvents, cases, messages } from '../../infra/schema/index.ts';

describeDb('case page', () => {
  let ctx: TestContext;
  let town: Awaited<ReturnType<typeof seedBasics>>;
  let leit: TestUser;
  let colleague: TestUser;
  let tief: TestUser;

  const page = (number: string, user: TestUser = leit) =>
    ctx.app.inject({ url: `/staff/faelle/${number}`, headers: { cookie: user.cookie, accept: 'text/html' } });
  const post = async (number: string, action: string, fields: Record<string, string>, user: TestUser = leit) => {
    const version = fields.version ?? versionOn((await page(number, user)).body);
    return postForm(ctx, `/staff/faelle/${number}`, `/staff/faelle/${number}/${action}`, user.cookie, { version, ...fields });
  };
  const caseRow = async (id: number) => (await ctx.db.select().from(cases).where(eq(cases.id, id)))[0];
  const actions = async (id: number) =>
    (await ctx.db.select().from(auditEvents).where(eq(auditEvents.caseId, id)).orderBy(asc(auditEvents.id))).map((a) => a.action);

  beforeAll(async () => {
    ctx = await createTestContext();
    town = await seedBasics(ctx.db);
    leit = await createUser(ctx, { teamIds: [town.teams.leitstelle.id], name: 'Lea Leitstelle' });
    colleague = await createUser(ctx, { teamIds: [town.teams.leitstelle.id], name: 'Carl Kollege' });
    tief = await createUser(ctx, { teamIds: [town.teams.tiefbau.id], name: 'Tim Tiefbau' });
  });
  afterAll(() => ctx.close());

  it('shows the case with reporter, location link and routing reason', async () => {
    const c = await fileCase(ctx, {
      description: 'Schlagloch vor dem Rathaus',
      locationText: 'Marktstätte 1',
      lat: 47.665,
      lon: 9.175,
      reporterName: 'Erika Mustermann',
      reporterEmail: 'erika@example.org',
    });
    const res = await page(c.number);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Erika Mustermann');
    expect(res.body).toContain('mailto:erika@example.org');
    expect(res.body).toContain('https://www.openstreetmap.org/?mlat=47.665&amp;mlon=9.175');
    expect(res.body).toContain('Altstadt');
    expect(res.body).toContain('Leitstelle, weil sie diese Art bearbeitet');
    expect(res.body).toContain('Eingangsbestätigung');
  });

  it('changes the status, stamps closed_at, and writes the audit trail; reopening clears it', async () => {
    const c = await fileCase(ctx);
    const res = await post(c.number, 'bearbeiten', {
      status: 'resolved',
      type: 'defect',
      categoryId: '',
      teamId: String(town.teams.leitstelle.id),
      priority: 'high',
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/staff/faelle/${c.number}?ok=gespeichert`);
    const row = await caseRow(c.caseId);
    expect(row?.status).toBe('resolved');
    expect(row?.priority).toBe('high');
    expect(row?.closedAt).toBeInstanceOf(Date);
    expect(row?.version).toBe(2);
    expect(await actions(c.caseId)).toEqual(['created', 'routed', 'priority_changed', 'status_changed']);
    const shown = await ctx.app.inject({ url: res.headers.location as string, headers: { cookie: leit.cookie, accept: 'text/html' } });
    expect(shown.body).toContain('Die Änderungen sind gespeichert.');
    expect(shown.body).toContain('Status geändert</strong>: neu → erledigt');
    expect(shown.body).toContain('Priorität geändert</strong>: normal → hoch');

    await post(c.number, 'bearbeiten', {
      status: 'in_progress',
      type: 'defect',
      categoryId: '',
      teamId: String(town.teams.leitstelle.id),
      priority: 'high',
    });
    expect((await caseRow(c.caseId))?.closedAt).toBeNull();
  });

  it('refuses a status move outside statusTransitions with 400 and changes nothing', async () => {
    const c = await fileCase(ctx);
    await ctx.db.update(cases).set({ status: 'resolved', closedAt: new Date() }).where(eq(cases.id, c.caseId));
    const res = await post(c.number, 'bearbeiten', {
      status: 'rejected',
      type: 'defect',
      categoryId: '',
      teamId: String(town.teams.leitstelle.id),
      priority: 'urgent',
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Von „erledigt“ geht es nicht direkt zu „abgelehnt“.');
    expect(res.body).toContain('href="#edit-status"');
    const row = await caseRow(c.caseId);
    expect(row?.status).toBe('resolved');
    expect(row?.priority).toBe('normal');
    expect(row?.version).toBe(1);
  });

  it('answers a stale version with 409, keeps what was typed, and changes nothing', async () => {
    const c = await fileCase(ctx);
    const stale = versionOn((await page(c.number)).body);
    await post(c.number, 'zuweisen', { assignee: 'ich' }, colleague);
    const res = await post(c.number, 'notiz', { version: stale, body: 'Habe beim Bauhof angerufen.' });
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('Jemand anderes hat dieses Anliegen inzwischen geändert. Bitte laden Sie die Seite neu.');
    expect(res.body).toContain('Habe beim Bauhof angerufen.</textarea>');
    const notes = await ctx.db
      .select()
      .from(messages)
      .where(and(eq(messages.caseId, c.caseId), eq(messages.kind, 'note')));
    expect(notes).toHaveLength(0);
    expect(await actions(c.caseId)).toEqual(['created', 'routed', 'assigned']);

    const staleEdit = await post(c.number, 'bearbeiten', {
      version: stale,
      status: 'in_progress',
      type: 'defect',
      categoryId: '',
      teamId: String(town.teams.leitstelle.id),
      priority: 'normal',
    });
    expect(staleEdit.statusCode).toBe(409);
    expect((await caseRow(c.caseId))?.status).toBe('new');
  });

  it('assigns to oneself and to a colleague of the team, not to someone outside it', async () => {
    const c = await fileCase(ctx);
    expect((await post(c.number, 'zuweisen', { assignee: 'ich' })).statusCode).toBe(303);
    expect((await caseRow(c.caseId))?.assigneeId).toBe(leit.id);
    expect((await post(c.number, 'zuweisen', { assignee: String(colleague.id) })).statusCode).toBe(303);
    expect((await caseRow(c.caseId))?.assigneeId).toBe(colleague.id);
    const outsider = await post(c.number, 'zuweisen', { assignee: String(tief.id) });
    expect(outsider.statusCode).toBe(400);
    expect(outsider.body).toContain('Bitte wählen Sie eine Person aus der Liste.');
    expect((await caseRow(c.caseId))?.assigneeId).toBe(colleague.id);
    const body = (await page(c.number)).body;
    expect(body).toContain('Bearbeitung übernommen</strong>: an Lea Leitstelle');
    expect(body).toContain('Bearbeitung übernommen</strong>: an Carl Kollege');
  });

  it('keeps an internal note internal: kind note, labelled, in the audit trail, not on the tracking page', async () => {
    const c = await fileCase(ctx);
    const res = await post(c.number, 'notiz', { body: 'Anwohner ruft öfter an – freundlich bleiben.' });
    expect(res.statusCode).toBe(303);
    const [note] = await ctx.db
      .select()
      .from(messages)
      .where(and(eq(messages.caseId, c.caseId), eq(messages.body, 'Anwohner ruft öfter an – freundlich bleiben.')));
    expect(note?.kind).toBe('note');
    expect(note?.authorUserId).toBe(leit.id);
    const body = (await page(c.number)).body;
    expect(body).toContain('<li class="note"><p class="kern-body kern-body--small"><strong>Interne Notiz von Lea Leitstelle</strong>');
    expect(await actions(c.caseId)).toContain('note_added');

    const tracking = await ctx.app.inject({ url: `/verfolgen/${c.trackingToken}`, headers: { accept: 'text/html' } });
    expect(tracking.statusCode).toBe(200);
    expect(tracking.body).toContain(c.number);
    expect(tracking.body).not.toContain('Anwohner ruft öfter an');
    expect(tracking.body).not.toContain('Interne Notiz');
  });

  it('validates form input with German messages and keeps the values', async () => {
    const c = await fileCase(ctx);
    const empty = await post(c.number, 'antwort', { body: '   ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Bitte schreiben Sie eine Antwort.');
    expect(empty.body).toContain('href="#reply-body"');
    const long = await post(c.number, 'notiz', { body: 'x'.repeat(5001) });
    expect(long.statusCode).toBe(400);
    expect(long.body).toContain('höchstens 5.000 Zeichen');
    const badEdit = await post(c.number, 'bearbeiten', { status: 'new', type: 'ufo', categoryId: '', teamId: '', priority: 'normal' });
    expect(badEdit.statusCode).toBe(400);
    expect(badEdit.body).toContain('Bitte wählen Sie eine Art aus der Liste.');
    expect((await caseRow(c.caseId))?.version).toBe(1);
  });

  it('rejects a form without CSRF token', async () => {
    const c = await fileCase(ctx);
    const res = await ctx.app.inject({
      method: 'POST',
      url: `/staff/faelle/${c.number}/notiz`,
      headers: { cookie: leit.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'version=1&body=Hallo',
    });
    expect(res.statusCode).toBe(403);
    expect(await actions(c.caseId)).not.toContain('note_added');
  });

  it('moves a case to another team; the former team then reads it only and cannot post to it', async () => {
    const c = await fileCase(ctx);
    await post(c.number, 'zuweisen', { assignee: 'ich' });
    const res = await post(c.number, 'bearbeiten', {
      status: 'new',
      type: 'defect',
      categoryId: '',
      teamId: String(town.teams.tiefbau.id),
      priority: 'normal',
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/staff?ok=verschoben&fall=${c.number}`);
    const row = await caseRow(c.caseId);
    expect(row?.teamId).toBe(town.teams.tiefbau.id);
    expect(row?.assigneeId).toBeNull();
    expect((await page(c.number)).body).toContain('nur lesen');
    expect((await page(c.number, tief)).body).toContain('Team geändert</strong>: Leitstelle → Tiefbauamt');
    const sneaky = await postForm(ctx, '/staff', `/staff/faelle/${c.number}/notiz`, leit.cookie, { version: '4', body: 'hallo' });
    expect(sneaky.statusCode).toBe(403);
  });

  it('records a reply on a phone case without e-mail and tells the clerk to call back', async () => {
    const c = await fileCase(ctx, { channel: 'phone', externalId: null });
    const res = await post(c.number, 'antwort', { body: 'Wir kümmern uns bis Freitag darum.' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/staff/faelle/${c.number}?ok=antwort-offen`);
    const [reply] = await ctx.db
      .select()
      .from(messages)
      .where(and(eq(messages.caseId, c.caseId), eq(messages.kind, 'reply')));
    expect(reply?.body).toBe('Wir kümmern uns bis Freitag darum.');
    expect(await outboxMails(ctx.db, { caseId: c.caseId })).toHaveLength(0);
    const shown = await ctx.app.inject({ url: res.headers.location as string, headers: { cookie: leit.cookie, accept: 'text/html' } });
    expect(shown.body).toContain('Bitte rufen Sie zurück');
    // Not deliverable by machine, but the citizen still reads it on their tracking page.
    const tracking = await ctx.app.inject({ url: `/verfolgen/${c.trackingToken}`, headers: { accept: 'text/html' } });
    expect(tracking.body).toContain('Wir kümmern uns bis Freitag darum.');
  });

  it('records a reply that cannot be sent (a Mastodon case without the citizen’s account) instead of losing it', async () => {
    const [row] = await ctx.db
      .insert(cases)
      .values({
        number: '2026-99001',
        trackingToken: 'mastodon-token-0123456789abcdef',
        channel: 'mastodon',
        type: 'question',
        teamId: town.teams.leitstelle.id,
        description: 'Wann ist Sperrmüll?',
      })
      .returning();
    const res = await post('2026-99001', 'antwort', { body: 'Nächsten Dienstag.' });
    expect(res.headers.location).toBe('/staff/faelle/2026-99001?ok=antwort-offen');
    const [reply] = await ctx.db
      .select()
      .from(messages)
      .where(and(eq(messages.caseId, row?.id ?? 0), eq(messages.kind, 'reply')));
    expect(reply?.body).toBe('Nächsten Dienstag.');
    const shown = await page('2026-99001');
    expect(shown.body).toContain('Kein Mastodon-Konto bekannt: Bitte antworten Sie von Hand.');
  });

  it('replies and resolves in one step', async () => {
    const c = await fileCase(ctx, { reporterEmail: 'max@example.org' });
    const res = await post(c.number, 'antwort', { body: 'Ist repariert, danke!', resolve: 'yes' });
    expect(res.headers.location).toBe(`/staff/faelle/${c.number}?ok=antwort-erledigt`);
    const row = await caseRow(c.caseId);
    expect(row?.status).toBe('resolved');
    expect(row?.closedAt).toBeInstanceOf(Date);
    expect(await actions(c.caseId)).toEqual(['created', 'routed', 'replied', 'status_changed']);
    const mails = await outboxMails(ctx.db, { caseId: c.caseId });
    expect(mails).toHaveLength(2);
    expect(mails[1]?.text).toContain('Ist repariert, danke!');
  });

  it('serves photos and thumbnails only to those who may see the case', async () => {
    const c = await fileCase(ctx);
    const jpeg = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#c00' } })
      .jpeg()
      .toBuffer();
    const storageKey = await ctx.storage.put(jpeg, 'jpg');
    const thumbKey = await ctx.storage.put(jpeg, 'jpg');
    const [att] = await ctx.db
      .insert(attachments)
      .values({ caseId: c.caseId, storageKey, thumbKey, mimeType: 'image/jpeg', width: 8, height: 8, bytes: jpeg.length })
      .returning();
    const url = `/staff/faelle/${c.number}/fotos/${att?.id}`;
    expect((await page(c.number)).body).toContain(`src="${url}/vorschau"`);
    const full = await ctx.app.inject({ url, headers: { cookie: leit.cookie } });
    expect(full.statusCode).toBe(200);
    expect(full.headers['content-type']).toBe('image/jpeg');
    expect(full.rawPayload.equals(jpeg)).toBe(true);
    expect((await ctx.app.inject({ url: `${url}/vorschau`, headers: { cookie: leit.cookie } })).statusCode).toBe(200);
    expect((await ctx.app.inject({ url, headers: { cookie: tief.cookie } })).statusCode).toBe(404);
    expect((await ctx.app.inject({ url: `/staff/faelle/${c.number}/fotos/999999`, headers: { cookie: leit.cookie } })).statusCode).toBe(
      404,
    );
  });
});
