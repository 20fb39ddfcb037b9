import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fileCase, postForm } from '../../../../test/helpers/cases.ts';
import { createTestContext, createUser, describeDb, type TestContext, type TestUser } from '../../../../test/helpers/context.ts';
import { seedBasics } from '../../../../test/helpers/fixtures.ts';
import { fixedClock } from '../../../infra/clock.ts';
import {
  attachments,
  casePublications,
  caseReporters,
  cases,
  categories,
  publicCases,
  publicCaseUpdates,
} from '../../../infra/schema/index.ts';
import { invalidateReferenceData } from '../../cases/reference-data.ts';
import { publicCaseByNumber, publicUpdatesOf } from '../projection/read.ts';
import { publicationJobs } from './jobs.ts';

describeDb('Publication of cases (Veröffentlichung)', () => {
  const clock = fixedClock(new Date('2026-03-02T09:00:00Z'));
  let ctx: TestContext;
  let town: Awaited<ReturnType<typeof seedBasics>>;
  let clerk: TestUser;
  let admin: TestUser;

  const versionOf = async (caseId: number) =>
    String((await ctx.db.select({ v: cases.version }).from(cases).where(eq(cases.id, caseId)))[0]?.v);
  const panel = async (c: { caseId: number; number: string }, path: string, fields: Record<string, string> = {}, user = clerk) =>
    postForm(ctx, `/staff/faelle/${c.number}`, `/staff/faelle/${c.number}/${path}`, user.cookie, {
      version: await versionOf(c.caseId),
      ...fields,
    });
  const page = (number: string) =>
    ctx.app.inject({ method: 'GET', url: `/staff/faelle/${number}`, headers: { cookie: clerk.cookie, accept: 'text/html' } });
  const shown = (caseId: number) => ctx.db.select().from(publicCases).where(eq(publicCases.caseId, caseId));
  const setPolicy = async (categoryId: number, publication: string, delay = '30') => {
    const res = await postForm(ctx, '/admin/kategorien', `/admin/kategorien/${categoryId}`, admin.cookie, {
      publication,
      publishDelayMinutes: delay,
    });
    expect(res.statusCode).toBe(303);
  };
  const sweep = async () => {
    const [, job] = publicationJobs({ db: ctx.db, clock, log: ctx.log });
    await job.handler({});
  };

  beforeAll(async () => {
    ctx = await createTestContext({ clock });
    town = await seedBasics(ctx.db);
    clerk = await createUser(ctx, { teamIds: [town.teams.tiefbau.id, town.teams.leitstelle.id], name: 'Klara Sachbearbeiterin' });
    admin = await createUser(ctx, { role: 'admin', name: 'Anton Admin' });
  });
  afterAll(() => ctx.close());

  it('moderated: nothing is public until staff press "Veröffentlichen"; the reporter name is masked', async () => {
    const c = await fileCase(ctx, {
      categoryId: town.categories.streetLight.id,
      reporterName: 'Erika Mustermann',
      description: 'Die Laterne vor dem Haus von Erika Mustermann ist seit Tagen dunkel.',
    });
    const before = await page(c.number);
    expect(before.body).toContain('Veröffentlichung');
    expect(before.body).toContain('wartet auf Ihre Entscheidung');
    expect(before.body).toContain('vor dem Haus von [Name entfernt] ist');
    expect(await shown(c.caseId)).toHaveLength(0);

    const res = await panel(c, 'oeffentlich-veroeffentlichen');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/staff/faelle/${c.number}?ok=veroeffentlicht`);
    const row = await publicCaseByNumber(ctx.db, c.number);
    expect(row?.text).toBe('Die Laterne vor dem Haus von [Name entfernt] ist seit Tagen dunkel.');
    expect(row?.status).toBe('new');
    expect(row?.categoryName).toBe('Straßenbeleuchtung');
    expect(row?.teamName).toBe('Tiefbauamt');
    expect((await publicUpdatesOf(ctx.db, c.caseId)).map((u) => u.status)).toEqual(['new']);
    const after = await ctx.app.inject({ method: 'GET', url: String(res.headers.location), headers: { cookie: clerk.cookie } });
    expect(after.body).toContain('Das Anliegen ist jetzt öffentlich.');
  });

  it('auto: published by the sweep once the delay ran out (test clock), with its job queued for that instant', async () => {
    await setPolicy(town.categories.litter.id, 'auto', '30');
    clock.set(new Date('2026-03-02T10:00:00Z'));
    const c = await fileCase(ctx, { categoryId: town.categories.litter.id, description: 'Sperrmüll am Radweg.' });
    const pending = (await ctx.db.select().from(casePublications).where(eq(casePublications.caseId, c.caseId)))[0];
    expect(pending?.state).toBe('pending');
    expect(pending?.publishAfter?.toISOString()).toBe('2026-03-02T10:30:00.000Z');
    const jobs = await ctx.db.execute<{ start_after: string }>(
      sql`select start_after::text from pgboss.job where name = 'publication.publish' and (data->>'caseId')::int = ${c.caseId}`,
    );
    const rows = (jobs as unknown as { rows: { start_after: string }[] }).rows;
    expect(rows.map((r) => new Date(r.start_after).toISOString())).toEqual(['2026-03-02T10:30:00.000Z']);
    expect((await page(c.number)).body).toContain('automatisch veröffentlicht, wenn niemand es vorher anhält');

    clock.set(new Date('2026-03-02T10:29:00Z'));
    await sweep();
    expect(await shown(c.caseId)).toHaveLength(0);
    clock.set(new Date('2026-03-02T10:31:00Z'));
    await sweep();
    expect((await shown(c.caseId))[0]?.text).toBe('Sperrmüll am Radweg.');

    // Stopped in time: "Nicht veröffentlichen" wins over the delay.
    clock.set(new Date('2026-03-02T11:00:00Z'));
    const stopped = await fileCase(ctx, { categoryId: town.categories.litter.id, description: 'Noch mehr Müll.' });
    expect((await panel(stopped, 'oeffentlich-anhalten', { reason: '' })).statusCode).toBe(400);
    expect((await panel(stopped, 'oeffentlich-anhalten', { reason: 'Privatgrundstück' })).statusCode).toBe(303);
    clock.set(new Date('2026-03-02T12:00:00Z'));
    await sweep();
    expect(await shown(stopped.caseId)).toHaveLength(0);
    await setPolicy(town.categories.litter.id, 'moderated');
  });

  it('never: staff cannot publish, the panel says why, and moving a published case there takes it down', async () => {
    const [complaints] = await ctx.db
      .insert(categories)
      .values({ slug: 'beschwerde', name: 'Beschwerde über Personal', groupName: 'Sonstiges', publication: 'never' })
      .returning();
    if (!complaints) throw new Error('no category');
    invalidateReferenceData(ctx.db);
    const c = await fileCase(ctx, { categoryId: complaints.id, description: 'Unfreundlich am Schalter.' });
    const html = (await page(c.number)).body;
    expect(html).toContain('werden nie veröffentlicht');
    expect(html).not.toContain('>Veröffentlichen<');
    const refused = await panel(c, 'oeffentlich-veroeffentlichen');
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('werden nie veröffentlicht');
    expect(await shown(c.caseId)).toHaveLength(0);

    const moved = await fileCase(ctx, { categoryId: town.categories.streetLight.id, description: 'Lampe flackert.' });
    await panel(moved, 'oeffentlich-veroeffentlichen');
    expect(await shown(moved.caseId)).toHaveLength(1);
    const res = await panel(moved, 'bearbeiten', {
      status: 'new',
      type: 'defect',
      categoryId: String(complaints.id),
      teamId: String(town.teams.tiefbau.id),
      priority: 'normal',
    });
    expect(res.statusCode).toBe(303);
    expect(await shown(moved.caseId)).toHaveLength(0);
    expect((await ctx.db.select().from(casePublications).where(eq(casePublications.caseId, moved.caseId)))[0]?.state).toBe('withdrawn');
  });

  it('withdraw: the row and its public history go at once', async () => {
    const c = await fileCase(ctx, { categoryId: town.categories.streetLight.id, description: 'Mast umgefahren.' });
    await panel(c, 'oeffentlich-veroeffentlichen');
    expect(await publicCaseByNumber(ctx.db, c.number)).not.toBeNull();
    expect((await panel(c, 'oeffentlich-zurueckziehen', { reason: '' })).statusCode).toBe(400);
    const res = await panel(c, 'oeffentlich-zurueckziehen', { reason: 'Foto zeigt ein Gesicht' });
    expect(res.headers.location).toBe(`/staff/faelle/${c.number}?ok=zurueckgezogen`);
    expect(await publicCaseByNumber(ctx.db, c.number)).toBeNull();
    expect(await ctx.db.select().from(publicCaseUpdates).where(eq(publicCaseUpdates.caseId, c.caseId))).toHaveLength(0);
    expect((await page(c.number)).body).toContain('Zurückgezogen');
  });

  it('unmask and re-mask a found span; mask words by hand; an edited text is masked too and keeps those decisions', async () => {
    const c = await fileCase(ctx, {
      categoryId: town.categories.streetLight.id,
      reporterName: 'Jonas Beispiel',
      description: 'Laterne dunkel, Infos unter www.stadtwerke-musterstadt.example. Nachbar Krause weiß mehr. Gruß Jonas Beispiel',
    });
    await panel(c, 'oeffentlich-veroeffentlichen');
    const text = async () => (await publicCaseByNumber(ctx.db, c.number))?.text;
    expect(await text()).toBe('Laterne dunkel, Infos unter [Link entfernt]. Nachbar Krause weiß mehr. Gruß [Name entfernt]');

    expect((await panel(c, 'oeffentlich-aufdecken', { mask: '0', unmasked: 'yes' })).statusCode).toBe(303);
    expect(await text()).toContain('Infos unter www.stadtwerke-musterstadt.example.');
    expect((await page(c.number)).body).toContain('Wieder schwärzen');
    await panel(c, 'oeffentlich-aufdecken', { mask: '0', unmasked: 'no' });
    expect(await text()).toContain('Infos unter [Link entfernt].');
    expect((await panel(c, 'oeffentlich-aufdecken', { mask: '9', unmasked: 'yes' })).statusCode).toBe(400);

    expect((await panel(c, 'oeffentlich-schwaerzen', { term: 'Krause' })).statusCode).toBe(303);
    expect(await text()).toContain('Nachbar [Name entfernt] weiß mehr');
    const missing = await panel(c, 'oeffentlich-schwaerzen', { term: 'Schmidt' });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('kommen im öffentlichen Text nicht vor');

    const edited = await panel(c, 'oeffentlich-text', { text: 'Laterne dunkel. Herr Krause und Jonas Beispiel haben es gesehen.' });
    expect(edited.statusCode).toBe(303);
    expect(await text()).toBe('Laterne dunkel. Herr [Name entfernt] und [Name entfernt] haben es gesehen.');
    // The report itself stays as the citizen wrote it.
    expect((await ctx.db.select().from(cases).where(eq(cases.id, c.caseId)))[0]?.description).toContain('Nachbar Krause weiß mehr');
  });

  it('photos are public only once released, and not after "nicht freigeben"', async () => {
    const c = await fileCase(ctx, { categoryId: town.categories.streetLight.id, description: 'Laterne schief.' });
    const [photo] = await ctx.db
      .insert(attachments)
      .values({ caseId: c.caseId, kind: 'photo', storageKey: 'x/1.jpg', thumbKey: 'x/1-t.jpg', mimeType: 'image/jpeg', bytes: 10 })
      .returning();
    if (!photo) throw new Error('no photo');
    await panel(c, 'oeffentlich-veroeffentlichen');
    expect((await shown(c.caseId))[0]?.photoIds).toEqual([]);
    expect((await panel(c, 'oeffentlich-foto', { photo: String(photo.id), released: 'yes' })).statusCode).toBe(303);
    expect((await shown(c.caseId))[0]?.photoIds).toEqual([photo.id]);
    await panel(c, 'oeffentlich-foto', { photo: String(photo.id), released: 'no' });
    expect((await shown(c.caseId))[0]?.photoIds).toEqual([]);
    expect((await panel(c, 'oeffentlich-foto', { photo: '999999', released: 'yes' })).statusCode).toBe(404);
  });

  it('status changes, a public note, forwarding and rejection reach the row and its history', async () => {
    const c = await fileCase(ctx, { categoryId: town.categories.streetLight.id, description: 'Laterne aus.' });
    await panel(c, 'oeffentlich-veroeffentlichen');
    const edit = (status: string, statusNote = '') =>
      panel(c, 'bearbeiten', {
        status,
        statusNote,
        type: 'defect',
        categoryId: String(town.categories.streetLight.id),
        teamId: String(town.teams.tiefbau.id),
        priority: 'normal',
      });
    expect((await edit('in_progress')).statusCode).toBe(303);
    expect((await shown(c.caseId))[0]?.status).toBe('in_progress');
    await panel(c, 'oeffentlich-hinweis', { note: 'Ersatzteil ist bestellt, Rückfragen an 0151 2345678.' });
    expect((await shown(c.caseId))[0]?.statusNote).toBe('Ersatzteil ist bestellt, Rückfragen an [Telefon entfernt].');
    await edit('waiting');
    expect((await shown(c.caseId))[0]).toMatchObject({ status: 'reviewing', statusNote: null });
    await edit('in_progress');
    await edit('rejected', 'Die Laterne gehört der Deutschen Bahn, nicht der Stadt.');
    const rejected = (await shown(c.caseId))[0];
    expect(rejected).toMatchObject({ status: 'rejected', statusNote: 'Die Laterne gehört der Deutschen Bahn, nicht der Stadt.' });
    expect(rejected?.closedAt).not.toBeNull();
    const history = await publicUpdatesOf(ctx.db, c.caseId);
    expect(history.map((u) => u.status)).toEqual(['new', 'in_progress', 'in_progress', 'reviewing', 'in_progress', 'rejected']);
    expect(history[2]?.text).toContain('[Telefon entfernt]');

    const f = await fileCase(ctx, { categoryId: town.categories.streetLight.id, description: 'Ampel aus.' });
    await panel(f, 'oeffentlich-veroeffentlichen');
    await panel(f, 'bearbeiten', {
      status: 'forwarded',
      statusNote: 'Landratsamt, Straßenverkehrsbehörde',
      type: 'defect',
      categoryId: String(town.categories.streetLight.id),
      teamId: String(town.teams.tiefbau.id),
      priority: 'normal',
    });
    expect((await shown(f.caseId))[0]).toMatchObject({ status: 'not_responsible', forwardedTo: 'Landratsamt, Straßenverkehrsbehörde' });
  });

  it('a merge makes the duplicate point to the public case it went into, and counts a follower there', async () => {
    const at = { lat: 47.665, lon: 9.175, categoryId: town.categories.streetLight.id };
    const a = await fileCase(ctx, { ...at, description: 'Laterne am Brunnen dunkel.' });
    const b = await fileCase(ctx, { ...at, description: 'Laterne beim Brunnen kaputt.' });
    await panel(a, 'oeffentlich-veroeffentlichen');
    await panel(b, 'oeffentlich-veroeffentlichen');
    const res = await postForm(ctx, `/staff/faelle/${b.number}`, `/staff/faelle/${b.number}/zusammenfuehren`, clerk.cookie, {
      version: await versionOf(b.caseId),
      other: a.number,
      otherVersion: await versionOf(a.caseId),
    });
    expect(res.statusCode).toBe(303);
    expect((await shown(b.caseId))[0]).toMatchObject({ status: 'duplicate', duplicateOfNumber: a.number });
    expect((await shown(a.caseId))[0]?.followerCount).toBe(1);
    expect((await publicUpdatesOf(ctx.db, b.caseId)).map((u) => u.status)).toEqual(['new', 'duplicate']);
  });

  it('privacy: nothing personal reaches public_cases or public_case_updates', async () => {
    const c = await fileCase(ctx, {
      categoryId: town.categories.streetLight.id,
      reporterName: 'Gundula Geheim',
      reporterEmail: 'gundula.geheim@mail.example',
      description:
        'Laterne dunkel. Ich bin Gundula Geheim, erreichbar unter 07531 987654 oder gundula.geheim@mail.example. Meine Nachbarin Frau Hinz auch.',
      locationText: 'vor dem Haus von Gundula Geheim',
    });
    await ctx.db.insert(caseReporters).values({ caseId: c.caseId, kind: 'follower', name: 'Fritz Folger', email: 'fritz@folger.example' });
    expect((await panel(c, 'notiz', { body: 'Intern: Frau Geheim ist Stammkundin.' })).statusCode).toBe(303);
    expect((await panel(c, 'zuweisen', { assignee: 'ich' })).statusCode).toBe(303);
    await panel(c, 'antwort', { body: 'Danke, Frau Geheim! Wir kümmern uns.' });
    await panel(c, 'oeffentlich-schwaerzen', { term: 'Hinz' });
    await panel(c, 'oeffentlich-veroeffentlichen');
    await panel(c, 'oeffentlich-hinweis', { note: 'Wird repariert, Fragen an fritz@folger.example' });
    await panel(c, 'bearbeiten', {
      status: 'in_progress',
      statusNote: 'Gundula Geheim bekommt Bescheid',
      type: 'defect',
      categoryId: String(town.categories.streetLight.id),
      teamId: String(town.teams.tiefbau.id),
      priority: 'normal',
    });
    const rows = JSON.stringify([await shown(c.caseId), await publicUpdatesOf(ctx.db, c.caseId)]);
    expect(rows).toContain('[Name entfernt]');
    expect(JSON.parse(rows)[0][0].followerCount).toBe(1);
    for (const secret of [
      'Gundula',
      'Geheim',
      'gundula',
      '987654',
      'Hinz',
      'Stammkundin',
      'Fritz',
      'Folger',
      'folger',
      'Klara',
      'Sachbearbeiterin',
      'Danke',
    ]) {
      expect(rows, secret).not.toContain(secret);
    }
  });

  it('refuses a stale page (409) and a post without CSRF token (403)', async () => {
    const c = await fileCase(ctx, { categoryId: town.categories.streetLight.id, description: 'Laterne blinkt.' });
    const stale = await postForm(ctx, `/staff/faelle/${c.number}`, `/staff/faelle/${c.number}/oeffentlich-veroeffentlichen`, clerk.cookie, {
      version: '99',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Jemand anderes hat dieses Anliegen inzwischen geändert');
    const noCsrf = await ctx.app.inject({
      method: 'POST',
      url: `/staff/faelle/${c.number}/oeffentlich-veroeffentlichen`,
      headers: { cookie: clerk.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'version=1',
    });
    expect(noCsrf.statusCode).toBe(403);
    expect(await shown(c.caseId)).toHaveLength(0);
  });
});
