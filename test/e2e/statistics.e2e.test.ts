import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Browser, describeBrowser, expectAccessible, launchBrowser } from '../helpers/browser.ts';
import { fileCase } from '../helpers/cases.ts';
import type { TestContext } from '../helpers/context.ts';
import { projectionRowForTest } from '../helpers/public-cases.ts';
import { startServer } from '../helpers/server.ts';

/** /statistik in a real browser: charts and tables readable, at desk and phone width, the page has no script of its own. */
describeBrowser('public statistics page', () => {
  let server: TestContext & { baseUrl: string };
  let browser: Browser;
  beforeAll(async () => {
    server = await startServer();
    for (const [category, n] of [
      ['Straßenbeleuchtung', 9],
      ['Müll und Sauberkeit', 6],
      ['Grünanlagen', 5],
    ] as const) {
      for (let i = 0; i < n; i++) {
        const c = await fileCase(server);
        if (c.outcome !== 'created') throw new Error('expected a new case');
        await projectionRowForTest(server.db, c.caseId, { categoryName: category, teamName: 'Bauhof', firstAnswerAt: new Date() });
      }
    }
    // The page ships no script; axe itself needs JavaScript in the page.
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const width of [1280, 390]) {
    it(`shows the charts and their tables at ${width} px without scrolling sideways, axe clean`, async () => {
      const page = await browser.newPage();
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${server.baseUrl}/statistik`);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('Was uns gemeldet wurde');
      await expect(page.getByRole('img', { name: 'Meldungen nach Kategorie' }).isVisible()).resolves.toBe(true);
      await expect(page.getByRole('table', { name: 'Meldungen nach Kategorie' }).textContent()).resolves.toContain('Straßenbeleuchtung9');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await expectAccessible(page, `statistics at ${width} px`);
      await page.close();
    }, 90_000);
  }
});
