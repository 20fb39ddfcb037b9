import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { publishDue } from '../../src/features/amtsblatt/desk/publish.ts';
import { localDateTimeValue } from '../../src/features/amtsblatt/desk/schemas.ts';
import { fixedClock } from '../../src/infra/clock.ts';
import { amtsblattRoles } from '../../src/infra/schema/index.ts';
import { type Browser, describeBrowser, launchBrowser } from '../helpers/browser.ts';
import { createUser, type TestUser } from '../helpers/context.ts';
import { startServer } from '../helpers/server.ts';

/**
 * On a phone (390 px) an editor writes a post with a photo from the camera and its alt text and
 * submits it; a second person approves it, the editor plans it, and at its minute it is published.
 */
describeBrowser('Amtsblatt desk on a phone', () => {
  const clock = fixedClock(new Date(Math.ceil(Date.now() / 60_000) * 60_000));
  let server: Awaited<ReturnType<typeof startServer>>;
  let editorBrowser: Browser;
  let approverBrowser: Browser;
  let editor: TestUser;
  let approver: TestUser;

  beforeAll(async () => {
    server = await startServer({ clock });
    editor = await createUser(server, { name: 'Tobias Krämer' });
    approver = await createUser(server, { name: 'Ingrid Wolf' });
    await server.db.insert(amtsblattRoles).values([
      { userId: editor.id, role: 'editor' },
      { userId: approver.id, role: 'approver' },
    ]);
    editorBrowser = await launchBrowser();
    approverBrowser = await launchBrowser();
    for (const [b, u] of [
      [editorBrowser, editor],
      [approverBrowser, approver],
    ] as const) {
      const [name, value] = u.cookie.split('=') as [string, string];
      await b.context.addCookies([{ name, value, url: server.baseUrl }]);
    }
  });
  afterAll(async () => {
    await editorBrowser?.close();
    await approverBrowser?.close();
    await server?.close();
  });

  it('drafts with a photo, is approved by a second person, scheduled and published', { timeout: 120_000 }, async () => {
    const page = await editorBrowser.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${server.baseUrl}/redaktion/neu`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.getByLabel('Titel').fill('Neue Bänke am Seeufer');
    await page.getByLabel('Text (Markdown)').fill('Am Seeufer stehen **zehn neue Bänke**.');
    await page.locator('#desk-preview strong').getByText('zehn neue Bänke').waitFor();
    const photo = await sharp({ create: { width: 80, height: 60, channels: 3, background: '#6a4' } })
      .jpeg()
      .toBuffer();
    expect(await page.locator('#photos').getAttribute('capture')).toBe('environment');
    await page.locator('#photos').setInputFiles({ name: 'bank.jpg', mimeType: 'image/jpeg', buffer: photo });
    await page.getByLabel('Alternativtext zum neuen Foto').fill('Eine Holzbank mit Blick auf den See');
    await page.getByRole('button', { name: 'Entwurf speichern' }).click();
    await page.getByText('Der Entwurf ist gespeichert.').waitFor();
    expect(await page.locator('img.desk-photo').getAttribute('alt')).toBe('Eine Holzbank mit Blick auf den See');
    await page.getByRole('button', { name: 'Zur Freigabe geben' }).click();
    await page.getByText('Der Beitrag liegt zur Freigabe vor.').waitFor();
    const postUrl = page.url().replace(/\?.*$/, '');

    const second = await approverBrowser.newPage();
    await second.setViewportSize({ width: 390, height: 844 });
    await second.goto(postUrl);
    await second.getByRole('button', { name: 'Freigeben', exact: true }).click();
    await second.getByText('Der Beitrag ist freigegeben.').waitFor();

    await page.goto(postUrl);
    const at = new Date(clock.now().getTime() + 10 * 60_000);
    await page.getByLabel('Erscheinen am').fill(localDateTimeValue(at));
    await page.getByRole('button', { name: 'Planen' }).click();
    await page.getByText('Der Beitrag ist geplant.').waitFor();
    expect(await page.getByTestId('post-status').textContent()).toBe('geplant');

    const desk = {
      db: server.db,
      clock,
      log: server.log,
      storage: server.storage,
      publishers: server.publishers,
      publicUrl: server.config.publicUrl,
    };
    expect(await publishDue(desk)).toEqual([]);
    clock.set(at);
    expect(await publishDue(desk)).toHaveLength(1);
    await page.reload();
    expect(await page.getByTestId('post-status').textContent()).toBe('veröffentlicht');
  });
});
