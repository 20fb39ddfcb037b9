import { afterAll, beforeAll, expect, it } from 'vitest';
import { fileCase } from '../../../test/helpers/cases.ts';
import { createTestContext, describeDb, type TestContext } from '../../../test/helpers/context.ts';
import { projectionRowForTest } from '../../../test/helpers/public-cases.ts';
import { fixChecks } from '../../infra/schema/index.ts';

const DAY = 24 * 3_600_000;

describeDb('statistics: Ist es wirklich behoben?', () => {
  let ctx: TestContext;
  let token = 0;

  /** `n` published resolved cases of a category and team; `answer` undefined: never asked. */
  async function published(n: number, facts: { category: string; team: string; answer?: 'yes' | 'no' | null }) {
    for (let i = 0; i < n; i++) {
      const c = await fileCase(ctx, { reporterName: 'Erika Musterfrau', reporterEmail: 'erika@example.org' });
      const reportedAt = new Date(Date.now() - 20 * DAY);
      const closedAt = new Date(reportedAt.getTime() + DAY);
      await projectionRowForTest(ctx.db, c.caseId, {
        categoryName: facts.category,
        teamName: facts.team,
        reportedAt,
        closedAt,
        status: 'resolved',
        confirmedFixed: facts.answer ? facts.answer === 'yes' : null,
      });
      if (facts.answer === undefined) continue;
      const askedAt = new Date(closedAt.getTime() + 5 * DAY);
      await ctx.db.insert(fixChecks).values({
        caseId: c.caseId,
        token: `statistik-token-${String(++token).padStart(8, '0')}`,
        askAt: askedAt,
        askedAt,
        answer: facts.answer,
        answeredAt: facts.answer ? askedAt : null,
      });
    }
  }

  beforeAll(async () => {
    ctx = await createTestContext();
    // Laternen: 10 asked, 6 yes, 4 no → "nein" and the share are hidden.
    await published(6, { category: 'Laternen', team: 'Stadtwerke', answer: 'yes' });
    await published(4, { category: 'Laternen', team: 'Stadtwerke', answer: 'no' });
    // Gehwege: 12 asked, 5 yes, 5 no, 2 without an answer → 50 %.
    await published(5, { category: 'Gehwege', team: 'Bauhof', answer: 'yes' });
    await published(5, { category: 'Gehwege', team: 'Bauhof', answer: 'no' });
    await published(2, { category: 'Gehwege', team: 'Bauhof', answer: null });
    // Bänke: 3 asked → not shown; 9 never asked do not count as asked.
    await published(3, { category: 'Bänke', team: 'Bauhof', answer: 'yes' });
    await published(9, { category: 'Bänke', team: 'Bauhof' });
  });
  afterAll(() => ctx.close());

  it('shows asked, "ja", "nein" and the share per category and team, hiding cells under five', async () => {
    const res = await ctx.app.inject({ url: '/statistik', headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(200);
    const section = res.body.slice(res.body.indexOf('id="behoben"'));
    const byCategory = section.slice(section.indexOf('Wirklich behoben? Nach Kategorie'), section.indexOf('Wirklich behoben? Nach Team'));
    const cells = (key: string, html: string) =>
      [...(new RegExp(`${key}</th>(.*?)</tr>`).exec(html)?.[1] ?? '').matchAll(/<td[^>]*>([^<]*)</g)].map((m) => m[1]);
    expect(cells('Gehwege', byCategory)).toEqual(['12', '5', '5', '50\u00a0%']);
    expect(cells('Laternen', byCategory)).toEqual(['10', '6', 'nicht ausgewiesen', 'nicht ausgewiesen']);
    expect(byCategory).not.toContain('Bänke');
    const byTeam = section.slice(section.indexOf('Wirklich behoben? Nach Team'));
    // Bauhof: 12 + 3 asked, 8 yes, 5 no.
    expect(cells('Bauhof', byTeam)).toEqual(['15', '8', '5', '62\u00a0%']);
    expect(section).toContain('id="chart-behoben-t"');
    expect(res.body).not.toContain('Erika');
  });

  it('has the same numbers in the CSV, one row per measure', async () => {
    const lines = (await ctx.app.inject({ url: '/statistik.csv' })).body.split('\r\n');
    expect(lines).toContain('Wirklich behoben? Gefragt, nach Kategorie;Gehwege;12;;');
    expect(lines).toContain('Wirklich behoben? Antwort „ja“, nach Kategorie;Gehwege;5;;');
    expect(lines).toContain('Wirklich behoben? Antwort „nein“, nach Kategorie;Laternen;;;');
    expect(lines).toContain('Wirklich behoben? Antwort „nein“, nach Team;Bauhof;5;;');
    expect(lines.some((l) => l.includes('Bänke') && l.startsWith('Wirklich behoben?'))).toBe(false);
  });
});
