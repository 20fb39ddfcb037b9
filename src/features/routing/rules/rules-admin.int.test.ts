import { afterAll, beforeAll, expect, it } from 'vitest';
import { fileCase } from '../../../../test/helpers/cases.ts';
import { createTestContext, createUser, csrfFor, describeDb, type TestContext, type TestUser } from '../../../../test/helpers/context.ts';
import { seedBasics } from '../../../../test/helpers/fixtures.ts';
import { multipart } from '../../../../test/helpers/multipart.ts';
import { replyTemplates, routingRules, slaPolicies } from '../../../infra/schema/index.ts';
import { listRules } from './queries.ts';

type Fields = Record<string, string | string[]>;

describeDb('admin pages of the rules engine', () => {
  let ctx: TestContext;
  let admin: TestUser;

  beforeAll(async () => {
    ctx = await createTestContext();
    await seedBasics(ctx.db);
    admin = await createUser(ctx, { role: 'admin', name: 'Anna Admin' });
    // Cases for the dry run: two about street lights, one idea.
    await fileCase(ctx, { description: 'Die Laterne in der Hafenstraße ist dunkel.' });
    await fileCase(ctx, { description: 'Straßenlaterne flackert seit Tagen' });
    await fileCase(ctx, { type: 'idea', description: 'Mehr Bänke am See wären schön.' });
  });
  afterAll(() => ctx.close());

  async function post(url: string, fields: Fields, as: TestUser = admin) {
    const { token, cookie } = await csrfFor(ctx.app, '/admin', as.cookie);
    const body = new URLSearchParams();
    body.append('_csrf', token);
    for (const [k, v] of Object.entries(fields)) for (const item of ([] as string[]).concat(v)) body.append(k, item);
    return ctx.app.inject({
      method: 'POST',
      url,
      headers: { cookie, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
      payload: body.toString(),
    });
  }
  const get = (url: string, as: TestUser = admin) => ctx.app.inject({ url, headers: { cookie: as.cookie, accept: 'text/html' } });

  const lampRule: Fields = {
    name: 'Laternen',
    enabled: 'yes',
    onCreated: 'yes',
    match: 'all',
    'c-0-kind': 'words',
    'c-0-text': 'laterne, straßenlaterne',
    'c-0-match': 'any',
    'a-0-kind': 'setTeam',
    'a-0-value': 'tiefbauamt',
    'a-1-kind': 'setPriority',
    'a-1-value': 'high',
  };

  it('is linked from the admin overview and lists rules', async () => {
    expect((await get('/admin')).body).toContain('href="/admin/regeln"');
    const page = await get('/admin/regeln');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Noch keine Regeln');
    expect((await get('/admin/regeln/neu')).body).toContain('Bedingung hinzufügen');
  });

  it('keeps staff out and refuses posts without a CSRF token', async () => {
    const staff = await createUser(ctx, { role: 'staff' });
    for (const url of ['/admin/regeln', '/admin/regeln/neu', '/admin/regeln/export']) expect((await get(url, staff)).statusCode).toBe(403);
    expect((await post('/admin/regeln/neu', { ...lampRule, op: 'save' }, staff)).statusCode).toBe(403);
    const noToken = await ctx.app.inject({
      method: 'POST',
      url: '/admin/regeln/neu',
      headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ ...(lampRule as Record<string, string>), op: 'save' }).toString(),
    });
    expect(noToken.statusCode).toBe(403);
    expect(await listRules(ctx.db)).toHaveLength(0);
  });

  it('adds and removes rows without saving, keeping what was typed', async () => {
    const added = await post('/admin/regeln/neu', { ...lampRule, op: 'addCondition', newCondition: 'channel' });
    expect(added.statusCode).toBe(200);
    expect(added.body).toContain('name="c-1-kind" value="channel"');
    expect(added.body).toContain('value="laterne, straßenlaterne"');
    const removed = await post('/admin/regeln/neu', { ...lampRule, op: 'remove-a-1' });
    expect(removed.body).not.toContain('name="a-1-kind"');
    expect(await listRules(ctx.db)).toHaveLength(0);
  });

  it('runs a dry run over recent cases without saving', async () => {
    const res = await post('/admin/regeln/neu', { ...lampRule, op: 'dryrun' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/Von den letzten 3 Anliegen hätte die Regel auf <strong>2<\/strong>/);
    expect(res.body).toContain('Team: Leitstelle → Tiefbauamt');
    expect(res.body).toContain('Priorität: normal → hoch');
    expect(res.body).not.toContain('Mehr Bänke');
    expect(await listRules(ctx.db)).toHaveLength(0);
  });

  it('rejects bad input with a message at the row, keeping the values (status 400)', async () => {
    const res = await post('/admin/regeln/neu', {
      ...lampRule,
      name: '<script>alert(1)</script>',
      'c-0-kind': 'regex',
      'c-0-text': 'laterne(?=n)',
      'a-0-value': '',
      op: 'save',
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('href="#c-0"');
    expect(res.body).toContain('Vorausschau wie (?=…) oder (?!…) wird von der Regelprüfung nicht unterstützt');
    expect(res.body).toContain('value="laterne(?=n)"');
    expect(res.body).toContain('href="#a-0"');
    expect(res.body).toContain('value="&lt;script>alert(1)&lt;/script>"');
    expect(res.body).not.toContain('<script>alert(1)');
    const noTrigger = await post('/admin/regeln/neu', { ...lampRule, onCreated: '', op: 'save' });
    expect(noTrigger.statusCode).toBe(400);
    expect(noTrigger.body).toContain('Bitte wählen Sie, wann die Regel greift');
    const unknownTeam = await post('/admin/regeln/neu', { ...lampRule, 'a-0-value': 'gibtsnicht', op: 'save' });
    expect(unknownTeam.statusCode).toBe(400);
    expect(unknownTeam.body).toContain('Das Team „gibtsnicht“ gibt es nicht.');
    const unknownPolicy = await post('/admin/regeln/neu', { ...lampRule, 'a-1-kind': 'sla', 'a-1-value': '99999', op: 'save' });
    expect(unknownPolicy.statusCode).toBe(400);
    expect(unknownPolicy.body).toContain('Die Frist-Richtlinie Nr. 99999 gibt es nicht.');
    expect(await listRules(ctx.db)).toHaveLength(0);
  });

  it('builds "(a) and (b or c)" in the form: a group row with conditions of its own, errors at the one concerned', async () => {
    const base = { ...lampRule };
    const withGroup = await post('/admin/regeln/neu', { ...base, op: 'addCondition', newCondition: 'nested' });
    expect(withGroup.body).toContain('name="c-1-kind" value="nested"');
    const added = await post('/admin/regeln/neu', {
      ...base,
      'c-1-kind': 'nested',
      'c-1-match': 'any',
      'c-1-newCondition': 'channel',
      op: 'add-c-1',
    });
    expect(added.body).toContain('name="c-1-0-kind" value="channel"');
    expect(added.body).toContain('Bedingung 2.1: Kanal');

    const group = { 'c-1-kind': 'nested', 'c-1-match': 'any', 'c-1-0-kind': 'channel', 'c-1-0-list': 'email', 'c-1-1-kind': 'regex' };
    const empty = await post('/admin/regeln/neu', { ...base, 'c-1-kind': 'nested', 'c-1-match': 'any', op: 'save' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Die Gruppe braucht mindestens eine Bedingung.');
    const badChild = await post('/admin/regeln/neu', { ...base, ...group, 'c-1-1-text': '', op: 'save' });
    expect(badChild.statusCode).toBe(400);
    expect(badChild.body).toContain('href="#c-1-1"');

    const saved = await post('/admin/regeln/neu', { ...base, ...group, 'c-1-1-text': 'strassen?lampe', op: 'save' });
    expect(saved.statusCode).toBe(303);
    const [rule] = await listRules(ctx.db);
    expect(rule?.conditions).toEqual({
      kind: 'all',
      conditions: [
        { kind: 'words', match: 'any', words: ['laterne', 'straßenlaterne'] },
        {
          kind: 'any',
          conditions: [
            { kind: 'channel', in: ['email'] },
            { kind: 'regex', pattern: 'strassen?lampe' },
          ],
        },
      ],
    });
    const edit = (await get(`/admin/regeln/${rule?.id}`)).body;
    expect(edit).toContain('name="c-1-1-kind" value="regex"');
    const removed = await post(`/admin/regeln/${rule?.id}`, { ...base, ...group, 'c-1-1-text': 'x', op: 'remove-c-1-0' });
    expect(removed.body).not.toContain('name="c-1-1-kind"');
    expect(removed.body).toContain('name="c-1-0-kind" value="regex"');
    await ctx.db.delete(routingRules);
  });

  it('fills the confirmation text of a rule from a Textbaustein, which the admin can still edit', async () => {
    const [template] = await ctx.db
      .insert(replyTemplates)
      .values({ title: 'Danke fürs Melden', body: 'Danke, {{name}}! Wir schauen bis {{frist}} nach. <b>fett</b>' })
      .returning();
    const withAck = { ...lampRule, 'a-2-kind': 'acknowledge', 'a-2-text': '' };
    const form = await post('/admin/regeln/neu', withAck);
    expect(form.body).toMatch(new RegExp(`<option value="${template?.id}"[^>]*>Danke fürs Melden</option>`));
    const filled = await post('/admin/regeln/neu', { ...withAck, 'a-2-pick': String(template?.id), op: 'template-a-2' });
    expect(filled.statusCode).toBe(200);
    expect(filled.body).toContain('Danke, {{name}}! Wir schauen bis {{frist}} nach. &lt;b>fett&lt;/b></textarea>');
    const none = await post('/admin/regeln/neu', { ...withAck, 'a-2-pick': '', op: 'template-a-2' });
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('Bitte wählen Sie einen Textbaustein aus der Liste.');
    expect(await listRules(ctx.db)).toHaveLength(0);
    await ctx.db.delete(replyTemplates);
  });

  it('offers deadline policies by name for the action "Frist-Richtlinie anwenden"', async () => {
    const [policy] = await ctx.db
      .insert(slaPolicies)
      .values({ name: 'Schulwege schnell', priority: 'urgent', responseMinutes: 60, resolutionMinutes: 240 })
      .returning();
    const form = await post('/admin/regeln/neu', { ...lampRule, op: 'addAction', newAction: 'sla' });
    expect(form.body).toContain('name="a-2-kind" value="sla"');
    expect(form.body).toMatch(new RegExp(`<option value="${policy?.id}"[^>]*>Schulwege schnell</option>`));
    const saved = await post('/admin/regeln/neu', { ...lampRule, 'a-2-kind': 'sla', 'a-2-value': String(policy?.id), op: 'save' });
    expect(saved.statusCode).toBe(303);
    expect((await get('/admin/regeln')).body).toContain('Frist „Schulwege schnell“');
    await ctx.db.delete(routingRules);
    await ctx.db.delete(slaPolicies);
  });

  it('saves, edits, reorders, switches off and deletes rules', async () => {
    const saved = await post('/admin/regeln/neu', { ...lampRule, op: 'save' });
    expect(saved.statusCode).toBe(303);
    const [first] = await listRules(ctx.db);
    expect(first?.conditions).toEqual({ kind: 'all', conditions: [{ kind: 'words', match: 'any', words: ['laterne', 'straßenlaterne'] }] });
    expect(saved.headers.location).toBe(`/admin/regeln/${first?.id}?hinweis=gespeichert`);
    const edit = await get(`/admin/regeln/${first?.id}`);
    expect(edit.body).toContain('value="laterne, straßenlaterne"');
    expect(edit.body).toContain('<option value="tiefbauamt" selected');

    await post('/admin/regeln/neu', {
      name: 'Ideen',
      onCreated: 'yes',
      match: 'all',
      'c-0-kind': 'type',
      'c-0-list': 'idea',
      'a-0-kind': 'setTeam',
      'a-0-value': 'innovationsmanagement',
      op: 'save',
    });
    expect((await listRules(ctx.db)).map((r) => r.name)).toEqual(['Laternen', 'Ideen']);
    const second = (await listRules(ctx.db))[1];
    expect((await post(`/admin/regeln/${second?.id}/verschieben`, { richtung: 'hoch' })).statusCode).toBe(303);
    expect((await listRules(ctx.db)).map((r) => r.name)).toEqual(['Ideen', 'Laternen']);

    await post(`/admin/regeln/${first?.id}/schalten`, { enabled: 'no' });
    expect((await listRules(ctx.db)).find((r) => r.id === first?.id)?.enabled).toBe(false);
    const list = await get('/admin/regeln');
    expect(list.body).toContain('Wenn Text enthält eines von „laterne“, „straßenlaterne“ → an Tiefbauamt, Priorität hoch');

    const renamed = await post(`/admin/regeln/${first?.id}`, { ...lampRule, name: 'Laternen (neu)', op: 'save' });
    expect(renamed.statusCode).toBe(303);
    expect((await listRules(ctx.db)).find((r) => r.id === first?.id)?.name).toBe('Laternen (neu)');

    expect((await post(`/admin/regeln/${second?.id}/loeschen`, {})).statusCode).toBe(303);
    expect((await listRules(ctx.db)).map((r) => r.name)).toEqual(['Laternen (neu)']);
    expect((await get('/admin/regeln/999999')).statusCode).toBe(404);
  });

  it('exports and imports rules as JSON; a broken file changes nothing and names the wrong field', async () => {
    const exported = await get('/admin/regeln/export');
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-disposition']).toContain('regeln.json');
    const file = JSON.parse(exported.body);
    expect(file.format).toBe('amtsblatt-regeln');
    expect(file.rules).toHaveLength(1);

    const importFile = async (text: string) => {
      const { token, cookie } = await csrfFor(ctx.app, '/admin', admin.cookie);
      const body = await multipart(
        { _csrf: token },
        { file: [{ data: Buffer.from(text), filename: 'regeln.json', type: 'application/json' }] },
      );
      return ctx.app.inject({
        method: 'POST',
        url: '/admin/regeln/import',
        headers: { cookie, accept: 'text/html', ...body.headers },
        payload: body.payload,
      });
    };

    const broken = structuredClone(file);
    broken.rules.push({ ...structuredClone(file.rules[0]), name: 'Zweite' });
    broken.rules[1].actions[0].value = 'Tiefbauamt!';
    const bad = await importFile(JSON.stringify(broken));
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('rules.1.actions.0.value');
    expect((await importFile('{nicht json')).body).toContain('kein gültiges JSON');
    expect(await listRules(ctx.db)).toHaveLength(1);

    const two = structuredClone(file);
    two.rules.unshift({ ...file.rules[0], name: 'Importiert', enabled: true });
    const ok = await importFile(JSON.stringify(two));
    expect(ok.statusCode, /Fehler[^<]*/.exec(ok.body)?.[0]).toBe(303);
    expect((await listRules(ctx.db)).map((r) => r.name)).toEqual(['Importiert', 'Laternen (neu)']);
    // Round trip: exporting again gives the same file.
    expect(JSON.parse((await get('/admin/regeln/export')).body)).toEqual(two);
    await ctx.db.delete(routingRules);
  });
});
