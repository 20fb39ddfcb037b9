import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { fileCase, postForm, versionOn } from '../../../../test/helpers/cases.ts';
import { type Basics, closedCases } from '../../../../test/helpers/classifier.ts';
import { createTestContext, createUser, describeDb, type TestContext, type TestUser } from '../../../../test/helpers/context.ts';
import { seedBasics } from '../../../../test/helpers/fixtures.ts';
import { auditEvents, cases, categories, routingHints, routingRules, teams } from '../../../infra/schema/index.ts';
import { allJobs } from '../../../jobs.ts';
import { invalidateReferenceData } from '../../cases/reference-data.ts';
import { invalidateRules } from '../rules/cache.ts';
import { createRule, type RulesDeps } from '../rules/service.ts';

/**
 * The missed bin collection: the citizen (or the classifier) picked "Lärm", a rule sends "Lärm" to
 * the Ordnungsamt, while the classifier, trained on litter cases of the Leitstelle, is confident
 * the text belongs to the Leitstelle. Neither may win silently.
 */
const BIN_TEXT = 'Müllsäcke am Weg, die Tonne wurde wieder nicht abgeholt, Abfall im Gebüsch';

describeDb('"Zuständigkeit prüfen": a category-based team against a confident classifier', () => {
  let ctx: TestContext;
  let basics: Basics;
  let ordnungsamt: { id: number };
  let noise: { id: number };
  let officer: TestUser;
  let rules: RulesDeps;

  beforeAll(async () => {
    ctx = await createTestContext({ env: { CLASSIFIER_MIN_CONFIDENCE: '0.5' } });
    basics = await seedBasics(ctx.db);
    const [team] = await ctx.db.insert(teams).values({ slug: 'ordnungsamt', name: 'Ordnungsamt' }).returning();
    const [category] = await ctx.db.insert(categories).values({ slug: 'laerm', name: 'Lärm', groupName: 'Ordnung' }).returning();
    if (!team || !category) throw new Error('fixtures incomplete');
    ordnungsamt = team;
    noise = category;
    await closedCases(ctx, basics, 25);
    const retrain = allJobs({ ...ctx, mailer: ctx.mailer }).find((j) => j.name === 'classifier.retrain');
    await retrain?.handler({ reason: 'requested' });
    officer = await createUser(ctx, { name: 'Olga Ordnung', teamIds: [ordnungsamt.id] });
    rules = { db: ctx.db, clock: ctx.clock, log: ctx.log };
  });
  beforeEach(async () => {
    await ctx.db.delete(routingRules);
    invalidateRules(ctx.db);
  });
  afterAll(() => ctx?.close());

  const noiseRule = () =>
    createRule(rules, null, {
      name: 'Lärm → Ordnungsamt',
      triggers: ['created'],
      conditions: { kind: 'all', conditions: [{ kind: 'category', in: ['laerm'] }] },
      actions: [{ kind: 'setTeam', value: 'ordnungsamt' }],
    });
  const hintOf = async (caseId: number) => (await ctx.db.select().from(routingHints).where(eq(routingHints.caseId, caseId)))[0];
  const caseRow = async (caseId: number) => (await ctx.db.select().from(cases).where(eq(cases.id, caseId)))[0];
  const trail = (caseId: number) =>
    ctx.db
      .select({ action: auditEvents.action, actor: auditEvents.actorLabel, details: auditEvents.details })
      .from(auditEvents)
      .where(eq(auditEvents.caseId, caseId))
      .orderBy(asc(auditEvents.id));
  const page = (number: string, user: TestUser) =>
    ctx.app.inject({ url: `/staff/faelle/${number}`, headers: { cookie: user.cookie, accept: 'text/html' } });

  it('keeps the rule’s team, stores a hint, and "An Leitstelle geben" moves the case through the case service with audit', async () => {
    await noiseRule();
    const { caseId, number } = await fileCase(ctx, { categoryId: noise.id, type: 'complaint', description: BIN_TEXT });
    expect((await caseRow(caseId))?.teamId).toBe(ordnungsamt.id);
    const hint = await hintOf(caseId);
    expect(hint).toMatchObject({ kind: 'team_conflict', ruleTeamId: ordnungsamt.id, classifierTeamId: basics.teams.leitstelle.id });
    expect(hint?.confidence).toBeGreaterThanOrEqual(0.5);
    expect(hint?.resolvedAt).toBeNull();
    const created = (await trail(caseId)).find((a) => a.action === 'routing_hint');
    expect((created?.details as { reason?: string } | undefined)?.reason).toMatch(
      /^Regel „Lärm → Ordnungsamt“ gibt Ordnungsamt, der Klassifikator Leitstelle mit \d+ % – bitte entscheiden$/,
    );

    const html = (await page(number, officer)).body;
    expect(html).toContain('Zuständigkeit prüfen');
    expect(html).toContain('Bei Ordnungsamt lassen');
    expect(html).toContain('An Leitstelle geben');
    expect(html).toContain('weil die Regel „Lärm → Ordnungsamt“ (Kategorie „Lärm“) es dorthin gibt');

    const url = `/staff/faelle/${number}`;
    const moved = await postForm(ctx, url, `${url}/zustaendigkeit`, officer.cookie, { version: versionOn(html), wahl: 'abgeben' });
    expect(moved.statusCode).toBe(303);
    // The officer is not in the Leitstelle: the case is out of their sight now.
    expect(moved.headers.location).toBe('/staff?ok=verschoben');
    expect((await caseRow(caseId))?.teamId).toBe(basics.teams.leitstelle.id);
    expect((await hintOf(caseId))?.resolvedBy).toBe(officer.id);
    const steps = await trail(caseId);
    expect(steps.find((a) => a.action === 'team_changed')).toMatchObject({
      actor: 'Olga Ordnung',
      details: { from: 'Ordnungsamt', to: 'Leitstelle' },
    });
    expect(steps.find((a) => a.action === 'routing_checked')).toMatchObject({
      actor: 'Olga Ordnung',
      details: { reason: 'an Leitstelle gegeben' },
    });

    const admin = await createUser(ctx, { role: 'admin' });
    const after = await page(number, admin);
    expect(after.body).not.toContain('Zuständigkeit prüfen</h2>');
    expect(after.body).toContain('Zuständigkeit geprüft');
  });

  it('"Bei Ordnungsamt lassen" keeps the team and closes the hint once; a second decision is refused with 409', async () => {
    await noiseRule();
    const { caseId, number } = await fileCase(ctx, { categoryId: noise.id, type: 'complaint', description: BIN_TEXT });
    const url = `/staff/faelle/${number}`;
    const html = (await page(number, officer)).body;
    const kept = await postForm(ctx, url, `${url}/zustaendigkeit`, officer.cookie, { version: versionOn(html), wahl: 'behalten' });
    expect(kept.statusCode).toBe(303);
    expect(kept.headers.location).toBe(`${url}?ok=zustaendigkeit-behalten`);
    expect((await caseRow(caseId))?.teamId).toBe(ordnungsamt.id);
    expect((await trail(caseId)).find((a) => a.action === 'routing_checked')?.details).toEqual({ reason: 'bleibt bei Ordnungsamt' });
    const again = await postForm(ctx, url, `${url}/zustaendigkeit`, officer.cookie, { version: versionOn(html), wahl: 'abgeben' });
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('Die Zuständigkeit hat inzwischen jemand anderes geprüft.');
    expect((await caseRow(caseId))?.teamId).toBe(ordnungsamt.id);
  });

  it('the category’s own team against the classifier gets a hint too; a rule by words, or agreement, gets none', async () => {
    await ctx.db.update(categories).set({ defaultTeamId: ordnungsamt.id }).where(eq(categories.id, noise.id));
    invalidateReferenceData(ctx.db);
    invalidateRules(ctx.db);
    try {
      const byCategory = await fileCase(ctx, { categoryId: noise.id, type: 'complaint', description: BIN_TEXT });
      expect((await caseRow(byCategory.caseId))?.teamId).toBe(ordnungsamt.id);
      expect(await hintOf(byCategory.caseId)).toMatchObject({ details: { source: 'category', categoryName: 'Lärm' } });
    } finally {
      await ctx.db.update(categories).set({ defaultTeamId: null }).where(eq(categories.id, noise.id));
      invalidateReferenceData(ctx.db);
      invalidateRules(ctx.db);
    }
    await createRule(rules, null, {
      name: 'Tonne → Ordnungsamt',
      triggers: ['created'],
      conditions: { kind: 'all', conditions: [{ kind: 'words', match: 'any', words: ['tonne'] }] },
      actions: [{ kind: 'setTeam', value: 'ordnungsamt' }],
    });
    const byWords = await fileCase(ctx, { categoryId: noise.id, type: 'complaint', description: BIN_TEXT });
    expect((await caseRow(byWords.caseId))?.teamId).toBe(ordnungsamt.id);
    expect(await hintOf(byWords.caseId)).toBeUndefined();
    await ctx.db.delete(routingRules);
    invalidateRules(ctx.db);
    await createRule(rules, null, {
      name: 'Lärm → Leitstelle',
      triggers: ['created'],
      conditions: { kind: 'all', conditions: [{ kind: 'category', in: ['laerm'] }] },
      actions: [{ kind: 'setTeam', value: 'leitstelle' }],
    });
    const agreed = await fileCase(ctx, { categoryId: noise.id, type: 'complaint', description: BIN_TEXT });
    expect(await hintOf(agreed.caseId)).toBeUndefined();
  });
});
