import { afterAll, beforeAll, expect, it } from 'vitest';
import { fileCase } from '../../../test/helpers/cases.ts';
import { createTestContext, describeDb, type TestContext } from '../../../test/helpers/context.ts';
import { projectionRowForTest } from '../../../test/helpers/public-cases.ts';

const HOUR = 3_600_000;

describeDb('public statistics', () => {
  let ctx: TestContext;

  /** Files and publishes `n` cases with the given public facts; returns nothing personal to check later. */
  async function published(
    n: number,
    facts: { category: string; team: string; answerAfterH?: number; resolvedAfterH?: number; confirmed?: boolean },
  ) {
    for (let i = 0; i < n; i++) {
      const c = await fileCase(ctx, { reporterName: 'Erika Musterfrau', reporterEmail: 'erika@example.org' });
      if (c.outcome !== 'created') throw new Error('expected a new case');
      const reportedAt = new Date(Date.now() - 10 * 24 * HOUR);
      await projectionRowForTest(ctx.db, c.caseId, {
        categoryName: facts.category,
        teamName: facts.team,
        reportedAt,
        firstAnswerAt: facts.answerAfterH === undefined ? null : new Date(reportedAt.getTime() + facts.answerAfterH * HOUR),
        closedAt: facts.resolvedAfterH === undefined ? null : new Date(reportedAt.getTime() + facts.resolvedAfterH * HOUR),
        status: facts.resolvedAfterH === undefined ? 'in_progress' : 'resolved',
        confirmedFixed: facts.confirmed ?? null,
      });
    }
  }

  beforeAll(async () => {
    ctx = await createTestContext();
    await published(7, { category: 'Straßenbeleuchtung', team: 'Stadtwerke', answerAfterH: 2, resolvedAfterH: 30, confirmed: true });
    await published(5, { category: 'Müll', team: 'Bauhof', answerAfterH: 4 });
    await published(2, { category: '=HYPERLINK("x")', team: 'Bauhof' });
    // Filed, never published: must not count anywhere.
    for (let i = 0; i < 6; i++) await fileCase(ctx, { description: 'Geheimes Anliegen ohne Veröffentlichung' });
  });
  afterAll(() => ctx.close());

  it('counts published cases per category and hides small cells, also the one that would give them away', async () => {
    const res = await ctx.app.inject({ url: '/statistik', headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(200);
    const html = res.body;
    expect(html).toMatch(/Straßenbeleuchtung<\/th><td[^>]*>7</);
    // 2 would be 14 − 7 − 5: so the 5 is hidden as well.
    expect(html).toMatch(/Müll<\/th><td[^>]*>nicht ausgewiesen</);
    expect(html).toContain('nicht ausgewiesen');
    expect(html).toContain('role="img"');
    expect(html).not.toContain('Erika');
    expect(html).not.toContain('erika@example.org');
  });

  it('shows median and 90th percentile only for groups of five or more', async () => {
    const html = (await ctx.app.inject({ url: '/statistik', headers: { accept: 'text/html' } })).body;
    const firstAnswer = html.slice(html.indexOf('Bis zur ersten Antwort, nach Team'), html.indexOf('Bis zur Erledigung, nach Team'));
    expect(firstAnswer).toContain('Stadtwerke');
    expect(firstAnswer).toContain('2 Stunden');
    // Bauhof has 5 answered cases (the two without an answer do not count).
    expect(firstAnswer).toContain('Bauhof');
    const resolution = html.slice(html.indexOf('Bis zur Erledigung, nach Team'), html.indexOf('Bis zur ersten Antwort, nach Kategorie'));
    expect(resolution).toContain('30 Stunden');
    expect(resolution).not.toContain('Bauhof');
    expect(html).toContain('sagen 100');
  });

  it('offers the same numbers as CSV, safe to open in a spreadsheet', async () => {
    const res = await ctx.app.inject({ url: '/statistik.csv' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toContain('statistik.csv');
    const lines = res.body.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe('Tabelle;Gruppe;Meldungen;Median (Stunden);90-%-Wert (Stunden)');
    expect(lines).toContain('Meldungen nach Kategorie;Straßenbeleuchtung;7;;');
    expect(lines).toContain('Meldungen nach Kategorie;Müll;;;');
    // A category name that looks like a formula is quoted and defused.
    expect(res.body).toContain(`"'=HYPERLINK(""x"")"`);
    expect(lines).toContain('Bis zur Erledigung, nach Team;Stadtwerke;7;30;30');
  });

  it('counts only published cases', async () => {
    const lines = (await ctx.app.inject({ url: '/statistik.csv' })).body.split('\r\n');
    const months = lines.filter((l) => l.startsWith('Meldungen pro Monat;'));
    const total = months.reduce((s, l) => s + Number(l.split(';')[2] || 0), 0);
    expect(total).toBe(14);
  });
});
