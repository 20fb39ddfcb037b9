import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cases, routingHints, teams } from '../../src/infra/schema/index.ts';
import { type Browser, describeBrowser, expectAccessible, launchBrowser, signInThroughForm } from '../helpers/browser.ts';
import { fileCase } from '../helpers/cases.ts';
import { createUser, type TestContext } from '../helpers/context.ts';
import { seedBasics } from '../helpers/fixtures.ts';
import { startServer } from '../helpers/server.ts';

/**
 * "Zuständigkeit prüfen": a case the category rule sent to the Ordnungsamt while the classifier was
 * 97 % sure of the Leitstelle. A clerk of both teams reads the panel and hands the case over; axe
 * checks the panel and the result at 1280 and 390 px. (Intake writing the hint is proven in
 * src/features/routing/hints/hints.int.test.ts; here it is stored directly to keep the browser test short.)
 */
describeBrowser('routing hint panel on the case page', () => {
  let server: TestContext & { baseUrl: string };
  let browser: Browser;
  let number: string;
  const clerk = { email: 'lea@musterstadt.example', password: 'noch-ein-gutes-passwort' };

  beforeAll(async () => {
    server = await startServer();
    const town = await seedBasics(server.db);
    const [ordnungsamt] = await server.db.insert(teams).values({ slug: 'ordnungsamt', name: 'Ordnungsamt' }).returning();
    if (!ordnungsamt) throw new Error('no team');
    await createUser(server, { ...clerk, name: 'Lea Leitstelle', teamIds: [town.teams.leitstelle.id, ordnungsamt.id] });
    const filed = await fileCase(server, { type: 'complaint', description: 'Die Mülltonne wurde schon wieder nicht abgeholt.' });
    number = filed.number;
    await server.db.update(cases).set({ teamId: ordnungsamt.id }).where(eq(cases.id, filed.caseId));
    await server.db.insert(routingHints).values({
      caseId: filed.caseId,
      kind: 'team_conflict',
      ruleTeamId: ordnungsamt.id,
      classifierTeamId: town.teams.leitstelle.id,
      confidence: 0.97,
      details: {
        source: 'rule',
        ruleName: 'Lärm → Ordnungsamt',
        categoryName: 'Lärm',
        ruleTeamName: 'Ordnungsamt',
        classifierTeamName: 'Leitstelle',
      },
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows both choices, hands the case to the Leitstelle; axe at 1280 and 390 px', { timeout: 120_000 }, async () => {
    const page = await signInThroughForm(browser, server.baseUrl, clerk, `/staff/faelle/${number}`);
    const panel = page.getByRole('region', { name: 'Zuständigkeit prüfen' });
    await panel.waitFor();
    expect(await panel.textContent()).toContain('mit einer Sicherheit von 97 %');
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await expectAccessible(page, `routing hint at ${width} px`);
    }
    await page.getByRole('button', { name: 'Bei Ordnungsamt lassen' }).waitFor();
    await page.getByRole('button', { name: 'An Leitstelle geben' }).click();
    await page.getByText('Die Zuständigkeit ist geprüft: Das Anliegen ist beim anderen Team.').waitFor();
    expect(await page.getByRole('region', { name: 'Zuständigkeit prüfen' }).count()).toBe(0);
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await expectAccessible(page, `after the hand-over at ${width} px`);
    }
  });
});
