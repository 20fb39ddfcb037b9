import { eq, inArray } from 'drizzle-orm';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cases, replyTemplates } from '../../src/infra/schema/index.ts';
import { type Browser, describeBrowser, expectAccessible, launchBrowser } from '../helpers/browser.ts';
import { fileCase, postForm } from '../helpers/cases.ts';
import { createUser, eventually, type TestUser } from '../helpers/context.ts';
import { seedBasics } from '../helpers/fixtures.ts';
import { startServer } from '../helpers/server.ts';

/**
 * A clerk writes a Textbaustein, fills a reply with it (instantly with JavaScript, by a page round
 * trip without), sees a colleague's change announced live, uses the keyboard help, and closes two
 * cases at once from the inbox. axe checks every state on the way.
 */
describeBrowser('inbox together: Textbausteine, live notice, shortcuts, bulk close', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  let noJs: Browser;
  let lea: TestUser;
  let carl: TestUser;
  let town: Awaited<ReturnType<typeof seedBasics>>;

  const signIn = async (context: BrowserContext, user: TestUser) => {
    const [name, value] = user.cookie.split('=') as [string, string];
    await context.addCookies([{ name, value, url: server.baseUrl }]);
  };

  beforeAll(async () => {
    server = await startServer();
    town = await seedBasics(server.db);
    lea = await createUser(server, { teamIds: [town.teams.leitstelle.id], name: 'Lea Leitstelle' });
    carl = await createUser(server, { teamIds: [town.teams.leitstelle.id], name: 'Carl Kollege' });
    browser = await launchBrowser();
    noJs = await launchBrowser({ javaScriptEnabled: false });
    await signIn(browser.context, lea);
    await signIn(noJs.context, lea);
  });
  afterAll(async () => {
    await browser?.close();
    await noJs?.close();
    await server?.close();
  });

  it('writes a Textbaustein and fills the reply with it, then hears about a colleague’s change', { timeout: 120_000 }, async () => {
    const kase = await fileCase(server, { reporterName: 'Erika Mustermann', description: 'Laterne in der Hafenstraße ist aus.' });
    const page = await browser.newPage();
    await page.goto(`${server.baseUrl}/staff/textbausteine`);
    await expectAccessible(page, 'Textbausteine');
    await page.getByLabel('Name', { exact: true }).fill('Laterne repariert');
    await page.getByLabel('Text', { exact: true }).fill('Die Laterne zu {{vorgang}} leuchtet wieder, {{name}}. Gruß vom Team {{team}}!');
    await page.getByRole('button', { name: 'Textbaustein anlegen' }).click();
    await page.getByText('Der Textbaustein ist angelegt.').waitFor();
    await expectAccessible(page, 'Textbaustein angelegt');

    const streamOpen = page.waitForResponse((r) => r.url().includes('/staff/live?fall='));
    await page.goto(`${server.baseUrl}/staff/faelle/${kase.number}`);
    expect((await streamOpen).status()).toBe(200);
    await expectAccessible(page, 'case page with template picker');
    const reply = page.getByLabel('Antwort an die meldende Person');
    await reply.fill('Vorab:');
    await page.getByLabel('Textbaustein').selectOption({ label: 'Laterne repariert' });
    await page.getByRole('button', { name: 'Einfügen' }).click();
    // With JavaScript the box is filled in place: no navigation, and what was typed stays.
    expect(page.url()).toBe(`${server.baseUrl}/staff/faelle/${kase.number}`);
    expect(await reply.inputValue()).toBe(
      `Vorab:\n\nDie Laterne zu ${kase.number} leuchtet wieder, Erika Mustermann. Gruß vom Team Leitstelle!`,
    );

    // A colleague writes a note on the same case meanwhile.
    const note = await postForm(server, `/staff/faelle/${kase.number}`, `/staff/faelle/${kase.number}/notiz`, carl.cookie, {
      version: '1',
      body: 'Der Elektriker war schon da.',
    });
    expect(note.statusCode).toBe(303);
    await page.getByText('Dieses Anliegen wurde gerade von Carl Kollege geändert.').waitFor({ timeout: 10_000 });
    await expectAccessible(page, 'case page with live notice');
    // The typed reply is untouched by the notice.
    expect(await reply.inputValue()).toContain('leuchtet wieder');
  });

  it('fills the reply by a page round trip without JavaScript', { timeout: 60_000 }, async () => {
    const kase = await fileCase(server, { reporterName: 'Max Muster' });
    const [template] = await server.db
      .insert(replyTemplates)
      .values({
        teamId: town.teams.leitstelle.id,
        title: 'Ohne Skript',
        body: 'Hallo {{name}}, Vorgang {{vorgang}} ist erledigt. {{gibtsnicht}}',
      })
      .returning();
    const page = await noJs.newPage();
    await page.goto(`${server.baseUrl}/staff/faelle/${kase.number}`);
    await page.getByLabel('Textbaustein').selectOption({ label: 'Ohne Skript' });
    await page.getByRole('button', { name: 'Einfügen' }).click();
    await page.waitForURL(/vorlage=/);
    expect(page.url()).toContain(`vorlage=${template?.id}`);
    expect(await page.getByLabel('Antwort an die meldende Person').inputValue()).toBe(
      `Hallo Max Muster, Vorgang ${kase.number} ist erledigt. {{gibtsnicht}}`,
    );
    // No axe here: it runs as a script, which this browser refuses; the same page passed axe above.
  });

  it('shows the shortcut help, assigns by keyboard and closes two cases at once', { timeout: 120_000 }, async () => {
    const [a, b] = [await fileCase(server, { description: 'Bank kaputt' }), await fileCase(server, { description: 'Mülleimer voll' })];
    const page = await browser.newPage();
    await page.goto(`${server.baseUrl}/staff`);
    await expectAccessible(page, 'inbox');
    await page.keyboard.press('?');
    await page.getByRole('heading', { name: 'Tastenkürzel im Posteingang' }).waitFor();
    await expectAccessible(page, 'shortcut help');
    await page.keyboard.press('Escape');
    // Typing in the search never triggers shortcuts.
    await page.keyboard.press('/');
    await page.keyboard.type('jka');
    expect(await page.getByLabel('Suche').inputValue()).toBe('jka');
    await page.getByLabel('Suche').fill('');
    await page.locator('h1').click();

    // The newest case (b) is first: mark it with j and take it with a.
    await page.keyboard.press('j');
    await page.keyboard.press('a');
    await page.waitForURL(`${server.baseUrl}/staff?ok=sammelaktion`);
    await eventually(async () => (await server.db.select().from(cases).where(eq(cases.id, b.caseId)))[0]?.assigneeId === lea.id);

    // Tag both, then follow a tag to the inbox filtered by it.
    await page.getByLabel(`${a.number} auswählen`).check();
    await page.getByLabel(`${b.number} auswählen`).check();
    await page.getByLabel('Aktion').selectOption({ value: 'markieren' });
    await page.getByLabel('Schlagwort', { exact: true }).fill('Winterdienst');
    await page.getByRole('button', { name: 'Auf ausgewählte Anliegen anwenden' }).click();
    await page.getByRole('link', { name: 'Winterdienst' }).first().click();
    await page.waitForURL(/schlagwort=Winterdienst/);
    expect(await page.getByLabel('Mit Schlagwort').inputValue()).toBe('Winterdienst');
    await expectAccessible(page, 'inbox filtered by a tag');

    await page.getByLabel(`${a.number} auswählen`).check();
    await page.getByLabel(`${b.number} auswählen`).check();
    await page.getByLabel('Aktion').selectOption({ label: 'als erledigt schließen' });
    await page.getByRole('button', { name: 'Auf ausgewählte Anliegen anwenden' }).click();
    await page.getByText('Erledigt: Alle ausgewählten Anliegen sind geändert.').waitFor();
    await expectAccessible(page, 'inbox after bulk close');
    const rows = await server.db
      .select()
      .from(cases)
      .where(inArray(cases.id, [a.caseId, b.caseId]));
    expect(rows.map((r) => r.status)).toEqual(['resolved', 'resolved']);
  });

  it('puts a new case on top of the live inbox, and only counts one the view would not list', { timeout: 120_000 }, async () => {
    await fileCase(server, { description: 'Schon da, damit die Liste nicht leer ist.' });
    const page = await browser.newPage();
    const streamOpen = page.waitForResponse((r) => new URL(r.url()).pathname === '/staff/live');
    await page.goto(`${server.baseUrl}/staff`);
    expect((await streamOpen).status()).toBe(200);
    await page.waitForTimeout(300);
    const fresh = await fileCase(server, { description: 'Der Brunnen am Marktplatz läuft über.' });
    const top = page.locator('[data-live-rows] tr').first();
    await eventually(async () => (await top.getAttribute('data-case')) === fresh.number, 15_000);
    await expect(top.textContent()).resolves.toContain('Der Brunnen am Marktplatz');
    await page.getByRole('status').getByText(`Neues Anliegen ${fresh.number} oben in der Liste eingefügt.`).waitFor();
    await expectAccessible(page, 'live inbox with an inserted row');

    const ideas = await browser.newPage();
    const ideaStream = ideas.waitForResponse((r) => new URL(r.url()).pathname === '/staff/live');
    await ideas.goto(`${server.baseUrl}/staff?art=idea&status=alle`);
    expect((await ideaStream).status()).toBe(200);
    await ideas.waitForTimeout(300);
    await fileCase(server, { type: 'defect', description: 'Gehört nicht in die Ideen-Ansicht.' });
    await ideas.getByRole('status').getByText('1 neues Anliegen.').waitFor({ timeout: 15_000 });
    expect(await ideas.locator('[data-live-rows] tr', { hasText: 'Gehört nicht' }).count()).toBe(0);
  });
});
