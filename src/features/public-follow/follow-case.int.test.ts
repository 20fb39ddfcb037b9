import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fileCase, postForm } from '../../../test/helpers/cases.ts';
import { createTestContext, createUser, describeDb, type TestContext, type TestUser } from '../../../test/helpers/context.ts';
import { seedBasics } from '../../../test/helpers/fixtures.ts';
import { outboxMails } from '../../../test/helpers/outbox.ts';
import { publishForTest } from '../../../test/helpers/public-cases.ts';
import { confirmByMail, linkIn, postFollowForm, runFollowJob } from '../../../test/helpers/public-follow.ts';
import { fixedClock } from '../../infra/clock.ts';
import { cases, publicSubscriptions } from '../../infra/schema/index.ts';
import { COMMIT_LAG_MS } from './notify.ts';

describeDb('Follow one public case by e-mail', () => {
  const clock = fixedClock(new Date('2026-03-02T09:00:00Z'));
  let ctx: TestContext;
  let town: Awaited<ReturnType<typeof seedBasics>>;
  let clerk: TestUser;

  const html = { accept: 'text/html' };
  const later = (minutes: number) => clock.advance(minutes * 60_000);
  /** Past the commit lag, so the job mails what changed so far. */
  const settle = () => clock.advance(COMMIT_LAG_MS + 1000);
  const versionOf = async (caseId: number) =>
    String((await ctx.db.select({ v: cases.version }).from(cases).where(eq(cases.id, caseId)))[0]?.v);
  const setStatus = async (c: { caseId: number; number: string }, status: string) => {
    const res = await postForm(ctx, `/staff/faelle/${c.number}`, `/staff/faelle/${c.number}/bearbeiten`, clerk.cookie, {
      version: await versionOf(c.caseId),
      status,
      type: 'defect',
      categoryId: String(town.categories.streetLight.id),
      teamId: String(town.teams.tiefbau.id),
      priority: 'normal',
    });
    expect(res.statusCode).toBe(303);
  };
  const publicCase = async (reporter = 'Erika Mustermann') => {
    const c = await fileCase(ctx, {
      categoryId: town.categories.streetLight.id,
      description: `Die Laterne vor Hausnummer 12 ist dunkel. Gruß ${reporter}`,
      reporterName: reporter,
      reporterEmail: 'erika.mustermann@example.org',
    });
    await publishForTest(ctx.db, c.caseId, { at: clock.now() });
    return c;
  };
  const follow = (number: string, email: string) =>
    postFollowForm(ctx, `/meldungen/${number}`, `/meldungen/${number}/benachrichtigungen`, { email });
  const noticesTo = async (to: string) => (await outboxMails(ctx.db, { to })).filter((m) => !m.subject.startsWith('Bitte bestätigen'));

  beforeAll(async () => {
    ctx = await createTestContext({ clock });
    town = await seedBasics(ctx.db);
    clerk = await createUser(ctx, { teamIds: [town.teams.tiefbau.id, town.teams.leitstelle.id], name: 'Klara Sachbearbeiterin' });
  });
  afterAll(() => ctx.close());

  it('the public case page carries the form; subscribing mails a confirmation and nothing else before it is confirmed', async () => {
    const c = await publicCase();
    const page = await ctx.app.inject({ url: `/meldungen/${c.number}`, headers: html });
    expect(page.body).toContain('Über Änderungen per E-Mail informieren');
    expect(page.body).toContain(`action="/meldungen/${c.number}/benachrichtigungen"`);
    expect(page.body).toContain('/datenschutz');

    const res = await follow(c.number, '  Leser.Eins@Example.ORG ');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/benachrichtigungen/gesendet');
    const sent = await ctx.app.inject({ url: '/benachrichtigungen/gesendet', headers: html });
    expect(sent.body).toContain('Bitte bestätigen Sie Ihre E-Mail-Adresse');

    const [confirmation, ...rest] = await outboxMails(ctx.db, { to: 'leser.eins@example.org' });
    expect(rest).toHaveLength(0);
    expect(confirmation?.automatic).toBe(true);
    expect(confirmation?.contactId).not.toBeNull();
    expect(confirmation?.subject).toBe(`Bitte bestätigen: E-Mail-Benachrichtigungen zur Meldung ${c.number}`);
    expect(confirmation?.text).toContain('http://localhost:3000/benachrichtigungen/bestaetigen/');

    // A public change before the confirmation: the job sends nothing to that address.
    later(1);
    await setStatus(c, 'in_progress');
    settle();
    await runFollowJob(ctx);
    expect(await outboxMails(ctx.db, { to: 'leser.eins@example.org' })).toHaveLength(1);
  });

  it('GET of the confirmation link shows a button and confirms nothing; POST confirms ("Bestätigt")', async () => {
    const c = await publicCase();
    await follow(c.number, 'leser.zwei@example.org');
    const [mail] = await outboxMails(ctx.db, { to: 'leser.zwei@example.org' });
    const path = linkIn(mail?.text ?? '', '/benachrichtigungen/bestaetigen/');
    const token = path.split('/').pop() ?? '';
    const pending = async () => (await ctx.db.select().from(publicSubscriptions).where(eq(publicSubscriptions.token, token)))[0];

    const shown = await ctx.app.inject({ url: path, headers: html });
    expect(shown.statusCode).toBe(200);
    expect(shown.body).toContain('Ja, Benachrichtigungen bestätigen');
    expect(shown.headers['referrer-policy']).toBe('no-referrer');
    expect((await pending())?.confirmedAt).toBeNull();

    // Without the page's CSRF token the button's POST is refused.
    const forged = await ctx.app.inject({
      method: 'POST',
      url: path,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...html },
    });
    expect(forged.statusCode).toBe(403);
    expect((await pending())?.confirmedAt).toBeNull();

    const done = await confirmByMail(ctx, 'leser.zwei@example.org');
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('Bestätigt');
    expect((await pending())?.confirmedAt).not.toBeNull();
    // Opening the link again says so, without a button.
    const again = await ctx.app.inject({ url: path, headers: html });
    expect(again.statusCode).toBe(200);
    expect(again.body).toContain('Bestätigt');
    expect(again.body).not.toContain('Ja, Benachrichtigungen bestätigen');
  });

  it('a status change is mailed once, with the one-click unsubscribe headers; a second run sends nothing more', async () => {
    const c = await publicCase();
    await follow(c.number, 'leser.drei@example.org');
    await confirmByMail(ctx, 'leser.drei@example.org');
    later(1);
    await setStatus(c, 'in_progress');
    settle();
    await runFollowJob(ctx);
    await runFollowJob(ctx);

    const notices = await noticesTo('leser.drei@example.org');
    expect(notices).toHaveLength(1);
    const notice = notices[0];
    expect(notice?.subject).toBe(`Meldung ${c.number}: jetzt „in Bearbeitung“`);
    expect(notice?.automatic).toBe(true);
    expect(notice?.text).toContain(`http://localhost:3000/meldungen/${c.number}`);
    const unsubscribe = linkIn(notice?.text ?? '', '/benachrichtigungen/abmelden/');
    expect(notice?.headers).toEqual({
      'List-Unsubscribe': `<http://localhost:3000${unsubscribe}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
    // Only public text: the reporter's name and address never travel to a follower.
    expect(notice?.text).not.toContain('Mustermann');
    expect(notice?.text).not.toContain('erika');

    // The projection's own history before the confirmation is not mailed again later either.
    later(10);
    settle();
    await runFollowJob(ctx);
    expect(await noticesTo('leser.drei@example.org')).toHaveLength(1);
  });

  it('several changes between two runs arrive as one digest', async () => {
    const c = await publicCase();
    await follow(c.number, 'leser.vier@example.org');
    await confirmByMail(ctx, 'leser.vier@example.org');
    later(1);
    await setStatus(c, 'in_progress');
    later(1);
    await setStatus(c, 'waiting');
    later(1);
    await setStatus(c, 'resolved');
    settle();
    await runFollowJob(ctx);
    const notices = await noticesTo('leser.vier@example.org');
    expect(notices).toHaveLength(1);
    expect(notices[0]?.subject).toBe(`Meldung ${c.number}: 3 Änderungen, jetzt „erledigt“`);
    const text = notices[0]?.text ?? '';
    expect(text.indexOf('„in Bearbeitung“')).toBeLessThan(text.indexOf('„in Prüfung“'));
    expect(text.indexOf('„in Prüfung“')).toBeLessThan(text.indexOf('„erledigt“'));
  });

  it('a change younger than the commit lag waits for the next run', async () => {
    const c = await publicCase();
    await follow(c.number, 'leser.fuenf@example.org');
    await confirmByMail(ctx, 'leser.fuenf@example.org');
    later(1);
    await setStatus(c, 'in_progress');
    await runFollowJob(ctx);
    expect(await noticesTo('leser.fuenf@example.org')).toHaveLength(0);
    settle();
    await runFollowJob(ctx);
    expect(await noticesTo('leser.fuenf@example.org')).toHaveLength(1);
  });

  it('a withdrawn case is not mentioned: its changes are not mailed', async () => {
    const c = await publicCase();
    await follow(c.number, 'leser.sechs@example.org');
    await confirmByMail(ctx, 'leser.sechs@example.org');
    later(1);
    await setStatus(c, 'in_progress');
    const res = await postForm(ctx, `/staff/faelle/${c.number}`, `/staff/faelle/${c.number}/oeffentlich-zurueckziehen`, clerk.cookie, {
      version: await versionOf(c.caseId),
      reason: 'Foto zeigt ein Gesicht',
    });
    expect(res.statusCode).toBe(303);
    settle();
    await runFollowJob(ctx);
    expect(await noticesTo('leser.sechs@example.org')).toHaveLength(0);
  });

  it('one-click unsubscribe: POST without cookie or token ends it (200); GET only shows the button', async () => {
    const c = await publicCase();
    await follow(c.number, 'leser.sieben@example.org');
    await confirmByMail(ctx, 'leser.sieben@example.org');
    later(1);
    await setStatus(c, 'in_progress');
    settle();
    await runFollowJob(ctx);
    const [notice] = await noticesTo('leser.sieben@example.org');
    const path = linkIn(notice?.text ?? '', '/benachrichtigungen/abmelden/');
    const row = async () =>
      (
        await ctx.db
          .select()
          .from(publicSubscriptions)
          .where(eq(publicSubscriptions.token, path.split('/').pop() ?? ''))
      )[0];

    const shown = await ctx.app.inject({ url: path, headers: html });
    expect(shown.statusCode).toBe(200);
    expect(shown.body).toContain('>Abmelden<');
    expect((await row())?.unsubscribedAt).toBeNull();

    // As a mail provider's server sends it: no cookie, no CSRF token, a foreign-looking origin.
    const oneClick = await ctx.app.inject({
      method: 'POST',
      url: path,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.statusCode).toBe(200);
    expect((await row())?.unsubscribedAt).not.toBeNull();
    // Again: still 200, nothing more to do.
    const again = await ctx.app.inject({
      method: 'POST',
      url: path,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(again.statusCode).toBe(200);

    later(1);
    await setStatus(c, 'resolved');
    settle();
    await runFollowJob(ctx);
    expect(await noticesTo('leser.sieben@example.org')).toHaveLength(1);
  });
});
