import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { fileCase } from '../../../../test/helpers/cases.ts';
import { createTestContext, createUser, csrfFor, describeDb, type TestContext, type TestUser } from '../../../../test/helpers/context.ts';
import { seedBasics } from '../../../../test/helpers/fixtures.ts';
import { auditEvents, cases, routingRules } from '../../../infra/schema/index.ts';
import { listRules } from './queries.ts';

type Fields = Record<string, string>;

/** Rules saved through /admin/regeln, cases through the intake: first wins per field, "weiter auswerten", stop. */
describeDb('rule precedence through the admin form and the intake', () => {
  let ctx: TestContext;
  let admin: TestUser;
  let town: Awaited<ReturnType<typeof seedBasics>>;

  beforeAll(async () => {
    ctx = await createTestContext();
    town = await seedBasics(ctx.db);
    admin = await createUser(ctx, { role: 'admin', name: 'Anna Admin' });
  });
  beforeEach(async () => {
    await ctx.db.delete(routingRules);
  });
  afterAll(() => ctx.close());

  async function post(url: string, fields: Fields) {
    const { token, cookie } = await csrfFor(ctx.app, '/admin', admin.cookie);
    return ctx.app.inject({
      method: 'POST',
      url,
      headers: { cookie, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ ...fields, _csrf: token }).toString(),
    });
  }
  const get = (url: string) => ctx.app.inject({ url, headers: { cookie: admin.cookie, accept: 'text/html' } });
  /** A rule "words → team", optionally with more fields of the form. */
  const wordsRule = (name: string, word: string, team: string, more: Fields = {}): Fields => ({
    name,
    enabled: 'yes',
    onCreated: 'yes',
    match: 'all',
    'c-0-kind': 'words',
    'c-0-text': word,
    'c-0-match': 'any',
    'a-0-kind': 'setTeam',
    'a-0-value': team,
    op: 'save',
    ...more,
  });
  const save = async (fields: Fields) => {
    const res = await post('/admin/regeln/neu', fields);
    expect(res.statusCode).toBe(303);
  };
  const teamOf = async (caseId: number) => (await ctx.db.select().from(cases).where(eq(cases.id, caseId)))[0]?.teamId;
  const routedBy = async (caseId: number) =>
    (
      await ctx.db
        .select({ actor: auditEvents.actorLabel })
        .from(auditEvents)
        .where(eq(auditEvents.caseId, caseId))
        .orderBy(asc(auditEvents.id))
    ).map((a) => a.actor);

  it('the first matching rule keeps the team; a later one does not override it', async () => {
    await save(wordsRule('Laternen', 'laterne', 'tiefbauamt'));
    await save(wordsRule('Alles Dunkle', 'dunkel', 'leitstelle'));
    const { caseId } = await fileCase(ctx, { description: 'Die Laterne ist dunkel' });
    expect(await teamOf(caseId)).toBe(town.teams.tiefbau.id);
    expect(await routedBy(caseId)).toContain('Regel „Laternen“');
    expect(await routedBy(caseId)).not.toContain('Regel „Alles Dunkle“');
  });

  it('"Weiter auswerten" lets the later matching rule set the team', async () => {
    await save(wordsRule('Laternen', 'laterne', 'tiefbauamt', { overridable: 'yes' }));
    await save(wordsRule('Alles Dunkle', 'dunkel', 'leitstelle'));
    expect((await listRules(ctx.db)).map((r) => [r.name, r.overridable])).toEqual([
      ['Laternen', true],
      ['Alles Dunkle', false],
    ]);
    const { caseId } = await fileCase(ctx, { description: 'Die Laterne ist dunkel' });
    expect(await teamOf(caseId)).toBe(town.teams.leitstelle.id);
    // The form shows the tick as saved.
    const [first] = await listRules(ctx.db);
    expect((await get(`/admin/regeln/${first?.id}`)).body).toMatch(/name="overridable" value="yes" checked/);
  });

  it('"Danach keine weiteren Regeln prüfen" ends the run even where "Weiter auswerten" would allow a change', async () => {
    await save(wordsRule('Laternen', 'laterne', 'tiefbauamt', { overridable: 'yes', stop: 'yes' }));
    await save(wordsRule('Alles Dunkle', 'dunkel', 'leitstelle'));
    const { caseId } = await fileCase(ctx, { description: 'Die Laterne ist dunkel' });
    expect(await teamOf(caseId)).toBe(town.teams.tiefbau.id);
  });

  it('the list states the semantics and names the earlier rules that can overrule a rule', async () => {
    await save(wordsRule('Laternen', 'laterne', 'tiefbauamt'));
    await save(wordsRule('Vorschlag', 'bank', 'innovationsmanagement', { overridable: 'yes' }));
    await save(wordsRule('Alles Dunkle', 'dunkel', 'leitstelle'));
    const page = (await get('/admin/regeln')).body;
    expect(page).toContain('was die erste passende Regel festlegt');
    expect(page).toContain('„Weiter auswerten“');
    expect(page).toContain('bei neuen Anliegen');
    expect(page).not.toContain('bei neue Anliegen');
    // "Vorschlag" says "weiter auswerten", so only "Laternen" can overrule the third rule.
    expect(page).toContain('kann überstimmt werden von Nr. 1 „Laternen“ (Team)');
    expect(page).not.toContain('Nr. 2 „Vorschlag“ (Team)');
    expect(page).toContain('wird von keiner früheren Regel überstimmt');
  });

  it('the dry run names the rule that already decided and counts where this one is overruled', async () => {
    await save(wordsRule('Laternen', 'laterne', 'tiefbauamt'));
    await fileCase(ctx, { description: 'Die Laterne ist dunkel' });
    await fileCase(ctx, { description: 'Laterne dunkel, schon wieder' });
    await fileCase(ctx, { description: 'Dunkel im Park, keine Laterne weit und breit? Doch, eine.' });
    // Every case of this file so far speaks of a dark lamp ("Laterne" and "dunkel").
    const all = (await ctx.db.select({ id: cases.id }).from(cases)).length;
    const res = await post('/admin/regeln/neu', wordsRule('Alles Dunkle', 'dunkel', 'leitstelle', { op: 'dryrun' }));
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Zusammen mit den anderen Regeln');
    expect(res.body).toContain(`Team: Regel „Laternen“ hat schon entschieden – diese Regel wird überstimmt (bei ${all} Anliegen)`);
    expect(res.body).toContain('<th scope="col">Überschneidungen</th>');
    // Saved with the other's "weiter auswerten", the dry run of the first rule says it is overruled there.
    const [laternen] = await listRules(ctx.db);
    await save(wordsRule('Alles Dunkle', 'dunkel', 'leitstelle'));
    const own = await post(
      `/admin/regeln/${laternen?.id}`,
      wordsRule('Laternen', 'laterne', 'tiefbauamt', { overridable: 'yes', op: 'dryrun' }),
    );
    expect(own.body).toContain(`Team: Regel „Alles Dunkle“ überstimmt diese Regel (hier „Weiter auswerten“) (bei ${all} Anliegen)`);
  });
});
