import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { createTestContext, createUser, csrfFor, describeDb, type TestContext, type TestUser } from '../../../../test/helpers/context.ts';
import { seedBasics } from '../../../../test/helpers/fixtures.ts';
import { multipart } from '../../../../test/helpers/multipart.ts';
import { auditEvents, cases, routingRules } from '../../../infra/schema/index.ts';
import { applyRulesOnCreate } from './apply.ts';
import { invalidateRules } from './cache.ts';
import type { RuleInput } from './schema.ts';

const html = { accept: 'text/html' };

describeDb('rule patterns that would freeze a backtracking engine', () => {
  let ctx: TestContext;
  let admin: TestUser;
  let town: Awaited<ReturnType<typeof seedBasics>>;

  beforeAll(async () => {
    ctx = await createTestContext();
    town = await seedBasics(ctx.db);
    admin = await createUser(ctx, { role: 'admin' });
  });
  beforeEach(async () => {
    await ctx.db.delete(routingRules);
    invalidateRules(ctx.db);
  });
  afterAll(() => ctx.close());

  async function importRules(rules: RuleInput[]) {
    const { token, cookie } = await csrfFor(ctx.app, '/admin', admin.cookie);
    const file = JSON.stringify({ format: 'amtsblatt-regeln', version: 1, rules });
    const body = await multipart(
      { _csrf: token },
      { file: [{ data: Buffer.from(file), filename: 'regeln.json', type: 'application/json' }] },
    );
    return ctx.app.inject({
      method: 'POST',
      url: '/admin/regeln/import',
      headers: { cookie, ...html, ...body.headers },
      payload: body.payload,
    });
  }

  /** An anonymous citizen's report through the public form; returns the stored case. */
  async function report(description: string) {
    // One page load: the form's nonce is bound to the browser (cookie) that loaded it.
    const { token, cookie, body: page } = await csrfFor(ctx.app, '/melden');
    const nonce = /name="nonce" value="([^"]+)"/.exec(page)?.[1] ?? '';
    const body = await multipart({ _csrf: token, nonce, description, type: 'defect', locationText: 'Marktstätte 12', consent: 'yes' });
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/melden',
      payload: body.payload,
      headers: { ...body.headers, ...html, cookie },
    });
    expect(res.statusCode).toBe(303);
    const tracking = /^\/melden\/danke\/([A-Za-z0-9_-]+)$/.exec(String(res.headers.location))?.[1] ?? '';
    const [row] = await ctx.db.select().from(cases).where(eq(cases.trackingToken, tracking));
    if (!row) throw new Error('report not stored');
    return row;
  }
  const reasons = async (caseId: number) =>
    (
      await ctx.db
        .select({ actor: auditEvents.actorLabel, details: auditEvents.details })
        .from(auditEvents)
        .where(eq(auditEvents.caseId, caseId))
        .orderBy(asc(auditEvents.id))
    ).map((e) => `${e.actor}: ${(e.details as { reason?: string } | null)?.reason ?? ''}`);

  const rule = (name: string, pattern: string, team: string): RuleInput => ({
    name,
    enabled: true,
    triggers: ['created'],
    stopProcessing: false,
    overridable: false,
    conditions: { kind: 'all', conditions: [{ kind: 'regex', pattern }] },
    actions: [{ kind: 'setTeam', value: team }],
  });

  it('an imported rule with (a|a)*b and a 30-character report: routed at once, by the rule that matches', async () => {
    const imported = await importRules([
      rule('Verschachtelt', '(a|a)*b', 'innovationsmanagement'),
      rule('Laternen', 'later+ne', 'tiefbauamt'),
    ]);
    expect(imported.statusCode, /Fehler[^<]*/.exec(imported.body)?.[0]).toBe(303);

    // A first report warms the form up (page rendering, classifier), so the timing below is the rules'.
    const other = await report(`Bank kaputt ${'a'.repeat(29)}b`);
    expect(other.teamId).toBe(town.teams.innovation.id);

    const started = performance.now();
    // On a backtracking engine this text costs about 2^31 steps with the event loop blocked: the old
    // engine took over 13 minutes here. RE2 needs well under a millisecond; the limit is for a busy machine.
    const row = await report(`Laterne aus ${'a'.repeat(30)}`);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(row.teamId).toBe(town.teams.tiefbau.id);
    expect(await reasons(row.id)).toContain('Regel „Laternen“: weitergeleitet an Tiefbauamt durch Regel „Laternen“');

    const matching = await report(`Laterne aus ${'a'.repeat(29)}b`);
    // Both rules match; the first one decides (neither says "weiter auswerten").
    expect(matching.teamId).toBe(town.teams.innovation.id);
  });

  it('an import with a pattern RE2 cannot take is refused with a German message and changes nothing', async () => {
    const res = await importRules([rule('Vorausschau', 'laterne(?=n)', 'tiefbauamt')]);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('rules.0.conditions.conditions.0.pattern');
    expect(res.body).toContain('Vorausschau wie (?=…) oder (?!…) wird von der Regelprüfung nicht unterstützt');
    expect(await ctx.db.select().from(routingRules)).toHaveLength(0);
  });

  it('a stored rule RE2 cannot compile is skipped with a note in the audit trail; the report is routed as usual', async () => {
    // Saved before rule patterns ran on RE2: the old engine took JavaScript's \u escapes.
    const now = new Date();
    await ctx.db.insert(routingRules).values([
      { ...rule('Laternen', 'laterne', 'tiefbauamt'), position: 1, createdAt: now, updatedAt: now },
      // Later, so it would decide if it ran.
      { ...rule('Alt', '\\u00e4mter', 'innovationsmanagement'), position: 2, createdAt: now, updatedAt: now },
    ]);
    invalidateRules(ctx.db);

    const row = await report('Laterne vor dem Ämterhaus ist aus');
    expect(row.teamId).toBe(town.teams.tiefbau.id);
    expect(await reasons(row.id)).toContain(
      'Regel „Alt“: Die Regel ist fehlerhaft gespeichert (Unicode-Zeichen schreiben Sie als \\x{00e4} (statt \\u00e4).) – übersprungen',
    );
    const list = await ctx.app.inject({ url: '/admin/regeln', headers: { cookie: admin.cookie, ...html } });
    expect(list.body).toContain(
      'Fehlerhaft gespeichert (Unicode-Zeichen schreiben Sie als \\x{00e4} (statt \\u00e4).) – wird übersprungen',
    );
  });

  it('when the time budget runs out, the remaining rules are skipped, the audit says so and the default routing decides', async () => {
    const imported = await importRules([rule('Laternen', 'laterne', 'tiefbauamt'), rule('Auch Laternen', 'aus$', 'innovationsmanagement')]);
    expect(imported.statusCode).toBe(303);
    let t = 0;
    // A clock that jumps 60 ms on each reading: the budget is gone before the first rule.
    const budget = { ms: 50, now: () => (t += 60) };
    const decision = await applyRulesOnCreate(
      ctx.db,
      {
        channel: 'web',
        type: 'defect',
        categoryId: null,
        description: 'Laterne aus',
        lat: null,
        lon: null,
        reporterEmail: null,
        receivedAt: new Date(),
      },
      { budget },
    );
    expect(decision.fields.teamId).toBe(town.teams.leitstelle.id);
    expect(decision.trace.map((e) => e.status)).toEqual(['aborted', 'aborted']);
    expect(decision.audit.map((a) => `${a.actor.label}: ${a.details.reason}`)).toEqual([
      expect.stringMatching(/^Automatische Zuweisung: /),
      'System: Regelprüfung nach 50 ms abgebrochen: „Laternen“ und 1 weitere Regel nicht geprüft',
    ]);
  });
});
