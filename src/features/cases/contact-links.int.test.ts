import { asc, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fileCase, postForm } from '../../../test/helpers/cases.ts';
import { createTestContext, createUser, describeDb, type TestContext, type TestUser } from '../../../test/helpers/context.ts';
import { seedBasics } from '../../../test/helpers/fixtures.ts';
import { auditEvents, caseReporters, cases, contacts } from '../../infra/schema/index.ts';
import { upsertContact } from './contacts.ts';

describeDb('linking contacts as one person on the case page', () => {
  let ctx: TestContext;
  let town: Awaited<ReturnType<typeof seedBasics>>;
  let leit: TestUser;
  let tief: TestUser;
  let n = 0;

  beforeAll(async () => {
    ctx = await createTestContext();
    town = await seedBasics(ctx.db);
    leit = await createUser(ctx, { teamIds: [town.teams.leitstelle.id], name: 'Lea Leitstelle' });
    tief = await createUser(ctx, { teamIds: [town.teams.tiefbau.id], name: 'Tim Tiefbau' });
  });
  afterAll(() => ctx.close());

  const page = (url: string, user: TestUser = leit) => ctx.app.inject({ url, headers: { cookie: user.cookie, accept: 'text/html' } });
  const post = (number: string, action: string, fields: Record<string, string>, user: TestUser = leit) =>
    postForm(ctx, `/staff/faelle/${number}`, `/staff/faelle/${number}/${action}`, user.cookie, fields);
  /** A case by mail from its own address (the Leitstelle sees it: questions go there). */
  const mailCase = async (name: string) => {
    n++;
    const email = `${name.toLowerCase().replace(/\W/g, '.')}.${n}@example.org`;
    const c = await fileCase(ctx, { type: 'question', reporterName: name, reporterEmail: email });
    const [row] = await ctx.db.select({ contactId: cases.contactId }).from(cases).where(eq(cases.id, c.caseId));
    return { ...c, email, contactId: row?.contactId ?? 0 };
  };
  const phoneCase = async (name: string, phone: string) => {
    const c = await fileCase(ctx, { type: 'question', channel: 'phone', contact: { kind: 'phone', address: phone, displayName: name } });
    const [row] = await ctx.db.select({ contactId: cases.contactId }).from(cases).where(eq(cases.id, c.caseId));
    return { ...c, contactId: row?.contactId ?? 0 };
  };
  const persons = async (ids: number[]) =>
    Object.fromEntries(
      (await ctx.db.select({ id: contacts.id, personId: contacts.personId }).from(contacts).where(inArray(contacts.id, ids))).map((r) => [
        r.id,
        r.personId,
      ]),
    );
  const trail = (caseId: number) => ctx.db.select().from(auditEvents).where(eq(auditEvents.caseId, caseId)).orderBy(asc(auditEvents.id));

  it('finds contacts by exact address of any kind or by name prefix, with kind, address, name and case count', async () => {
    const here = await mailCase('Hanna Hier');
    const phone = await phoneCase('Hanna Hier', '0751 123-4501');
    const mail = await mailCase('Hannelore Zweite');
    await fileCase(ctx, { type: 'question', reporterEmail: mail.email });
    const url = (q: string) => `/staff/faelle/${here.number}?kontakt=${encodeURIComponent(q)}`;

    const byPhone = await page(url('+49 751 1234501'));
    expect(byPhone.statusCode).toBe(200);
    expect(byPhone.body).toContain('Telefon: <span class="message-body">+497511234501</span> · Hanna Hier · 1 Anliegen');
    expect(byPhone.body).toContain(`name="other" value="${phone.contactId}"`);

    const byMail = await page(url(mail.email.toUpperCase()));
    expect(byMail.body).toContain(`E-Mail: <span class="message-body">${mail.email}</span> · Hannelore Zweite · 2 Anliegen`);

    const byName = await page(url('hann'));
    expect(byName.body).toContain(`name="other" value="${phone.contactId}"`);
    expect(byName.body).toContain(`name="other" value="${mail.contactId}"`);
    // The case's own contact is not offered to itself.
    expect(byName.body).not.toContain(`name="other" value="${here.contactId}"`);

    const short = await page(url('h'));
    expect(short.statusCode).toBe(200);
    expect(short.body).toContain('Bitte geben Sie mindestens 2 Zeichen ein');
    const none = await page(url('Niemand So Heißt'));
    expect(none.body).toContain('Kein anderer Kontakt passt zu „Niemand So Heißt“.');
  });

  it('shows at most ten hits', async () => {
    const here = await mailCase('Suche Hier');
    for (let i = 0; i < 12; i++)
      await upsertContact(ctx.db, { kind: 'email', address: `viele${i}@example.org`, displayName: `Vielname ${i}` });
    const res = await page(`/staff/faelle/${here.number}?kontakt=vielname`);
    expect(res.body.match(/name="other" value=/g)).toHaveLength(10);
  });

  it('links a contact as the same person: audit entry with ids only, and "weitere Anliegen" grows', async () => {
    const here = await mailCase('Paula Person');
    const other = await phoneCase('Paula Person', '07531 9988');
    const before = (await page(`/staff/faelle/${here.number}`)).body;
    expect(before).not.toContain('Weitere Anliegen dieser Person');

    const res = await post(here.number, 'kontakt-verknuepfen', { other: String(other.contactId) });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/staff/faelle/${here.number}?ok=kontakt-verknuepft#contact-title`);
    const low = Math.min(here.contactId, other.contactId);
    const high = Math.max(here.contactId, other.contactId);
    expect(await persons([low, high])).toEqual({ [low]: null, [high]: low });

    const entry = (await trail(here.caseId)).at(-1);
    expect(entry).toMatchObject({ action: 'contact_linked', actorUserId: leit.id, actorLabel: 'Lea Leitstelle' });
    expect(entry?.details).toEqual({ contactId: here.contactId, otherId: other.contactId, personId: low, moved: 1 });
    expect(JSON.stringify(entry?.details)).not.toMatch(/@|9988/);

    const after = (await page(String(res.headers.location))).body;
    expect(after).toContain('Die Kontakte sind jetzt als dieselbe Person verknüpft.');
    expect(after).toContain('Weitere Kontakte dieser Person');
    expect(after).toContain('+4975319988');
    expect(after).toContain('Weitere Anliegen dieser Person');
    expect(after).toContain(`href="/staff/faelle/${other.number}"`);
    expect(after).toContain(`Kontakt Nr. ${other.contactId} gehört jetzt zur selben Person`);
    // And from the other side too.
    expect((await page(`/staff/faelle/${other.number}`)).body).toContain(`href="/staff/faelle/${here.number}"`);
  });

  it('joins two persons: every contact of the other group moves to the lowest id', async () => {
    const a = await mailCase('Anton Alt');
    const b = await phoneCase('Anton Alt', '0751 5550001');
    const c = await mailCase('Anton Neu');
    const d = await phoneCase('Anton Neu', '0751 5550002');
    expect((await post(a.number, 'kontakt-verknuepfen', { other: String(b.contactId) })).statusCode).toBe(303);
    expect((await post(d.number, 'kontakt-verknuepfen', { other: String(c.contactId) })).statusCode).toBe(303);
    const ids = [a.contactId, b.contactId, c.contactId, d.contactId];
    const low = Math.min(...ids);
    expect((await post(d.number, 'kontakt-verknuepfen', { other: String(b.contactId) })).statusCode).toBe(303);
    const after = await persons(ids);
    for (const id of ids) expect(after[id]).toBe(id === low ? null : low);
    expect((await trail(d.caseId)).at(-1)?.details).toMatchObject({ personId: low, moved: 2 });

    const shown = (await page(`/staff/faelle/${d.number}`)).body;
    for (const other of [a, b, c]) expect(shown).toContain(`href="/staff/faelle/${other.number}"`);
  });

  it('an already linked contact is a friendly no-op; itself and unknown contacts are refused with a German message', async () => {
    const here = await mailCase('Nora Noop');
    const other = await phoneCase('Nora Noop', '0751 5550003');
    await post(here.number, 'kontakt-verknuepfen', { other: String(other.contactId) });
    const entries = (await trail(here.caseId)).length;

    const again = await post(here.number, 'kontakt-verknuepfen', { other: String(other.contactId) });
    expect(again.statusCode).toBe(303);
    expect(again.headers.location).toBe(`/staff/faelle/${here.number}?ok=kontakt-schon-verknuepft#contact-title`);
    expect((await page(String(again.headers.location))).body).toContain('Diese Kontakte gehören schon zu derselben Person.');
    expect(await trail(here.caseId)).toHaveLength(entries);

    const self = await post(here.number, 'kontakt-verknuepfen', { other: String(here.contactId) });
    expect(self.statusCode).toBe(400);
    expect(self.body).toContain('Das ist der Kontakt dieses Anliegens selbst.');
    const unknown = await post(here.number, 'kontakt-verknuepfen', { other: '999999' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toContain('Diesen Kontakt gibt es nicht (mehr).');
    const garbage = await post(here.number, 'kontakt-verknuepfen', { other: 'abc' });
    expect(garbage.statusCode).toBe(400);
    expect(garbage.body).toContain('Bitte wählen Sie einen Kontakt aus der Trefferliste.');
    expect(await trail(here.caseId)).toHaveLength(entries);
  });

  it('needs the right to the case and a CSRF token', async () => {
    const here = await mailCase('Geheim Gerda');
    const other = await phoneCase('Geheim Gerda', '0751 5550004');
    // The Tiefbauamt does not see a Leitstelle case: the same 404 as a missing one, nothing linked.
    const hidden = await postForm(ctx, '/staff', `/staff/faelle/${here.number}/kontakt-verknuepfen`, tief.cookie, {
      other: String(other.contactId),
    });
    expect(hidden.statusCode).toBe(404);
    const noCsrf = await ctx.app.inject({
      method: 'POST',
      url: `/staff/faelle/${here.number}/kontakt-verknuepfen`,
      headers: { cookie: leit.cookie, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      payload: `other=${other.contactId}`,
    });
    expect(noCsrf.statusCode).toBe(403);
    const signedOut = await ctx.app.inject({
      method: 'POST',
      url: `/staff/faelle/${here.number}/kontakt-loesen`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      payload: `contact=${other.contactId}`,
    });
    expect([302, 303, 401, 403]).toContain(signedOut.statusCode);
    expect(await persons([here.contactId, other.contactId])).toEqual({ [here.contactId]: null, [other.contactId]: null });
    expect((await trail(here.caseId)).map((e) => e.action)).not.toContain('contact_linked');
  });

  it('"Verknüpfung lösen": the contact stands alone, the rest stay one person under their lowest id', async () => {
    const a = await mailCase('Ulla Unlink');
    const b = await phoneCase('Ulla Unlink', '0751 5550005');
    const c = await phoneCase('Ulla Unlink', '0751 5550006');
    await post(a.number, 'kontakt-verknuepfen', { other: String(b.contactId) });
    await post(a.number, 'kontakt-verknuepfen', { other: String(c.contactId) });
    const shown = (await page(`/staff/faelle/${c.number}`)).body;
    expect(shown).toContain(`name="contact" value="${a.contactId}"`);

    // From c's page, unlink a (the contact standing for the person): b now stands for b and c.
    const res = await post(c.number, 'kontakt-loesen', { contact: String(a.contactId) });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/staff/faelle/${c.number}?ok=kontakt-geloest#contact-title`);
    expect(await persons([a.contactId, b.contactId, c.contactId])).toEqual({
      [a.contactId]: null,
      [b.contactId]: null,
      [c.contactId]: b.contactId,
    });
    const entry = (await trail(c.caseId)).at(-1);
    expect(entry).toMatchObject({ action: 'contact_unlinked' });
    expect(entry?.details).toEqual({ contactId: a.contactId, personId: a.contactId, restPersonId: b.contactId });
    const after = (await page(String(res.headers.location))).body;
    expect(after).toContain('Die Verknüpfung ist gelöst');
    expect(after).not.toContain(`href="/staff/faelle/${a.number}"`);
    expect(after).toContain(`href="/staff/faelle/${b.number}"`);

    // A contact of another person cannot be unlinked from here.
    const foreign = await post(c.number, 'kontakt-loesen', { contact: String(a.contactId) });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.body).toContain('gehört nicht zur Person dieses Anliegens');
  });

  it('"weitere Anliegen dieser Person" also lists the cases one of its contacts follows', async () => {
    const here = await mailCase('Fritz Folger');
    const followed = await fileCase(ctx, { type: 'question', reporterEmail: 'jemand.anderes@example.org' });
    await ctx.db.insert(caseReporters).values({
      caseId: followed.caseId,
      kind: 'follower',
      name: 'Fritz Folger',
      email: here.email,
      contactId: here.contactId,
      trackingToken: `folgt-${followed.trackingToken}`,
    });
    const shown = (await page(`/staff/faelle/${here.number}`)).body;
    expect(shown).toMatch(
      new RegExp(`href="/staff/faelle/${followed.number}">${followed.number}</a> · [^<]+<time[^>]*>[^<]+</time> · folgt`),
    );
  });
});
