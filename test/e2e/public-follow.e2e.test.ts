import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Browser, describeBrowser, expectAccessible, launchBrowser } from '../helpers/browser.ts';
import { fileCase } from '../helpers/cases.ts';
import type { TestContext } from '../helpers/context.ts';
import { seedBasics } from '../helpers/fixtures.ts';
import { outboxMails } from '../helpers/outbox.ts';
import { publishForTest } from '../helpers/public-cases.ts';
import { linkIn } from '../helpers/public-follow.ts';
import { startServer } from '../helpers/server.ts';

/**
 * Following a public report by e-mail in a real browser: the form on the case page, the
 * confirmation link's page and its button, the unsubscribe page and its button, and the area alert
 * form. Every page passes axe (WCAG 2.1 AA) on a desktop and a phone width; axe itself needs
 * JavaScript, so the same flows run once more in a browser without it.
 */
describeBrowser('follow public reports by e-mail', () => {
  let server: TestContext & { baseUrl: string };
  let withJs: Browser;
  let withoutJs: Browser;
  let number: string;

  beforeAll(async () => {
    server = await startServer();
    const town = await seedBasics(server.db);
    const c = await fileCase(server, { categoryId: town.categories.streetLight.id, description: 'Laterne am Marktplatz dunkel.' });
    await publishForTest(server.db, c.caseId);
    number = c.number;
    withJs = await launchBrowser();
    withoutJs = await launchBrowser({ javaScriptEnabled: false });
  }, 60_000);
  afterAll(async () => {
    await withJs?.close();
    await withoutJs?.close();
    await server?.close();
  });

  const runs = [
    { width: 1280, height: 900, js: true },
    { width: 390, height: 844, js: true },
    { width: 390, height: 844, js: false },
  ];
  const check = (js: boolean) => (js ? expectAccessible : async () => {});

  it.each(runs)(
    'case page form → mail → confirm button → "Bestätigt" → unsubscribe button → "Abgemeldet" ($width px, JavaScript: $js)',
    async (size) => {
      const expectAccessible = check(size.js);
      const email = `e2e-${size.width}-${size.js}@example.org`;
      const page = await (size.js ? withJs : withoutJs).newPage();
      page.setDefaultTimeout(10_000);
      await page.setViewportSize({ width: size.width, height: size.height });
      await page.goto(`${server.baseUrl}/meldungen/${number}`);
      await page.getByLabel('Ihre E-Mail-Adresse').fill(email);
      await expectAccessible(page, `case page with the follow form at ${size.width} px`);
      await page.getByRole('button', { name: 'Benachrichtigen lassen' }).click();
      await page.getByRole('heading', { name: 'Bitte bestätigen Sie Ihre E-Mail-Adresse' }).waitFor();
      await expectAccessible(page, `"check your mail" page at ${size.width} px`);

      const [mail] = await outboxMails(server.db, { to: email });
      await page.goto(`${server.baseUrl}${linkIn(mail?.text ?? '', '/benachrichtigungen/bestaetigen/')}`);
      await expect(page.locator('main').textContent()).resolves.toContain(`zur Meldung ${number}`);
      await expectAccessible(page, `confirm page at ${size.width} px`);
      await page.getByRole('button', { name: 'Ja, Benachrichtigungen bestätigen' }).click();
      await page.getByRole('heading', { name: 'Bestätigt' }).waitFor();
      await expectAccessible(page, `confirmed page at ${size.width} px`);

      await page.getByRole('link', { name: 'gleich hier' }).click();
      await page.getByRole('heading', { name: 'Benachrichtigungen abbestellen' }).waitFor();
      await expectAccessible(page, `unsubscribe page at ${size.width} px`);
      await page.getByRole('button', { name: 'Abmelden' }).click();
      await page.getByRole('heading', { name: 'Abgemeldet' }).waitFor();
      await expectAccessible(page, `unsubscribed page at ${size.width} px`);
      await page.close();
    },
    60_000,
  );

  it.each(runs)(
    'area alert: a district or a typed-in point; errors are listed ($width px, JavaScript: $js)',
    async (size) => {
      const expectAccessible = check(size.js);
      const email = `gebiet-${size.width}-${size.js}@example.org`;
      const page = await (size.js ? withJs : withoutJs).newPage();
      page.setDefaultTimeout(10_000);
      await page.setViewportSize({ width: size.width, height: size.height });
      await page.goto(`${server.baseUrl}/meldungen`);
      await page.getByRole('link', { name: 'Per E-Mail über neue Meldungen in Ihrer Nähe informiert werden' }).click();
      await page.getByRole('heading', { name: 'Über neue Meldungen informiert werden' }).waitFor();
      await expectAccessible(page, `area alert form at ${size.width} px`);

      await page.getByLabel('Ein Umkreis um einen Punkt').check();
      await page.getByLabel('Breite').fill('47,6633');
      await page.getByLabel('Länge').fill('östlich');
      await page.getByLabel('Ihre E-Mail-Adresse').fill(email);
      await page.getByRole('button', { name: 'Benachrichtigungen bestellen' }).click();
      await page.getByRole('heading', { name: 'Bitte prüfen Sie Ihre Angaben' }).waitFor();
      await expectAccessible(page, `area alert form with errors at ${size.width} px`);

      await page.getByLabel('Ein Stadtteil').check();
      await page.getByLabel('Stadtteil', { exact: true }).selectOption({ label: 'Altstadt' });
      await page.getByRole('button', { name: 'Benachrichtigungen bestellen' }).click();
      await page.getByRole('heading', { name: 'Bitte bestätigen Sie Ihre E-Mail-Adresse' }).waitFor();
      const [mail] = await outboxMails(server.db, { to: email });
      expect(mail?.subject).toBe('Bitte bestätigen: E-Mail-Benachrichtigungen zu neuen Meldungen im Stadtteil Altstadt');
      await page.close();
    },
    60_000,
  );
});
