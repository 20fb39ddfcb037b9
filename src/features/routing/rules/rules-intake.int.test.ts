import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { fileCase } from '../../../../test/helpers/cases.ts';
import { createTestContext, createUser, describeDb, type TestContext } from '../../../../test/helpers/context.ts';
import { seedBasics } from '../../../../test/helpers/fixtures.ts';
import { outboxMails } from '../../../../test/helpers/outbox.ts';
import { auditEvents, caseSlas, cases, routingRules, slaPolicies, teams } from '../../../infra/schema/index.ts';
import { editCase } from '../../cases/service.ts';
import { invalidateSlaSettings } from '../../sla/settings.ts';
import { defaultRules, seedDefaultRules } from './defaults.ts';
import { createRule, type RulesDeps, setRuleEnabled } from './service.ts';

describeDb('rules on new cases (intake) and on staff changes', () => {
  let ctx: TestContext;
  let fixtures: Awaited<ReturnType<typeof seedBasics>>;
  let deps: RulesDeps;

  beforeAll(async () => {
    ctx = await createTestContext();
    fixtures = await seedBasics(ctx.db);
    await ctx.db.update(teams).set({ email: 'tiefbau@musterstadt.example' }).where(eq(teams.slug, 'tiefbauamt'));
    await createUser(ctx, {
      role: 'staff',
      email: 'klaus@musterstadt.example',
      name: 'Klaus Oberle',
      teamIds: [fixtures.teams.tiefbau.id],
    });
    deps = { db: ctx.db, clock: ctx.clock, log: ctx.log };
  });
  beforeEach(async () => {
    await ctx.db.delete(routingRules);
  });
  afterAll(() => ctx.close());

  const caseRow = async (id: number) => (await ctx.db.select().from(cases).where(eq(cases.id, id)))[0];
  const trail = async (id: number) =>
    ctx.db
      .select({ actor: auditEvents.actorLabel, action: auditEvents.action, details: auditEvents.details })
      .from(auditEvents)
      .where(eq(auditEvents.caseId, id))
      .orderBy(asc(auditEvents.id));

  it('routes by a rule, names the rule in the audit trail, sets priority, tags and assignee; the cache sees a new rule at once', async () => {
    // Before the rule exists the default routing decides (and the rule list is cached).
    const before = await fileCase(ctx, { description: 'Schlagloch vor der Schule' });
    expect((await caseRow(before.caseId))?.teamId).toBe(fixtures.teams.leitstelle.id);

    await createRule(deps, null, {
      name: 'Schlaglöcher',
      triggers: ['created'],
      conditions: { kind: 'all', conditions: [{ kind: 'words', match: 'any', words: ['schlagloch'] }] },
      actions: [
        { kind: 'setTeam', value: 'tiefbauamt' },
        { kind: 'setPriority', value: 'high' },
        { kind: 'addTags', tags: ['Straße'] },
        { kind: 'assign', user: 'klaus@musterstadt.example' },
      ],
    });
    const { caseId } = await fileCase(ctx, { description: 'Riesiges Schlagloch in der Hafenstraße' });
    const row = await caseRow(caseId);
    expect(row?.teamId).toBe(fixtures.teams.tiefbau.id);
    expect(row?.priority).toBe('high');
    expect(row?.tags).toEqual(['Straße']);
    expect(row?.assigneeId).not.toBeNull();
    const entries = await trail(caseId);
    const routed = entries.filter((e) => e.action === 'routed');
    expect(routed).toHaveLength(1);
    expect(routed[0]?.actor).toBe('Regel „Schlaglöcher“');
    expect((routed[0]?.details as { reason?: string } | undefined)?.reason).toBe('weitergeleitet an Tiefbauamt durch Regel „Schlaglöcher“');
    expect(entries.map((e) => e.action)).toEqual(expect.arrayContaining(['created', 'priority_changed', 'assigned', 'rule_applied']));

    // The case page shows the rule's decision to staff.
    const admin = await createUser(ctx, { role: 'admin' });
    const page = await ctx.app.inject({ url: `/staff/faelle/${row?.number}`, headers: { cookie: admin.cookie, accept: 'text/html' } });
    expect(page.body).toContain('weitergeleitet an Tiefbauamt durch Regel „Schlaglöcher“');
    expect(page.body).toMatch(/Schlagwörter<\/dt>\s*<dd[^>]*>Straße</);
  });

  it('leaves the default routing as the fallback, also after a rule changed the category', async () => {
    await createRule(deps, null, {
      name: 'Laternen',
      triggers: ['created'],
      conditions: { kind: 'all', conditions: [{ kind: 'words', match: 'any', words: ['laterne'] }] },
      actions: [{ kind: 'setCategory', value: 'strassenbeleuchtung' }],
    });
    const idea = await fileCase(ctx, { type: 'idea', description: 'Mehr Bänke am See' });
    expect((await caseRow(idea.caseId))?.teamId).toBe(fixtures.teams.innovation.id);
    const lamp = await fileCase(ctx, { type: null, description: 'Die Laterne ist aus' });
    const row = await caseRow(lamp.caseId);
    expect(row?.categoryId).toBe(fixtures.categories.streetLight.id);
    // The category's team (Tiefbauamt), chosen by the default routing from the rule's category.
    expect(row?.teamId).toBe(fixtures.teams.tiefbau.id);
    const actions = (await trail(lamp.caseId)).map((e) => `${e.action}:${e.actor}`);
    expect(actions).toContain('category_changed:Regel „Laternen“');
    expect(actions).toContain('routed:Automatische Zuweisung');
  });

  it('disabled rules do nothing', async () => {
    const id = await createRule(deps, null, {
      name: 'Alles an Tiefbau',
      triggers: ['created'],
      conditions: { kind: 'all', conditions: [] },
      actions: [{ kind: 'setTeam', value: 'tiefbauamt' }],
    });
    await setRuleEnabled(deps, null, id, false);
    const { caseId } = await fileCase(ctx, { description: 'Bank kaputt' });
    expect((await caseRow(caseId))?.teamId).toBe(fixtures.teams.leitstelle.id);
  });

  it("sends the rule's own confirmation and notifies the team by mail, in the case's transaction", async () => {
    await createRule(deps, null, {
      name: 'Müll mit Bestätigung',
      triggers: ['created'],
      conditions: { kind: 'all', conditions: [{ kind: 'words', match: 'any', words: ['müll'] }] },
      actions: [
        { kind: 'setTeam', value: 'tiefbauamt' },
        { kind: 'acknowledge', template: 'Danke, {{name}}! Das {{team}} räumt auf. Vorgang {{vorgang}}, erledigt bis {{frist}}.' },
        { kind: 'notifyTeam', team: 'tiefbauamt' },
      ],
    });
    const [policy] = await ctx.db
      .insert(slaPolicies)
      .values({ name: 'Standard', responseMinutes: 480, resolutionMinutes: 2400 })
      .returning();
    invalidateSlaSettings(ctx.db);
    const { caseId, number } = await fileCase(ctx, {
      description: 'Muell am Waldrand',
      reporterName: 'Erika',
      reporterEmail: 'erika@example.org',
    });
    const mails = await outboxMails(ctx.db, { caseId: caseId });
    expect(mails.map((m) => m.toAddress)).toEqual(['erika@example.org', 'tiefbau@musterstadt.example']);
    const [clock] = await ctx.db.select().from(caseSlas).where(eq(caseSlas.caseId, caseId));
    const due = new Intl.DateTimeFormat('de-DE', { timeZone: 'Europe/Berlin', day: '2-digit', month: '2-digit', year: 'numeric' }).format(
      clock?.resolutionDueAt,
    );
    expect(mails[0]?.text).toContain(`Danke, Erika! Das Tiefbauamt räumt auf. Vorgang ${number}, erledigt bis ${due}.`);
    await ctx.db.delete(slaPolicies).where(eq(slaPolicies.id, policy?.id ?? 0));
    invalidateSlaSettings(ctx.db);
    expect(mails[0]?.text).toContain('/verfolgen/');
    expect(mails[1]?.subject).toBe(`[${number}] Neues Anliegen für Tiefbauamt`);
    expect(mails[1]?.text).toContain(`/staff/faelle/${number}`);
  });

  it('ships defaults: Störung → Leitstelle, Beschwerde with priority high, categories to their Fachamt, ideas to Innovationsmanagement', async () => {
    const rules = await defaultRules(ctx.db);
    // First wins per field: ideas first with stop, the Leitstelle rules give way ("weiter auswerten") to a Fachamt's category.
    expect(rules.map((r) => [r.name, r.overridable, r.stopProcessing])).toEqual([
      ['Ideen und Vorschläge ans Innovationsmanagement', false, true],
      ['Störungen an die Leitstelle', true, false],
      ['Beschwerden an die Leitstelle, mit Vorrang', true, false],
      ['Straße & Verkehr → Tiefbauamt', false, false],
    ]);
    expect(await seedDefaultRules(ctx.db, ctx.clock.now())).toBe(4);
    expect(await seedDefaultRules(ctx.db, ctx.clock.now())).toBe(0);
    const complaint = await caseRow((await fileCase(ctx, { type: 'complaint', description: 'Niemand ruft zurück' })).caseId);
    expect([complaint?.teamId, complaint?.priority]).toEqual([fixtures.teams.leitstelle.id, 'high']);
    const light = await caseRow((await fileCase(ctx, { categoryId: fixtures.categories.streetLight.id, description: 'Licht aus' })).caseId);
    expect(light?.teamId).toBe(fixtures.teams.tiefbau.id);
    const idea = await caseRow(
      (await fileCase(ctx, { type: 'idea', categoryId: fixtures.categories.streetLight.id, description: 'Warmweiße Laternen' })).caseId,
    );
    expect(idea?.teamId).toBe(fixtures.teams.innovation.id);
  });
  it('runs rules with the trigger "updated" once after staff change the team, not after other edits', async () => {
    await createRule(deps, null, {
      name: 'Tiefbau-Fälle markieren',
      triggers: ['updated'],
      conditions: { kind: 'all', conditions: [{ kind: 'channel', in: ['web'] }] },
      actions: [
        { kind: 'addTags', tags: ['umgeleitet'] },
        { kind: 'setPriority', value: 'high' },
      ],
    });
    const { caseId } = await fileCase(ctx, { description: 'Bank kaputt' });
    expect((await caseRow(caseId))?.tags).toEqual([]);
    const anna = await createUser(ctx, { role: 'admin', name: 'Anna' });
    const staff = { id: anna.id, role: 'admin' as const, teamIds: [], displayName: 'Anna' };
    const casesDeps = { db: ctx.db, queue: ctx.queue, clock: ctx.clock, channels: ctx.channels, config: ctx.config };
    const row = await caseRow(caseId);
    if (!row) throw new Error('no case');
    const base = { type: row.type, categoryId: row.categoryId, teamId: row.teamId, priority: row.priority, status: row.status };
    // A status-only edit does not trigger.
    await editCase(casesDeps, staff, caseId, { ...base, status: 'in_progress', version: row.version });
    expect((await caseRow(caseId))?.tags).toEqual([]);
    const v = (await caseRow(caseId))?.version ?? 0;
    await editCase(casesDeps, staff, caseId, { ...base, status: 'in_progress', teamId: fixtures.teams.tiefbau.id, version: v });
    const after = await caseRow(caseId);
    expect(after?.tags).toEqual(['umgeleitet']);
    expect(after?.priority).toBe('high');
    expect((await trail(caseId)).some((e) => e.actor === 'Regel „Tiefbau-Fälle markieren“' && e.action === 'rule_applied')).toBe(true);
  });

  it('on "updated" a rule also mails the team and the deadline follows: the new team’s policy, or the one the rule names', async () => {
    const [tiefPolicy, urgent] = await ctx.db
      .insert(slaPolicies)
      .values([
        { name: 'Tiefbau Standard', teamId: fixtures.teams.tiefbau.id, responseMinutes: 240, resolutionMinutes: 2400 },
        // Scoped to priority "urgent": it applies to these normal cases only because the rule names it.
        { name: 'Eilig', priority: 'urgent', responseMinutes: 60, resolutionMinutes: 480 },
      ])
      .returning();
    invalidateSlaSettings(ctx.db);
    try {
      await createRule(deps, null, {
        name: 'Umgeleitete Straßenschäden',
        triggers: ['updated'],
        conditions: {
          kind: 'all',
          conditions: [
            { kind: 'words', match: 'any', words: ['schlagloch'] },
            { kind: 'type', in: ['complaint'] },
          ],
        },
        actions: [
          { kind: 'setTeam', value: 'tiefbauamt' },
          { kind: 'notifyTeam', team: 'tiefbauamt' },
        ],
      });
      const anna = await createUser(ctx, { role: 'admin', name: 'Anna' });
      const staff = { id: anna.id, role: 'admin' as const, teamIds: [], displayName: 'Anna' };
      const casesDeps = { db: ctx.db, queue: ctx.queue, clock: ctx.clock, channels: ctx.channels, config: ctx.config };
      const editType = async (caseId: number, categoryId?: number) => {
        const row = await caseRow(caseId);
        if (!row) throw new Error('no case');
        await editCase(casesDeps, staff, caseId, {
          type: 'complaint',
          categoryId: categoryId ?? row.categoryId,
          teamId: row.teamId,
          priority: row.priority,
          status: row.status,
          version: row.version,
        });
      };
      const clock = async (caseId: number) => (await ctx.db.select().from(caseSlas).where(eq(caseSlas.caseId, caseId)))[0];

      const { caseId, number } = await fileCase(ctx, { type: 'defect', description: 'Schlagloch vor der Schule' });
      await editType(caseId);
      expect((await caseRow(caseId))?.teamId).toBe(fixtures.teams.tiefbau.id);
      expect((await clock(caseId))?.policyName).toBe('Tiefbau Standard');
      const teamMails = async () =>
        (await outboxMails(ctx.db, { caseId: caseId })).filter((m) => m.toAddress === 'tiefbau@musterstadt.example');
      const [teamMail] = await teamMails();
      expect(teamMail?.subject).toBe(`[${number}] Geändertes Anliegen für Tiefbauamt`);
      expect(teamMail?.text).toContain(`das Anliegen ${number} wurde geändert und betrifft Sie (Regel „Umgeleitete Straßenschäden“)`);
      // A later edit while the rule still applies (here: the category) mails nobody again.
      await editType(caseId, fixtures.categories.litter.id);
      expect(await teamMails()).toHaveLength(1);

      await ctx.db.delete(routingRules);
      await createRule(deps, null, {
        name: 'Beschwerden eilig',
        triggers: ['updated'],
        conditions: { kind: 'all', conditions: [{ kind: 'type', in: ['complaint'] }] },
        actions: [{ kind: 'sla', policyId: urgent?.id ?? 0 }],
      });
      const second = await fileCase(ctx, { type: 'defect', description: 'Bank wackelt' });
      expect((await clock(second.caseId))?.policyName).toBeUndefined();
      await editType(second.caseId);
      expect((await clock(second.caseId))?.policyName).toBe('Eilig');
      expect((await trail(second.caseId)).map((e) => e.actor)).toContain('Regel „Beschwerden eilig“');
    } finally {
      await ctx.db.delete(slaPolicies).where(eq(slaPolicies.id, tiefPolicy?.id ?? 0));
      await ctx.db.delete(slaPolicies).where(eq(slaPolicies.id, urgent?.id ?? 0));
      invalidateSlaSettings(ctx.db);
    }
  });
});
