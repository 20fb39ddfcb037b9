import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { editCase } from '../../src/features/cases/service.ts';
import { cases, fixChecks } from '../../src/infra/schema/index.ts';
import { type Browser, describeBrowser, expectAccessible, launchBrowser } from '../helpers/browser.ts';
import { fileCase } from '../helpers/cases.ts';
import { createUser, type TestContext } from '../helpers/context.ts';
import { seedBasics } from '../helpers/fixtures.ts';
import { startServer } from '../helpers/server.ts';

/** "Ist es wirklich behoben?" in a real browser: the question page and both answers, at desk and phone width. */
describeBrowser('fix check page', () => {
  let server: TestContext & { baseUrl: string };
  let browser: Browser;
  let staff: { id: number; role: 'admin'; teamIds: number[]; displayName: string };
  let categoryId: number;

  /** A resolved web report whose reporter was just asked: the link of the question. */
  async function askedLink(): Promise<{ url: string; caseId: number }> {
    const filed = await fileCase(server, {
      categoryId,
      description: 'Die Laterne am Spielplatz ist dunkel.',
      reporterName: 'Erika Musterfrau',
      reporterEmail: `erika-${Math.random().toString(36).slice(2)}@example.org`,
    });
    const [row] = await server.db.select().from(cases).where(eq(cases.id, filed.caseId));
    if (!row) throw new Error('case vanished');
    const deps = { db: server.db, queue: server.queue, clock: server.clock, channels: server.channels, config: server.config };
    await editCase(deps, staff, row.id, {
      type: row.type,
      categoryId: row.categoryId,
      teamId: row.teamId,
      priority: row.priority,
      status: 'resolved',
      version: row.version,
    });
    // The job's part (sending) is tested elsewhere; here the question has just gone out.
    const [check] = await server.db.update(fixChecks).set({ askedAt: new Date() }).where(eq(fixChecks.caseId, row.id)).returning();
    if (!check) throw new Error('no fix check planned');
    return { url: `${server.baseUrl}/behoben/${check.token}`, caseId: row.id };
  }

  beforeAll(async () => {
    server = await startServer();
    const town = await seedBasics(server.db);
    categoryId = town.categories.streetLight.id;
    const admin = await createUser(server, { role: 'admin', name: 'Anna Admin' });
    staff = { id: admin.id, role: 'admin', teamIds: [], displayName: 'Anna Admin' };
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const width of [1280, 390]) {
    it(`asks, and "Ja, behoben" thanks and stays answered, at ${width} px, axe clean`, async () => {
      const { url } = await askedLink();
      const page = await browser.newPage();
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${url}?antwort=ja`);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Ist es wirklich behoben?');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await expectAccessible(page, `fix check question at ${width} px`);
      await page.getByRole('button', { name: 'Ja, behoben' }).click();
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Danke für Ihre Antwort!');
      await expectAccessible(page, `fix check "ja" at ${width} px`);
      await page.goto(url);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Diese Frage haben Sie schon beantwortet');
      await expectAccessible(page, `fix check answered at ${width} px`);
      await page.close();
    }, 90_000);

    it(`"Nein, noch nicht" with a comment reopens the case, at ${width} px, axe clean`, async () => {
      const { url, caseId } = await askedLink();
      const page = await browser.newPage();
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${url}?antwort=nein`);
      await page.getByLabel('Möchten Sie uns noch etwas sagen?').fill('Sie flackert schon wieder.');
      await page.getByRole('button', { name: 'Nein, noch nicht' }).click();
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Danke für Ihre Antwort!');
      await expect(page.getByText('Ihr Anliegen ist wieder in Bearbeitung').isVisible()).resolves.toBe(true);
      await expectAccessible(page, `fix check "nein" at ${width} px`);
      const [row] = await server.db.select().from(cases).where(eq(cases.id, caseId));
      expect(row?.status).toBe('in_progress');
      await page.close();
    }, 90_000);
  }
});
