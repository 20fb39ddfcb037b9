import { and, asc, eq, isNotNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDemoTown } from '../../src/features/admin/seed/index.ts';
import type { DuplicateCandidate } from '../../src/features/duplicates/detect.ts';
import { DuplicateOfferPage } from '../../src/features/duplicates/views/offer.tsx';
import { emptyForm } from '../../src/features/intake/form.ts';
import {
  caseReporters,
  cases,
  publicCases,
  replyTemplates,
  routingHints,
  routingRules,
  slaPolicies,
  teams,
  users,
} from '../../src/infra/schema/index.ts';
import { renderPage } from '../../src/ui/render.ts';
import { createTestContext, createUser, describeDb, type TestContext, type TestUser } from '../helpers/context.ts';
import { publicRoutes, staffRoutes } from './routes.ts';
import { type Slip, slips, slipsIn, visibleText } from './slips.ts';

describe('the slip finder itself', () => {
  it('finds each kind of slip in visible text and ignores markup, scripts and form contents', () => {
    const page = (text: string) => `<html><body><main><p>${text}</p></main></body></html>`;
    const examples: Record<string, string> = {
      'bei neue\\b': 'greift bei neue Anliegen',
      'die nach demselben klingt': 'eine Meldung, die nach demselben klingt.',
      'Sicherheit 0 %': 'Leitstelle (Sicherheit 0 %)',
      haben: 'Sie haben haben es geschafft',
      '\\S {2,}\\S': 'zwei  Leerzeichen',
      Submit: 'Submit',
      undefined: 'Frist: undefined',
      'object Object': 'Team: [object Object]',
    };
    for (const [key, text] of Object.entries(examples)) {
      const slip = slips.find((s: Slip) => s.pattern.source.includes(key));
      expect(slip, key).toBeDefined();
      expect(slipsIn(page(text), [slip as Slip]), key).toHaveLength(1);
    }
    expect(slipsIn('<p>bei neuen Anliegen</p><script>var x = null; "Submit"</script><textarea>wie  getippt</textarea>')).toEqual([]);
    expect(slipsIn('<input value="null"><p>Dem Anliegen wurde Lea zugewiesen.</p>')).toEqual([]);
    expect(visibleText('<p>a &amp; b</p><p> </p>')).toEqual(['a & b']);
  });
});

/**
 * Every staff and public page of the demo town, signed in as an administrator (who sees all), read
 * as a German reader would: none of the known slips in test/german/slips.ts may appear.
 */
describeDb('German on every page', () => {
  let ctx: TestContext;
  let admin: TestUser;
  const values: Record<string, string> = {};

  beforeAll(async () => {
    ctx = await createTestContext();
    await ensureDemoTown({ ...ctx, db: ctx.db }, { townName: 'Musterstadt' });
    admin = await createUser(ctx, { role: 'admin', name: 'Ada Admin' });
    const first = async <T>(rows: Promise<T[]>) => (await rows)[0];
    const open = await ctx.db.select({ id: cases.id, number: cases.number, token: cases.trackingToken }).from(cases).orderBy(asc(cases.id));
    const [one, two, three] = [open[0], open[Math.floor(open.length / 2)], open[open.length - 1]];
    if (!one || !two || !three) throw new Error('the demo town has no cases');
    values.caseNumber = one.number;
    values.otherCaseNumber = two.number;
    values.hintCaseNumber = three.number;
    values.trackingToken = three.token;
    // A "Zuständigkeit prüfen" hint, as intake writes it, so its panel is read too.
    const [ordnung, leit] = await ctx.db.select({ id: teams.id, name: teams.name }).from(teams).orderBy(asc(teams.id)).limit(2);
    if (ordnung && leit) {
      await ctx.db
        .insert(routingHints)
        .values({
          caseId: three.id,
          kind: 'team_conflict',
          ruleTeamId: ordnung.id,
          classifierTeamId: leit.id,
          confidence: 0.97,
          details: {
            source: 'rule',
            ruleName: 'Lärm → Ordnungsamt',
            categoryName: 'Lärm',
            ruleTeamName: ordnung.name,
            classifierTeamName: leit.name,
          },
        })
        .onConflictDoNothing();
    }
    const published = await first(ctx.db.select({ number: publicCases.number }).from(publicCases).limit(1));
    if (published) values.publicNumber = published.number;
    const follower = await first(
      ctx.db
        .select({ token: caseReporters.trackingToken })
        .from(caseReporters)
        .where(and(eq(caseReporters.kind, 'follower'), isNotNull(caseReporters.trackingToken)))
        .limit(1),
    );
    if (follower?.token) values.followToken = follower.token;
    const ids = async (table: typeof teams | typeof users | typeof slaPolicies | typeof routingRules | typeof replyTemplates) =>
      (await ctx.db.select({ id: table.id }).from(table).limit(1))[0]?.id;
    for (const [key, table] of [
      ['teamId', teams],
      ['userId', users],
      ['policyId', slaPolicies],
      ['ruleId', routingRules],
      ['templateId', replyTemplates],
    ] as const) {
      const id = await ids(table);
      if (id !== undefined) values[key] = String(id);
    }
  }, 240_000);
  afterAll(() => ctx?.close());

  const fill = (route: string) => {
    let missing: string | null = null;
    const url = route.replace(/:([A-Za-z]+)/g, (_, key: string) => {
      const v = values[key];
      if (v === undefined) missing = key;
      return encodeURIComponent(v ?? '');
    });
    return { url, missing };
  };

  async function walk(routes: readonly string[], cookie: string) {
    const problems: string[] = [];
    const skipped: string[] = [];
    for (const route of routes) {
      const { url, missing } = fill(route);
      if (missing) {
        skipped.push(`${route} (kein Wert für ${missing})`);
        continue;
      }
      const res = await ctx.app.inject({ url, headers: { cookie, accept: 'text/html' } });
      if (res.statusCode !== 200) {
        problems.push(`${url}: HTTP ${res.statusCode}`);
        continue;
      }
      for (const slip of slipsIn(res.body)) problems.push(`${url}: ${slip}`);
    }
    return { problems, skipped };
  }

  it('staff and admin pages', { timeout: 180_000 }, async () => {
    const { problems, skipped } = await walk(staffRoutes, admin.cookie);
    expect(problems).toEqual([]);
    expect(skipped).toEqual([]);
    // The walk did read the hint panel.
    const hint = await ctx.app.inject({
      url: `/staff/faelle/${values.hintCaseNumber}`,
      headers: { cookie: admin.cookie, accept: 'text/html' },
    });
    expect(hint.body).toContain('Zuständigkeit prüfen');
  });

  it('public pages', { timeout: 120_000 }, async () => {
    const { problems, skipped } = await walk(publicRoutes, '');
    expect(problems).toEqual([]);
    // The demo may publish nothing or have no follower yet; everything else is read.
    expect(skipped.filter((s) => !s.startsWith('/meldungen/:publicNumber') && !s.startsWith('/folgen/'))).toEqual([]);
  });

  it('the duplicate offer, with one and with several similar reports', () => {
    const candidate = (id: number): DuplicateCandidate => ({
      id,
      number: `2026-0000${id}`,
      status: 'new',
      description: 'Laterne dunkel',
      locationText: null,
      categoryName: 'Straßenbeleuchtung',
      createdAt: new Date('2026-03-02T09:00:00Z'),
      teamId: null,
      version: 1,
      distanceM: 20,
      similarity: 0.9,
      score: 0.9,
    });
    for (const list of [[candidate(1)], [candidate(1), candidate(2)]]) {
      const html = renderPage(
        DuplicateOfferPage({
          ctx: { townName: 'Musterstadt' },
          values: emptyForm('n'),
          candidates: list,
          photoCount: 0,
          locationFromPhoto: false,
          staleMessage: 'Diese Meldung ist inzwischen erledigt.',
        }),
      );
      expect(slipsIn(html)).toEqual([]);
      expect(html).toContain(list.length > 1 ? 'die nach demselben Anliegen klingen' : 'die nach demselben Anliegen klingt');
    }
  });
});
