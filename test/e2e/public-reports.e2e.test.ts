import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Browser, describeBrowser, expectAccessible, launchBrowser } from '../helpers/browser.ts';
import { fileCase } from '../helpers/cases.ts';
import type { TestContext } from '../helpers/context.ts';
import { seedBasics } from '../helpers/fixtures.ts';
import { projectionRowForTest } from '../helpers/public-cases.ts';
import { startServer } from '../helpers/server.ts';

/**
 * /meldungen in a real browser: with JavaScript the map loads the markers of its box and a marker's
 * popup leads to the case page; without it the list is the page and the filters still work. Both
 * pass axe (WCAG 2.1 AA) on a desktop and a phone width.
 */
describeBrowser('public reports (map and list)', () => {
  let server: TestContext & { baseUrl: string };
  let withJs: Browser;
  let withoutJs: Browser;
  const published: { number: string }[] = [];
  let secret: { number: string };

  const sizes = [
    { width: 1280, height: 900 },
    { width: 390, height: 844 },
  ];

  beforeAll(async () => {
    // Tiles point at a closed port: the map must work without them, as it does offline.
    server = await startServer({ env: { MAP_TILE_URL: 'http://127.0.0.1:9/{z}/{x}/{y}.png' } });
    const town = await seedBasics(server.db);
    // Around the configured map centre (47.6633, 9.1753), far enough apart not to cluster at zoom 14.
    const spots = [
      { lat: 47.6633, lon: 9.1753, status: 'in_progress' as const },
      { lat: 47.6693, lon: 9.1633, status: 'resolved' as const },
      { lat: 47.6573, lon: 9.1873, status: 'new' as const },
    ];
    for (const [i, s] of spots.entries()) {
      const c = await fileCase(server, {
        description: `Laterne Nummer ${i + 1} ist dunkel`,
        categoryId: town.categories.streetLight.id,
        lat: s.lat,
        lon: s.lon,
      });
      await projectionRowForTest(server.db, c.caseId, { status: s.status });
      published.push(c);
    }
    const noPoint = await fileCase(server, { description: 'Idee ohne Ort: ein Trinkbrunnen', type: 'idea' });
    await projectionRowForTest(server.db, noPoint.caseId);
    published.push(noPoint);
    secret = await fileCase(server, { description: 'Nicht veröffentlicht', lat: 47.6634, lon: 9.1754 });
    withJs = await launchBrowser();
    withoutJs = await launchBrowser({ javaScriptEnabled: false });
  }, 60_000);
  afterAll(async () => {
    await withJs?.close();
    await withoutJs?.close();
    await server?.close();
  });

  const markerOf = (page: Page, number: string) => page.locator(`.leaflet-marker-icon[title^="Meldung ${number}:"]`);

  it.each(sizes)(
    'loads the markers of the box; a marker’s popup links to the case page ($width px, axe clean)',
    async (size) => {
      const page = await withJs.newPage();
      await page.setViewportSize(size);
      await page.goto(`${server.baseUrl}/meldungen`);
      await expect(page.locator('[data-public-map]').isVisible()).resolves.toBe(true);
      const [first, second, third] = published;
      await markerOf(page, first?.number ?? '').waitFor();
      await expect(markerOf(page, second?.number ?? '').count()).resolves.toBe(1);
      await expect(markerOf(page, third?.number ?? '').count()).resolves.toBe(1);
      await expect(markerOf(page, secret.number).count()).resolves.toBe(0);
      await expect(page.locator('[data-status]').textContent()).resolves.toBe('3 Meldungen im Kartenausschnitt.');
      await expectAccessible(page, `/meldungen with map at ${size.width} px`);

      await markerOf(page, first?.number ?? '').click();
      const link = page.getByRole('link', { name: `Meldung ${first?.number} öffnen` });
      await expect(page.locator('.leaflet-popup-content').textContent()).resolves.toContain('Status: in Bearbeitung');
      await link.click();
      await page.waitForURL(`${server.baseUrl}/meldungen/${first?.number}`, { waitUntil: 'domcontentloaded' });
      await expect(page.locator('h1').textContent()).resolves.toBe(`Meldung ${first?.number}`);
      await expectAccessible(page, `case page at ${size.width} px`);
      await page.close();
    },
    120_000,
  );

  // axe itself needs JavaScript: the page without the map's script is what a browser without JavaScript shows.
  it.each(sizes)(
    'the list without the map script passes axe, also with a filter error ($width px)',
    async (size) => {
      const page = await withJs.newPage();
      await page.setViewportSize(size);
      await page.route('**/assets/js/public-map.js', (route) => route.abort());
      await page.goto(`${server.baseUrl}/meldungen`);
      await expect(page.locator('[data-public-map]').isVisible()).resolves.toBe(false);
      await expectAccessible(page, `/meldungen without the map at ${size.width} px`);
      await page.goto(`${server.baseUrl}/meldungen?seite=-1&status=kaputt`);
      await expectAccessible(page, `/meldungen with filter errors at ${size.width} px`);
      await page.close();
    },
    120_000,
  );

  it('keeps the list filters on the map', async () => {
    const page = await withJs.newPage();
    await page.goto(`${server.baseUrl}/meldungen?status=resolved`);
    await markerOf(page, published[1]?.number ?? '').waitFor();
    await expect(page.locator('.leaflet-marker-icon').count()).resolves.toBe(1);
    await page.close();
  });

  it.each(sizes)(
    'without JavaScript the list is the page, and the filter form works ($width px)',
    async (size) => {
      const page = await withoutJs.newPage();
      await page.setViewportSize(size);
      await page.goto(`${server.baseUrl}/meldungen`);
      await expect(page.locator('[data-public-map]').isVisible()).resolves.toBe(false);
      await expect(page.getByRole('heading', { name: '4 Meldungen' }).isVisible()).resolves.toBe(true);
      await expect(page.locator('#liste tbody tr').count()).resolves.toBe(4);
      await expect(page.locator('#liste').textContent()).resolves.not.toContain(secret.number);

      await page.getByLabel('Status').selectOption('resolved');
      await page.getByRole('button', { name: 'Filtern' }).click();
      await page.waitForURL(/status=resolved/);
      await expect(page.locator('#liste tbody tr').count()).resolves.toBe(1);
      await page.getByRole('link', { name: published[1]?.number ?? '' }).click();
      await page.waitForURL(`${server.baseUrl}/meldungen/${published[1]?.number}`);
      await expect(page.locator('.facts').textContent()).resolves.toContain('erledigt');

      await page.goto(`${server.baseUrl}/meldungen?seite=-1`);
      await expect(page.locator('.error-summary').textContent()).resolves.toContain('Die Seitenzahl muss');
      await page.close();
    },
    120_000,
  );
});
