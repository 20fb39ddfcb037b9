import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { askDueChecks } from '../../src/features/fix-check/ask.ts';
import { sendDueNotices } from '../../src/features/public-follow/notify.ts';
import { cases, publicCases } from '../../src/infra/schema/index.ts';
import { type Browser, describeBrowser, expectAccessible, launchBrowser, signInThroughForm } from '../helpers/browser.ts';
import { createUser, type TestContext } from '../helpers/context.ts';
import { seedBasics } from '../helpers/fixtures.ts';
import { outboxMails } from '../helpers/outbox.ts';
import { linkIn } from '../helpers/public-follow.ts';
import { startServer } from '../helpers/server.ts';

const DAY_MS = 24 * 3_600_000;

/**
 * The transparency journey as three people live it: a citizen reports a dark street light and
 * signs with her name → a clerk publishes it, the name masked → it is on the public list and the
 * map → a second citizen follows it by e-mail → the clerk answers and resolves → the follower is
 * mailed → days later the reporter is asked "Ist es wirklich behoben?", says "nein", and the case
 * is back at work. The jobs run as the workers run them, with the clock moved on.
 */
describeBrowser('transparency: report → publish masked → map and list → follow → resolve → follower mailed → "nein" reopens', () => {
  let server: TestContext & { baseUrl: string };
  let citizen: Browser;
  let neighbour: Browser;
  let staff: Browser;
  const clerk = { email: 'tina.tiefbau@musterstadt.example', password: 'ein-sehr-gutes-passwort' };
  const reporter = { name: 'Henrike Fahrenkamp', email: 'henrike@example.org' };
  const follower = 'nachbar.jonas@example.org';
  let number = '';
  let caseId = 0;

  beforeAll(async () => {
    server = await startServer();
    const town = await seedBasics(server.db);
    await createUser(server, { ...clerk, name: 'Tina Tiefbau', teamIds: [town.teams.tiefbau.id, town.teams.leitstelle.id] });
    [citizen, neighbour, staff] = await Promise.all([launchBrowser(), launchBrowser(), launchBrowser()]);
  });
  afterAll(async () => {
    await Promise.all([citizen?.close(), neighbour?.close(), staff?.close()]);
    await server?.close();
  });

  const later = (ms: number) => ({ now: () => new Date(Date.now() + ms) });

  it('a citizen reports with her name in the text', { timeout: 120_000 }, async () => {
    const page = await citizen.newPage();
    await page.goto(`${server.baseUrl}/melden`);
    await page
      .getByLabel('Beschreibung', { exact: false })
      .first()
      .fill(`Die Straßenlaterne am Marktbrunnen ist seit Tagen dunkel. Viele Grüße, ${reporter.name}`);
    await page.getByLabel('Störung').check();
    await page.getByLabel('Kategorie').selectOption({ label: 'Straßenbeleuchtung' });
    await page.getByRole('button', { name: 'Markierung in die Kartenmitte setzen' }).click();
    await page.locator('input[name=reporterName]').fill(reporter.name);
    await page.locator('input[name=reporterEmail]').fill(reporter.email);
    await page.getByLabel('Datenschutz', { exact: false }).first().check();
    await page.getByRole('button', { name: 'Anliegen absenden' }).click();
    await page.waitForURL(/\/melden\/danke\//);
    number = /\d{4}-\d{5}/.exec((await page.textContent('main')) ?? '')?.[0] ?? '';
    expect(number).not.toBe('');
    const [row] = await server.db.select().from(cases).where(eq(cases.number, number));
    caseId = row?.id ?? 0;
    expect(row?.lat).not.toBeNull();
  });

  it('the clerk publishes it; the public text has the name masked', { timeout: 120_000 }, async () => {
    const page = await signInThroughForm(staff, server.baseUrl, clerk, `/staff/faelle/${number}`);
    await expect(page.locator('#publication-preview').textContent()).resolves.toContain('Viele Grüße, [Name entfernt]');
    await page.getByRole('button', { name: 'Veröffentlichen', exact: true }).click();
    await page.getByText('Das Anliegen ist jetzt öffentlich.').waitFor();
    const [row] = await server.db.select().from(publicCases).where(eq(publicCases.caseId, caseId));
    expect(row?.text).toBe('Die Straßenlaterne am Marktbrunnen ist seit Tagen dunkel. Viele Grüße, [Name entfernt]');
  });

  it('it is on the public list and on the map, without the name', { timeout: 120_000 }, async () => {
    const page = await neighbour.newPage();
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${server.baseUrl}/meldungen`);
      const list = (await page.locator('main').textContent()) ?? '';
      expect(list).toContain(number);
      expect(list).not.toContain('Fahrenkamp');
      await expectAccessible(page, `public list at ${width} px`);
    }
    const [row] = await server.db.select().from(publicCases).where(eq(publicCases.caseId, caseId));
    const lat = row?.lat ?? 0;
    const lon = row?.lon ?? 0;
    const bbox = [lon - 0.01, lat - 0.01, lon + 0.01, lat + 0.01].join(',');
    const geojson = await page.evaluate(async (url) => (await fetch(url)).json(), `/meldungen/karte.geojson?bbox=${bbox}`);
    const feature = (geojson.features as { properties: Record<string, unknown> }[]).find((f) => f.properties.number === number);
    expect(feature).toBeDefined();
    expect(JSON.stringify(geojson)).not.toContain('Fahrenkamp');
  });

  it('a second citizen follows it by e-mail and confirms', { timeout: 120_000 }, async () => {
    const page = await neighbour.newPage();
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${server.baseUrl}/meldungen/${number}`);
      await expect(page.locator('main').textContent()).resolves.toContain('[Name entfernt]');
      await expectAccessible(page, `public case page at ${width} px`);
    }
    await page.getByLabel('Ihre E-Mail-Adresse').fill(follower);
    await page.getByRole('button', { name: 'Benachrichtigen lassen' }).click();
    await page.getByRole('heading', { name: 'Bitte bestätigen Sie Ihre E-Mail-Adresse' }).waitFor();
    const [mail] = await outboxMails(server.db, { to: follower });
    await page.goto(`${server.baseUrl}${linkIn(mail?.text ?? '', '/benachrichtigungen/bestaetigen/')}`);
    await page.getByRole('button', { name: 'Ja, Benachrichtigungen bestätigen' }).click();
    await page.getByRole('heading', { name: 'Bestätigt' }).waitFor();
  });

  it('the clerk answers and resolves; the follower is mailed', { timeout: 120_000 }, async () => {
    const page = await staff.newPage();
    await page.goto(`${server.baseUrl}/staff/faelle/${number}`);
    await page.getByLabel('Antwort', { exact: false }).first().fill('Danke! Das Leuchtmittel ist getauscht, die Laterne brennt wieder.');
    await page.getByRole('button', { name: 'Antworten und erledigen' }).click();
    await page.waitForURL(new RegExp(`/staff/faelle/${number}`));
    const [row] = await server.db.select().from(publicCases).where(eq(publicCases.caseId, caseId));
    expect(row?.status).toBe('resolved');

    const before = (await outboxMails(server.db, { to: follower })).length;
    await sendDueNotices({ db: server.db, clock: later(5 * 60_000), config: server.config, log: server.log });
    const mails = await outboxMails(server.db, { to: follower });
    expect(mails).toHaveLength(before + 1);
    const notice = mails.at(-1);
    expect(`${notice?.subject}\n${notice?.text}`).toContain(number);
    expect(notice?.text).toContain('erledigt');
    expect(notice?.text).not.toContain('Fahrenkamp');
    expect(notice?.text).not.toContain(reporter.email);
  });

  it('days later the reporter says "nein": the case is back at work', { timeout: 120_000 }, async () => {
    await askDueChecks({ db: server.db, clock: later(6 * DAY_MS), log: server.log, channels: server.channels, config: server.config });
    const question = (await outboxMails(server.db, { to: reporter.email })).find((m) => m.text.includes('/behoben/'));
    expect(question).toBeDefined();
    const page = await citizen.newPage();
    await page.goto(`${server.baseUrl}${linkIn(question?.text ?? '', '/behoben/')}`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Ist es wirklich behoben?');
    await expectAccessible(page, 'fix check question');
    await page.getByLabel('Möchten Sie uns noch etwas sagen?').fill('Sie ist schon wieder aus, seit gestern Abend.');
    await page.getByRole('button', { name: 'Nein, noch nicht' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Danke für Ihre Antwort!');

    const [row] = await server.db.select().from(cases).where(eq(cases.id, caseId));
    expect(row?.status).toBe('in_progress');
    const staffPage = await staff.newPage();
    await staffPage.goto(`${server.baseUrl}/staff/faelle/${number}`);
    await expect(staffPage.locator('main').textContent()).resolves.toContain('Sie ist schon wieder aus, seit gestern Abend.');
    const [publicRow] = await server.db.select().from(publicCases).where(eq(publicCases.caseId, caseId));
    expect(publicRow?.status).toBe('in_progress');
  });
});
