import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, createUser, csrfFor, describeDb, type TestContext, type TestUser } from '../../../test/helpers/context.ts';
import { seedBasics } from '../../../test/helpers/fixtures.ts';
import { cases, categories, contacts } from '../../infra/schema/index.ts';

const html = { accept: 'text/html' };

describeDb('capture form /erfassen', () => {
  let ctx: TestContext;
  let town: Awaited<ReturnType<typeof seedBasics>>;
  let clerk: TestUser;
  let oldCategoryId: number;
  beforeAll(async () => {
    ctx = await createTestContext();
    town = await seedBasics(ctx.db);
    clerk = await createUser(ctx, { name: 'Lea Leitstelle', teamIds: [town.teams.leitstelle.id, town.teams.tiefbau.id] });
    const [old] = await ctx.db
      .insert(categories)
      .values({ slug: 'alt', name: 'Abgeschaffte Kategorie', groupName: 'Sauberkeit', active: false })
      .returning();
    oldCategoryId = old?.id ?? 0;
  });
  afterAll(() => ctx.close());

  /** One page load: CSRF token, cookie and nonce belong together, as in a browser. */
  async function openForm(user: TestUser = clerk) {
    const page = await csrfFor(ctx.app, '/erfassen', user.cookie);
    const nonce = /name="nonce" value="([^"]+)"/.exec(page.body)?.[1];
    if (!nonce) throw new Error('no nonce on /erfassen');
    return { ...page, nonce };
  }

  async function post(fields: Record<string, string | string[]>, form?: Awaited<ReturnType<typeof openForm>>) {
    const f = form ?? (await openForm());
    const params = new URLSearchParams({ _csrf: f.token, nonce: f.nonce });
    for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) params.append(k, one);
    return ctx.app.inject({
      method: 'POST',
      url: '/erfassen',
      headers: { ...html, cookie: f.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: params.toString(),
    });
  }

  const call = {
    channel: 'phone',
    description: 'Die Straßenlaterne vor der Hafenstraße 3 flackert seit gestern.',
    reporterName: 'Erika Mustermann',
    reporterPhone: '07531 900-123',
    locationText: 'Hafenstraße 3',
    type: 'defect',
  };
  const caseCount = async () => (await ctx.db.select({ id: cases.id }).from(cases)).length;

  it('is for staff only: a browser without session goes to the login page, a post without session gets 401', async () => {
    const page = await ctx.app.inject({ url: '/erfassen', headers: html });
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe('/anmelden?weiter=%2Ferfassen');
    const anonymous = await csrfFor(ctx.app, '/melden');
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/erfassen',
      headers: { ...html, cookie: anonymous.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: anonymous.token, description: 'x' }).toString(),
    });
    expect(res.statusCode).toBe(401);
  });

  it('shows the keyboard-first form: focus on the text, Telefon chosen, shortcuts listed, map and address field, nav link', async () => {
    const { body } = await openForm();
    expect(body).toMatch(/<textarea[^>]*autofocus[^>]*data-shortcut="t"/);
    expect(body).toMatch(/<input[^>]*type="radio"[^>]*id="channel"[^>]*name="channel"[^>]*value="phone"[^>]*checked/);
    for (const v of ['walk_in', 'letter', 'fax']) expect(body).toContain(`value="${v}"`);
    expect(body).toMatch(/<button type="submit"[^>]*data-shortcut="s"><span class="kern-label">Anliegen speichern/);
    expect(body).toContain('<script type="module" src="/assets/js/form-shortcuts.js">');
    expect(body).toContain('<kbd>Alt</kbd>+<kbd>S</kbd> Anliegen speichern');
    expect(body).toMatch(/<div id="pin"[^>]*data-map-picker/);
    expect(body).toContain('<script type="module" src="/assets/js/map-picker.js">');
    expect(body).toContain('name="locationText"');
    expect(body).toContain('Straßenbeleuchtung');
    expect(body).not.toContain('Abgeschaffte Kategorie');
    expect(body).toContain('Rückruf erwünscht');
    expect(body).toContain('Antwort per Brief');
    expect(body).toContain('href="/datenschutz"');
    expect(body).toContain('<a class="kern-link" href="/erfassen">');
    // The description comes after the channel in the page but gets the focus, so Tab walks on to the caller.
    expect(body.indexOf('name="channel"')).toBeLessThan(body.indexOf('name="description"'));
    expect(body.indexOf('name="description"')).toBeLessThan(body.indexOf('name="reporterName"'));
    expect(body.indexOf('name="reporterName"')).toBeLessThan(body.indexOf('Anliegen speichern</span>'));
  });

  it('saves a call as one phone case with category, type and routing, and shows the case with a notice', async () => {
    const before = await caseCount();
    const res = await post({ ...call, categoryId: String(town.categories.streetLight.id) });
    expect(res.statusCode).toBe(303);
    const location = String(res.headers.location);
    expect(location).toMatch(/^\/staff\/faelle\/\d{4}-\d{5}\?ok=angelegt$/);
    expect(await caseCount()).toBe(before + 1);
    const number = location.split('/')[3]?.split('?')[0] ?? '';
    const [row] = await ctx.db.select().from(cases).where(eq(cases.number, number));
    expect(row).toMatchObject({
      channel: 'phone',
      type: 'defect',
      categoryId: town.categories.streetLight.id,
      teamId: town.teams.tiefbau.id,
      description: call.description,
      locationText: 'Hafenstraße 3',
      reporterName: 'Erika Mustermann',
      reporterEmail: null,
      consentAt: null,
    });
    expect(row?.externalId).toMatch(/^capture:/);
    const page = await ctx.app.inject({ url: location, headers: { ...html, cookie: clerk.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`Anliegen ${number} angelegt`);
    expect(page.body).toContain('Nächsten Anruf erfassen');
    expect(page.body).toContain('href="/erfassen"');
  });

  it('keeps the pin and the channel: a walk-in with a map point and no category goes to the Leitstelle', async () => {
    const res = await post({ channel: 'walk_in', description: 'Bank am Stadtgarten ist beschmiert.', lat: '47.665', lon: '9.175' });
    expect(res.statusCode).toBe(303);
    const number = String(res.headers.location).split('/')[3]?.split('?')[0] ?? '';
    const [row] = await ctx.db.select().from(cases).where(eq(cases.number, number));
    expect(row).toMatchObject({ channel: 'walk_in', lat: 47.665, lon: 9.175, districtId: town.districts.altstadt.id });
  });

  it('makes one case from a double submit of the same form', async () => {
    const form = await openForm();
    const before = await caseCount();
    const first = await post({ ...call, description: 'Doppelt geklickt: Ampel am Bahnhof ist aus.' }, form);
    const second = await post({ ...call, description: 'Doppelt geklickt: Ampel am Bahnhof ist aus.' }, form);
    expect(first.statusCode).toBe(303);
    expect(second.statusCode).toBe(303);
    expect(second.headers.location).toBe(first.headers.location);
    expect(await caseCount()).toBe(before + 1);
  });

  it('saves a case another team handles and says so on a fresh form, because the clerk cannot open it', async () => {
    const outsider = await createUser(ctx, { name: 'Nur Leitstelle', teamIds: [town.teams.leitstelle.id] });
    const form = await openForm(outsider);
    const res = await post({ ...call, categoryId: String(town.categories.streetLight.id) }, form);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/erfassen?erfasst=${encodeURIComponent(form.nonce)}`);
    const page = await ctx.app.inject({ url: String(res.headers.location), headers: { ...html, cookie: form.cookie } });
    expect(page.body).toMatch(/Anliegen \d{4}-\d{5} angelegt/);
    expect(page.body).toContain('Es liegt jetzt beim Team Tiefbauamt.');
    expect(/name="nonce" value="([^"]+)"/.exec(page.body)?.[1]).not.toBe(form.nonce);
    // Another browser cannot read the number through the link.
    const foreign = await ctx.app.inject({ url: String(res.headers.location), headers: { ...html, cookie: outsider.cookie } });
    expect(foreign.body).not.toMatch(/Anliegen \d{4}-\d{5} angelegt/);
  });

  describe('bad input: 400, the German message beside its field, everything typed kept, nothing stored', () => {
    const rejects = async (fields: Record<string, string | string[]>, field: string, message: string) => {
      const before = await caseCount();
      const res = await post(fields);
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('Bitte prüfen Sie Ihre Angaben');
      expect(res.body).toContain(`id="${field}-error"`);
      expect(res.body).toContain(message);
      // A radio group carries its message on the fieldset; every other field is marked invalid itself.
      if (field !== 'channel') {
        expect(res.body).toMatch(new RegExp(`id="${field}"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="${field}"`));
      }
      expect(res.body).toMatch(new RegExp(`aria-describedby="[^"]*${field}-error`));
      expect(await caseCount()).toBe(before);
      return res.body;
    };

    it('empty text', async () => {
      const body = await rejects({ ...call, description: '   ' }, 'description', 'Bitte schreiben Sie auf, worum es geht.');
      expect(body).toContain('value="Erika Mustermann"');
      expect(body).toContain('value="07531 900-123"');
      expect(body).toContain('value="Hafenstraße 3"');
    });

    it('huge text', async () => {
      const body = await rejects(
        { ...call, description: 'x'.repeat(5001) },
        'description',
        'Der Text ist zu lang (höchstens 5000 Zeichen)',
      );
      expect(body).toContain('x'.repeat(5001));
    });

    it('control characters', async () => {
      const body = await rejects({ ...call, reporterName: 'Erika\u0007 Mustermann' }, 'reporterName', 'enthält unzulässige Steuerzeichen');
      expect(body).toContain('value="Erika Mustermann"');
      expect(body).toContain(call.description);
    });

    it('an HTML/JS payload is shown escaped and never as markup', async () => {
      const payload = '<script>alert(1)</script><img src=x onerror=alert(2)>';
      const body = await rejects({ ...call, description: payload, reporterEmail: 'kein-mail' }, 'reporterEmail', 'gültige E-Mail-Adresse');
      expect(body).not.toContain('<script>alert(1)</script>');
      expect(body).not.toContain('<img src=x');
      expect(body).toContain('&lt;script>alert(1)&lt;/script>&lt;img src=x onerror=alert(2)>');
    });

    it('callback without a number', async () => {
      const body = await rejects(
        { ...call, reporterPhone: '', callback: 'yes' },
        'reporterPhone',
        'Für den Rückruf brauchen wir eine Telefonnummer.',
      );
      expect(body).toMatch(/id="callback"[^>]*checked|checked[^>]*id="callback"/);
    });

    it('a letter answer without an address', async () => {
      const body = await rejects({ ...call, letterReply: 'yes', postalName: 'Erika Mustermann' }, 'postalStreet', 'Straße und Hausnummer');
      expect(body).toContain('Für die Antwort per Brief brauchen wir Postleitzahl und Ort.');
      expect(body).toMatch(/id="letterReply"[^>]*checked|checked[^>]*id="letterReply"/);
      await rejects(
        { ...call, letterReply: 'yes', postalName: 'E. M.', postalStreet: 'Hafenstraße 3', postalCity: 'Musterstadt' },
        'postalCity',
        '„78462 Musterstadt“',
      );
    });

    it('wrong types: an unknown channel, a case type, a field sent twice, a broken number, half a pin', async () => {
      await rejects({ ...call, channel: 'email' }, 'channel', 'Telefon, Vor Ort, Brief oder Fax');
      await rejects({ ...call, type: 'spam' }, 'type', 'eine der angebotenen Arten');
      await rejects({ ...call, reporterName: ['Erika', 'Max'] }, 'reporterName', 'mehrfach oder in falscher Form');
      await rejects({ ...call, reporterPhone: 'ruft nie an' }, 'reporterPhone', 'Telefonnummer nur mit Ziffern');
      await rejects({ ...call, categoryId: 'abc' }, 'categoryId', 'Kategorie aus der Liste');
      const body = await post({ ...call, lat: '47.66' });
      expect(body.statusCode).toBe(400);
      expect(body.body).toContain('Der Kartenpunkt ist unvollständig.');
      expect(body.body).toContain('id="pin-error"');
    });

    it('an unknown or retired category', async () => {
      await rejects({ ...call, categoryId: '999999' }, 'categoryId', 'Diese Kategorie gibt es nicht mehr.');
      await rejects({ ...call, categoryId: String(oldCategoryId) }, 'categoryId', 'Diese Kategorie gibt es nicht mehr.');
    });

    it('a form from another browser or without CSRF token', async () => {
      const form = await openForm();
      const other = await openForm();
      const res = await post(call, { ...form, nonce: other.nonce });
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('nicht in diesem Browser geöffnet');
      const noCsrf = await ctx.app.inject({
        method: 'POST',
        url: '/erfassen',
        headers: { ...html, cookie: form.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ ...call, nonce: form.nonce }).toString(),
      });
      expect(noCsrf.statusCode).toBe(403);
    });
  });

  // Switch on once the intake pipeline stores `contact`, `moreContacts` and `callbackRequested`.
  describe('what the capture form hands over lands in contacts and cases', () => {
    it('a call with "Rückruf erwünscht" stores the phone contact and the flag', async () => {
      const res = await post({ ...call, reporterPhone: '07531 555-0101', callback: 'yes' });
      const number = String(res.headers.location).split('/')[3]?.split('?')[0] ?? '';
      const [row] = await ctx.db.select().from(cases).where(eq(cases.number, number));
      expect(row?.callbackRequested).toBe(true);
      const [contact] = await ctx.db
        .select()
        .from(contacts)
        .where(eq(contacts.id, row?.contactId ?? -1));
      expect(contact).toMatchObject({ kind: 'phone', displayName: 'Erika Mustermann' });
      expect(contact?.address.replace(/\D/g, '')).toMatch(/75315550101$/);
    });

    it('"Antwort per Brief" stores the postal address as the case contact, the phone linked to the same person', async () => {
      const res = await post({
        ...call,
        reporterPhone: '07531 555-0202',
        letterReply: 'yes',
        postalName: 'Erika Mustermann',
        postalStreet: 'Hafenstraße 3',
        postalCity: '78462 Musterstadt',
      });
      const number = String(res.headers.location).split('/')[3]?.split('?')[0] ?? '';
      const [row] = await ctx.db.select().from(cases).where(eq(cases.number, number));
      const [postal] = await ctx.db
        .select()
        .from(contacts)
        .where(eq(contacts.id, row?.contactId ?? -1));
      expect(postal).toMatchObject({ kind: 'postal', address: 'Hafenstraße 3\n78462 Musterstadt', displayName: 'Erika Mustermann' });
      const phones = await ctx.db
        .select()
        .from(contacts)
        .where(and(eq(contacts.kind, 'phone'), eq(contacts.personId, postal?.personId ?? postal?.id ?? -1)));
      expect(phones).toHaveLength(1);
    });

    it('without the tick no postal address is stored, even when one was typed', async () => {
      const res = await post({ ...call, reporterPhone: '07531 555-0303', postalStreet: 'Geheimweg 1', postalCity: '78462 Musterstadt' });
      expect(res.statusCode).toBe(303);
      expect(await ctx.db.select().from(contacts).where(eq(contacts.address, 'Geheimweg 1\n78462 Musterstadt'))).toHaveLength(0);
    });

    it('a letter taken down without e-mail makes a letter case (needs a letter adapter in the channel registry)', async () => {
      const res = await post({
        ...call,
        channel: 'letter',
        letterReply: 'yes',
        postalName: 'E. M.',
        postalStreet: 'Weg 1',
        postalCity: '78462 Musterstadt',
      });
      expect(res.statusCode).toBe(303);
    });
  });
});
