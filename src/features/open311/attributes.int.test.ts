import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { postForm } from '../../../test/helpers/cases.ts';
import { createTestContext, createUser, describeDb, type TestContext, type TestUser } from '../../../test/helpers/context.ts';
import { seedBasics } from '../../../test/helpers/fixtures.ts';
import { getOpen311, newApiKey, parseXml } from '../../../test/helpers/open311.ts';
import { cases, categories, messages } from '../../infra/schema/index.ts';

/**
 * A category's Open311 extras: the admin defines keywords and questions, services.json and
 * services/{code} describe them as the spec says, and a client's answers are checked and land in
 * the case as notes named by the question.
 */
describeDb('Open311: keywords and questions of a category', () => {
  let ctx: TestContext;
  let admin: TestUser;
  let key: string;
  let lampId: number;
  const editor = () => `/admin/schnittstellen/kategorien/${lampId}`;

  beforeAll(async () => {
    ctx = await createTestContext();
    const town = await seedBasics(ctx.db);
    lampId = town.categories.streetLight.id;
    admin = await createUser(ctx, { role: 'admin' });
    ({ key } = await newApiKey(ctx));
    const saved = await postForm(ctx, editor(), editor(), admin.cookie, {
      keywords: 'Lampe, Laterne,  Lampe',
      description_0: 'Welche Nummer steht am Mast?',
      datatype_0: 'number',
      code_0: '',
      description_1: 'Was ist mit der Lampe?',
      datatype_1: 'singlevaluelist',
      code_1: 'zustand',
      required_1: 'yes',
      values_1: 'aus = Sie ist aus\nSie flackert',
      description_2: 'Was noch?',
      datatype_2: 'multivaluelist',
      code_2: 'extras',
      values_2: 'Mast schief\nKabel offen',
    });
    expect(saved.statusCode).toBe(303);
  });
  afterAll(() => ctx?.close());

  it('the editor stores the questions; the key of an answer is made from its name when none is given', async () => {
    const [row] = await ctx.db.select().from(categories).where(eq(categories.id, lampId));
    expect(row?.keywords).toEqual(['Lampe', 'Laterne']);
    expect(row?.attributes).toEqual([
      { code: 'welche_nummer_steht_am_mast', description: 'Welche Nummer steht am Mast?', datatype: 'number', required: false },
      {
        code: 'zustand',
        description: 'Was ist mit der Lampe?',
        datatype: 'singlevaluelist',
        required: true,
        values: [
          { key: 'aus', name: 'Sie ist aus' },
          { key: 'sie-flackert', name: 'Sie flackert' },
        ],
      },
      {
        code: 'extras',
        description: 'Was noch?',
        datatype: 'multivaluelist',
        required: false,
        values: [
          { key: 'mast-schief', name: 'Mast schief' },
          { key: 'kabel-offen', name: 'Kabel offen' },
        ],
      },
    ]);
    const page = await ctx.app.inject({ url: editor(), headers: { cookie: admin.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Was ist mit der Lampe?');
  });

  it('services.json says metadata and the keywords; services/{code} lists the attributes in the spec shape (JSON and XML)', async () => {
    const services = (await getOpen311(ctx, 'services.json')).json() as { service_code: string; metadata: boolean; keywords: string }[];
    const lamp = services.find((s) => s.service_code === 'strassenbeleuchtung');
    expect(lamp).toMatchObject({ metadata: true, keywords: 'Straßenbeleuchtung, Straße & Verkehr, Lampe, Laterne' });
    expect(services.find((s) => s.service_code === 'illegaler-muell')?.metadata).toBe(false);

    const definition = (await getOpen311(ctx, 'services/strassenbeleuchtung.json')).json();
    expect(definition.service_code).toBe('strassenbeleuchtung');
    expect(definition.attributes[1]).toEqual({
      variable: true,
      code: 'zustand',
      datatype: 'singlevaluelist',
      required: true,
      datatype_description: 'Auswahl: eine Antwort',
      order: 2,
      description: 'Was ist mit der Lampe?',
      values: [
        { key: 'aus', name: 'Sie ist aus' },
        { key: 'sie-flackert', name: 'Sie flackert' },
      ],
    });
    const xml = parseXml((await getOpen311(ctx, 'services/strassenbeleuchtung.xml')).body);
    const attr = xml.service_definition.attributes.attribute[1];
    expect(attr).toMatchObject({ code: 'zustand', required: 'true', order: '2' });
    expect(attr.values.value).toEqual([
      { key: 'aus', name: 'Sie ist aus' },
      { key: 'sie-flackert', name: 'Sie flackert' },
    ]);
  });

  const report = (over: Record<string, string>, extra = '') =>
    ctx.app.inject({
      method: 'POST',
      url: '/georeport/v2/requests.json',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload:
        new URLSearchParams({
          api_key: key,
          service_code: 'strassenbeleuchtung',
          lat: '47.665',
          long: '9.175',
          description: 'Die Lampe an der Ecke ist kaputt.',
          ...over,
        }).toString() + extra,
    });

  it('answers are checked: a required one missing, an unknown choice, a number that is none are 400 in the error format', async () => {
    const missing = await report({});
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toEqual([{ code: 400, description: 'Bitte beantworten Sie attribute[zustand]: „Was ist mit der Lampe?“.' }]);
    const unknown = await report({ 'attribute[zustand]': 'brennt' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()[0].description).toContain('kennt die Antwort „brennt“ nicht; gültig: aus, sie-flackert');
    const notNumber = await report({ 'attribute[zustand]': 'aus', 'attribute[welche_nummer_steht_am_mast]': 'zwölf' });
    expect(notNumber.statusCode).toBe(400);
    expect(notNumber.json()[0].description).toBe('attribute[welche_nummer_steht_am_mast] muss eine Zahl sein.');
    const twice = await report(
      { 'attribute[zustand]': 'aus' },
      '&attribute%5Bzustand%5D%5B%5D=aus&attribute%5Bzustand%5D%5B%5D=sie-flackert',
    );
    expect(twice.statusCode).toBe(400);
    expect(await ctx.db.select().from(cases)).toHaveLength(0);
  });

  it('good answers land in the case as notes named by the question, with the names of the choices', async () => {
    const res = await report(
      { 'attribute[zustand]': 'sie-flackert', 'attribute[welche_nummer_steht_am_mast]': '12', 'attribute[fixmystreet_id]': '777' },
      '&attribute%5Bextras%5D%5B%5D=mast-schief&attribute%5Bextras%5D%5B%5D=kabel-offen',
    );
    expect(res.statusCode).toBe(201);
    const [c] = await ctx.db.select().from(cases);
    const notes = (
      await ctx.db
        .select({ body: messages.body })
        .from(messages)
        .where(eq(messages.caseId, c?.id ?? 0))
    )
      .map((m) => m.body)
      .join('\n');
    expect(notes).toContain('Welche Nummer steht am Mast: 12');
    expect(notes).toContain('Was ist mit der Lampe: Sie flackert');
    expect(notes).toContain('Was noch: Mast schief, Kabel offen');
    expect(notes).toContain('Angabe fixmystreet_id: 777');
  });

  it('the editor refuses a choice without answers, a code twice, and markup with German messages, keeping what was saved', async () => {
    const bad = async (fields: Record<string, string>) => postForm(ctx, editor(), editor(), admin.cookie, fields);
    const noValues = await bad({ description_0: 'Farbe?', datatype_0: 'singlevaluelist', code_0: 'farbe' });
    expect(noValues.statusCode).toBe(400);
    expect(noValues.body).toContain('Eine Auswahl braucht mindestens eine Antwort.');
    const twice = await bad({
      description_0: 'A?',
      code_0: 'a',
      datatype_0: 'string',
      description_1: 'B?',
      code_1: 'a',
      datatype_1: 'string',
    });
    expect(twice.statusCode).toBe(400);
    expect(twice.body).toContain('Die Kennung „a“ kommt zweimal vor.');
    const control = await bad({ description_0: 'Frage\u0007', code_0: 'x', datatype_0: 'string' });
    expect(control.statusCode).toBe(400);
    const html = await bad({ description_0: '<script>alert(1)</script>', code_0: 'x', datatype_0: 'string', keywords: '<b>fett</b>' });
    expect(html.statusCode).toBe(303);
    const page = await ctx.app.inject({ url: editor(), headers: { cookie: admin.cookie } });
    expect(page.body).not.toContain('<script>alert(1)</script>');
    expect(page.body).toContain('value="&lt;script>alert(1)&lt;/script>"');
    const staff = await createUser(ctx, { role: 'staff' });
    expect((await ctx.app.inject({ url: editor(), headers: { cookie: staff.cookie } })).statusCode).toBe(403);
    expect((await ctx.app.inject({ url: '/admin/schnittstellen/kategorien/999999', headers: { cookie: admin.cookie } })).statusCode).toBe(
      404,
    );
  });
});
