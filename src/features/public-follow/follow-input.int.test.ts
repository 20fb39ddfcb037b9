import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fileCase } from '../../../test/helpers/cases.ts';
import { createTestContext, csrfFor, describeDb, type TestContext } from '../../../test/helpers/context.ts';
import { seedBasics } from '../../../test/helpers/fixtures.ts';
import { outboxMails } from '../../../test/helpers/outbox.ts';
import { publishForTest } from '../../../test/helpers/public-cases.ts';
import { confirmByMail, postFollowForm } from '../../../test/helpers/public-follow.ts';
import { contacts, publicSubscriptions } from '../../infra/schema/index.ts';

describeDb('Follow by e-mail: answers that tell nothing, and bad input', () => {
  let ctx: TestContext;
  let number: string;
  let unpublished: string;
  const html = { accept: 'text/html' };
  const formHeaders = { 'content-type': 'application/x-www-form-urlencoded', ...html };
  const follow = (email: string, n = number) =>
    postFollowForm(ctx, `/meldungen/${number}`, `/meldungen/${n}/benachrichtigungen`, { email });

  beforeAll(async () => {
    ctx = await createTestContext();
    const town = await seedBasics(ctx.db);
    const c = await fileCase(ctx, { categoryId: town.categories.streetLight.id, description: 'Laterne dunkel.' });
    await publishForTest(ctx.db, c.caseId);
    number = c.number;
    unpublished = (await fileCase(ctx, { description: 'Nicht öffentlich.' })).number;
  });
  afterAll(() => ctx.close());

  it('the same answer for a new, a pending and a confirmed address; the mail tells the owner which', async () => {
    const answer = (r: Awaited<ReturnType<typeof follow>>) => ({ status: r.statusCode, location: r.headers.location, body: r.body });
    const first = answer(await follow('neu@example.org'));
    const pending = answer(await follow('neu@example.org'));
    await confirmByMail(ctx, 'neu@example.org');
    const confirmed = answer(await follow('NEU@example.org'));
    expect(first).toEqual({ status: 303, location: '/benachrichtigungen/gesendet', body: '' });
    expect(pending).toEqual(first);
    expect(confirmed).toEqual(first);

    // One confirmation (asking twice within the hour writes no second one), then the "already" note.
    const mails = await outboxMails(ctx.db, { to: 'neu@example.org' });
    expect(mails.map((m) => m.subject)).toEqual([
      `Bitte bestätigen: E-Mail-Benachrichtigungen zur Meldung ${number}`,
      `Sie sind bereits angemeldet: Benachrichtigungen zur Meldung ${number}`,
    ]);
    expect(mails[1]?.text).toContain('/benachrichtigungen/abmelden/');
    const [contact] = await ctx.db.select().from(contacts).where(eq(contacts.address, 'neu@example.org'));
    expect(
      await ctx.db
        .select()
        .from(publicSubscriptions)
        .where(eq(publicSubscriptions.contactId, contact?.id ?? 0)),
    ).toHaveLength(1);
  });

  it('an invalid address: 400 with the form and a German message, nothing stored or sent', async () => {
    for (const email of ['', 'keine-adresse', 'a@b', `${'x'.repeat(250)}@example.org`]) {
      const res = await follow(email);
      expect(res.statusCode).toBe(400);
      expect(res.body).toMatch(/Bitte geben Sie eine (gültige )?E-Mail-Adresse|höchstens 254 Zeichen/);
      expect(res.body).toContain('Bitte prüfen Sie Ihre Angaben');
    }
    expect(await outboxMails(ctx.db, { to: 'keine-adresse' })).toHaveLength(0);
  });

  it('control characters and a repeated field are refused (400); a huge body answers 413', async () => {
    const control = await follow('leser\u0007@example.org');
    expect(control.statusCode).toBe(400);
    expect(control.body).toContain('E-Mail-Adresse');

    const csrf = await csrfFor(ctx.app, `/meldungen/${number}`);
    const twice = await ctx.app.inject({
      method: 'POST',
      url: `/meldungen/${number}/benachrichtigungen`,
      headers: { ...formHeaders, cookie: csrf.cookie },
      payload: `_csrf=${encodeURIComponent(csrf.token)}&email=a%40example.org&email=b%40example.org`,
    });
    expect(twice.statusCode).toBe(400);

    const huge = await ctx.app.inject({
      method: 'POST',
      url: `/meldungen/${number}/benachrichtigungen`,
      headers: { ...formHeaders, cookie: csrf.cookie },
      payload: `_csrf=${encodeURIComponent(csrf.token)}&email=a%40example.org&x=${'y'.repeat(20_000)}`,
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.body).toContain('zu groß');
    expect(await outboxMails(ctx.db, { to: ['a@example.org', 'b@example.org'] })).toHaveLength(0);
  });

  it('without the CSRF token the form is refused (403)', async () => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: `/meldungen/${number}/benachrichtigungen`,
      headers: formHeaders,
      payload: 'email=ohne-token%40example.org',
    });
    expect(res.statusCode).toBe(403);
    expect(await outboxMails(ctx.db, { to: 'ohne-token@example.org' })).toHaveLength(0);
  });

  it('an unpublished case answers 404 exactly like an unknown number', async () => {
    const unknown = '2026-99999';
    const page = async (n: string) => (await ctx.app.inject({ url: `/meldungen/${n}/benachrichtigungen`, headers: html })).body;
    expect(await page(unpublished)).toBe(await page(unknown));
    for (const n of [unpublished, unknown, 'kein-aktenzeichen']) {
      const res = await follow('jemand@example.org', n);
      expect(res.statusCode).toBe(404);
      expect(res.body).toContain('nicht öffentlich');
    }
    expect(await outboxMails(ctx.db, { to: 'jemand@example.org' })).toHaveLength(0);
  });

  it('unknown or malformed tokens: a German 404 page on every link, GET and POST', async () => {
    const unknown = 'A'.repeat(32);
    for (const token of [unknown, 'kurz', `${'B'.repeat(31)}!`]) {
      for (const path of [
        `/benachrichtigungen/bestaetigen/${encodeURIComponent(token)}`,
        `/benachrichtigungen/abmelden/${encodeURIComponent(token)}`,
      ]) {
        const get = await ctx.app.inject({ url: path, headers: html });
        expect(get.statusCode).toBe(404);
        expect(get.body).toContain('Zu diesem Link finden wir keine Benachrichtigung');
      }
      const post = await ctx.app.inject({
        method: 'POST',
        url: `/benachrichtigungen/abmelden/${encodeURIComponent(token)}`,
        headers: formHeaders,
        payload: 'List-Unsubscribe=One-Click',
      });
      expect(post.statusCode).toBe(404);
    }
  });

  it('an unsubscribe POST without the one-click body changes nothing (400)', async () => {
    await follow('ohne-body@example.org');
    const [mail] = await outboxMails(ctx.db, { to: 'ohne-body@example.org' });
    const token = /bestaetigen\/([A-Za-z0-9_-]{32})/.exec(mail?.text ?? '')?.[1] ?? '';
    const res = await ctx.app.inject({
      method: 'POST',
      url: `/benachrichtigungen/abmelden/${token}`,
      headers: formHeaders,
      payload: 'x=1',
    });
    expect(res.statusCode).toBe(400);
    const [row] = await ctx.db.select().from(publicSubscriptions).where(eq(publicSubscriptions.token, token));
    expect(row?.unsubscribedAt).toBeNull();
  });

  it('too many requests from one client address: 429 in German', async () => {
    let last = 0;
    for (let i = 0; i < 25 && last !== 429; i++) last = (await follow(`viele-${i}@example.org`)).statusCode;
    expect(last).toBe(429);
    const res = await follow('noch-einer@example.org');
    expect(res.body).toContain('Zu viele Versuche');
  });
});
