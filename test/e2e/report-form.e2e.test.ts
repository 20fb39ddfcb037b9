import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cases } from '../../src/infra/schema/index.ts';
import { type Browser, describeBrowser, expectAccessible, launchBrowser } from '../helpers/browser.ts';
import type { TestContext } from '../helpers/context.ts';
import { seedBasics } from '../helpers/fixtures.ts';
import { startServer } from '../helpers/server.ts';

/**
 * The report form's client islands in a real browser: the map pin writes the hidden lat/lon
 * inputs (by click, by "map centre" for keyboard users, and is removable), and the photo preview
 * warns about a file over the limit before anything is uploaded.
 */
describeBrowser('report form islands (map pin, photo preview)', () => {
  let server: TestContext & { baseUrl: string };
  let browser: Browser;
  let dir: string;
  beforeAll(async () => {
    // Tiles point at a closed port: the map must work without them, as it does offline.
    server = await startServer({ env: { MAX_PHOTO_MB: '0.05', MAP_TILE_URL: 'http://127.0.0.1:9/{z}/{x}/{y}.png' } });
    await seedBasics(server.db);
    browser = await launchBrowser();
    dir = mkdtempSync(join(tmpdir(), 'amtsblatt-e2e-photos-'));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sets, moves and removes a pin, and the pin arrives with the report', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.baseUrl}/melden`);
    const block = page.locator('[data-map-picker]');
    await expect(block.isVisible()).resolves.toBe(true);
    await expectAccessible(page, 'report form with map');

    await page.locator('[data-map]').click({ position: { x: 120, y: 90 } });
    const lat = page.locator('input[name="lat"]');
    const lon = page.locator('input[name="lon"]');
    await expect(lat.inputValue()).resolves.toMatch(/^47\.\d{6}$/);
    await expect(lon.inputValue()).resolves.toMatch(/^9\.\d{6}$/);
    await expect(page.locator('[data-status]').textContent()).resolves.toContain('Markierung gesetzt');

    await page.getByRole('button', { name: 'Markierung entfernen' }).click();
    await expect(lat.inputValue()).resolves.toBe('');
    await expect(lon.inputValue()).resolves.toBe('');

    await page.getByRole('button', { name: 'Markierung in die Kartenmitte setzen' }).click();
    await expect(lat.inputValue()).resolves.toBe('47.663300');
    await expect(lon.inputValue()).resolves.toBe('9.175300');

    await page.getByLabel('Beschreibung').fill('Der Mülleimer am Seeufer quillt über.');
    await page.getByLabel('Datenschutz', { exact: false }).check();
    await page.getByRole('button', { name: 'Anliegen absenden' }).click();
    await page.waitForURL(/\/melden\/danke\//);
    const token = page.url().split('/').pop() ?? '';
    const [row] = await server.db.select().from(cases).where(eq(cases.trackingToken, token));
    expect(row?.lat).toBe(47.6633);
    expect(row?.lon).toBe(9.1753);
  });

  it('shows the pin again after a form error', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.baseUrl}/melden`);
    await page.getByRole('button', { name: 'Markierung in die Kartenmitte setzen' }).click();
    await page.getByRole('button', { name: 'Anliegen absenden' }).click();
    await expect(page.locator('.error-summary').textContent()).resolves.toContain('beschreiben');
    await expect(page.locator('input[name="lat"]').inputValue()).resolves.toBe('47.663300');
    await expect(page.locator('.leaflet-marker-icon').count()).resolves.toBe(1);
    await expectAccessible(page, 'report form with errors and a pin');
  });

  it('previews photos and warns about one over the limit before uploading', async () => {
    const small = join(dir, 'klein.jpg');
    const big = join(dir, 'gross.png');
    writeFileSync(
      small,
      await sharp({ create: { width: 60, height: 40, channels: 3, background: '#357' } })
        .jpeg()
        .toBuffer(),
    );
    writeFileSync(big, Buffer.alloc(80 * 1024, 1));
    const page = await browser.newPage();
    await page.goto(`${server.baseUrl}/melden`);
    await page.setInputFiles('input[type=file]', [small]);
    await expect(page.locator('#photo-preview li').count()).resolves.toBe(1);
    await expect(page.locator('#photo-preview').textContent()).resolves.toContain('klein.jpg');

    await page.setInputFiles('input[type=file]', [small, big]);
    await expect(page.locator('#photo-preview .kern-error').textContent()).resolves.toContain('„gross.png“ ist');
    await page.getByLabel('Beschreibung').fill('Test');
    await page.getByLabel('Datenschutz', { exact: false }).check();
    await page.getByRole('button', { name: 'Anliegen absenden' }).click();
    // The submit was held back in the browser: still on the form, nothing stored.
    expect(new URL(page.url()).pathname).toBe('/melden');
    await expect(page.locator('input[type=file]').evaluate((el) => el === document.activeElement)).resolves.toBe(true);
  });
});
