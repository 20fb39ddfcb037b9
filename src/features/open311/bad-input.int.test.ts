import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestContext, createUser, describeDb, type TestContext } from '../../../test/helpers/context.ts';
import { seedBasics } from '../../../test/helpers/fixtures.ts';
import { getOpen311, newApiKey, parseXml, postOpen311 } from '../../../test/helpers/open311.ts';
import { publishForTest } from '../../../test/helpers/public-cases.ts';
import { cases } from '../../infra/schema/index.ts';

/** Every kind of bad input answers 400/403/404 in the spec's error format, JSON and XML, and stores nothing. */
describeDb('Open311: bad input', () => {
  let ctx: TestContext;
  let key: string;
  const valid = (over: Record<string, string> = {}) => ({
    api_key: key,
    service_code: 'strassenbeleuchtung',
    lat: '47.665',
    long: '9.175',
    description: 'Die Laterne ist aus.',
    ...over,
  });

  beforeAll(async () => {
    ctx = await createTestContext();
    await seedBasics(ctx.db);
    ({ key } = await newApiKey(ctx));
  });
  afterAll(async () => ctx?.close());

  const caseCount = async () => (await ctx.db.select({ id: cases.id }).from(cases)).length;

  /** Posts in both formats and checks status and that the description names the problem. */
  async function refused(fields: Record<string, string>, status: number, says: string) {
    const before = await caseCount();
    const json = await postOpen311(ctx, fields);
    expect(json.statusCode, JSON.stringify(json.json())).toBe(status);
    expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
    const errors = json.json() as { code: number; description: string }[];
    expect(errors.every((e) => e.code === status)).toBe(true);
    expect(errors.map((e) => e.description).join(' ')).toContain(says);
    const xml = await postOpen311(ctx, fields, { format: 'xml' });
    expect(xml.statusCode).toBe(status);
    expect(xml.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(parseXml(xml.body).errors.error[0].code).toBe(String(status));
    expect(await caseCount()).toBe(before);
  }

  it('unknown service code → 404', () => refused(valid({ service_code: 'gibt-es-nicht' }), 404, 'service_code'));
  it('missing location → 400', () => refused(valid({ lat: '', long: '' }), 400, 'Ort'));
  it('only one of lat/long → 400', () => refused(valid({ long: '' }), 400, 'lat und long'));
  it('lat out of range → 400', () => refused(valid({ lat: '91' }), 400, 'lat muss zwischen -90 und 90'));
  it('long out of range → 400', () => refused(valid({ long: '-180.5' }), 400, 'long muss zwischen -180 und 180'));
  it('lat not a number → 400', () => refused(valid({ lat: '47,6' }), 400, 'Dezimalzahl'));
  it('missing description → 400', () => refused(valid({ description: '' }), 400, 'description'));
  it('oversized description → 400', () => refused(valid({ description: 'x'.repeat(4001) }), 400, '4.000 Zeichen'));
  it('invalid e-mail → 400', () => refused(valid({ email: 'kein-at' }), 400, 'email'));
  it('media_url not http(s) → 400', () => refused(valid({ media_url: 'javascript:alert(1)' }), 400, 'media_url'));
  it('control characters (XML-unsafe) in any field → 400', async () => {
    await refused(valid({ description: 'Text mit \u0001 Steuerzeichen' }), 400, 'Steuerzeichen');
    await refused(valid({ address_string: 'Markt\u000b1' }), 400, 'Steuerzeichen');
    await refused(valid({ 'attribute[x]': 'a\u0000b' }), 400, 'Steuerzeichen');
  });
  it('line break in a single-line field → 400', () => refused(valid({ address_string: 'Markt\n1' }), 400, 'address_string'));
  it('a field given twice → 400', async () => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/georeport/v2/requests.json',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `${new URLSearchParams(valid()).toString()}&description=zweimal`,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()[0].description).toContain('description');
  });
  it('a JSON body → 400 (the spec posts forms)', async () => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/georeport/v2/requests.json',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify(valid()),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual([{ code: 400, description: 'Dieses Datenformat wird hier nicht angenommen.' }]);
  });
  it('an over-long Idempotency-Key → 400', async () => {
    const res = await postOpen311(ctx, valid(), { headers: { 'idempotency-key': 'k'.repeat(201) } });
    expect(res.statusCode).toBe(400);
  });

  /** GET refusals, both formats. */
  async function refusedGet(path: string, says: string) {
    const json = await getOpen311(ctx, `requests.json?${path}`);
    expect(json.statusCode, json.body).toBe(400);
    expect(json.json()[0]).toEqual({ code: 400, description: expect.stringContaining(says) });
    const xml = await getOpen311(ctx, `requests.xml?${path}`);
    expect(xml.statusCode).toBe(400);
    expect(parseXml(xml.body).errors.error[0].description).toContain(says);
  }

  it('bbox inverted → 400', () => refusedGet('bbox=9.2,47.6,9.1,47.7', 'vertauscht'));
  it('bbox huge → 400', () => refusedGet('bbox=-180,-90,180,90', 'zu groß'));
  it('bbox malformed → 400', () => refusedGet('bbox=9.1,47.6,9.2', 'vier Zahlen'));
  it('page_size 10⁶ → 400', () => refusedGet('page_size=1000000', 'page_size muss eine ganze Zahl von 1 bis 1.000'));
  it('page 0 → 400', () => refusedGet('page=0', 'page muss'));
  it('malformed dates → 400', async () => {
    await refusedGet('start_date=gestern', 'start_date ist kein gültiges Datum');
    await refusedGet('end_date=2026-13-45T00:00:00Z', 'end_date ist kein gültiges Datum');
    await refusedGet('updated_after=2026-01-01T25:00:00Z', 'updated_after ist kein gültiges Datum');
  });
  it('a window of more than 90 days or the wrong way round → 400', async () => {
    await refusedGet('start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z', '90 Tage');
    await refusedGet('start_date=2026-06-01T00:00:00Z&end_date=2026-01-01T00:00:00Z', 'tauschen');
  });
  it('an unknown status → 400', () => refusedGet('status=erledigt', 'open und closed'));
  it('servicerequestupdates with a malformed date → 400', async () => {
    const res = await getOpen311(ctx, 'servicerequestupdates.xml?start_date=morgen');
    expect(res.statusCode).toBe(400);
    expect(parseXml(res.body).errors.error[0].code).toBe('400');
  });
  it('control characters in a query → 400 in the error format', async () => {
    const res = await getOpen311(ctx, 'requests.xml?service_code=%01');
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toBe('text/xml; charset=utf-8');
  });

  it('HTML and script in every field come back as text: escaped in JSON and XML, never as a page', async () => {
    const evil = '<script>alert("x")</script><b>&amp;</b>';
    const res = await postOpen311(ctx, {
      ...valid({ description: `Beschreibung ${evil}`, address_string: `Ort ${evil}` }),
      'attribute[client_id]': 'html',
      // Not the payload: the reporter's own name is masked wherever it appears in the public text.
      first_name: 'Eva',
      email: 'html@example.org',
    });
    expect(res.statusCode).toBe(201);
    const number = res.json()[0].service_request_id;
    const [c] = await ctx.db.select().from(cases).where(eq(cases.number, number));
    await publishForTest(ctx.db, c?.id ?? 0);
    const json = await getOpen311(ctx, `requests/${number}.json`);
    expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(json.headers['x-content-type-options']).toBe('nosniff');
    expect(json.json()[0]).toMatchObject({ description: `Beschreibung ${evil}`, address: `Ort ${evil}` });
    const xml = await getOpen311(ctx, `requests/${number}.xml`);
    expect(xml.body).not.toContain('<script>');
    expect(xml.body).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;&amp;amp;&lt;/b&gt;');
    expect(parseXml(xml.body).service_requests.request[0].description).toBe(`Beschreibung ${evil}`);
    // Staff see it on the case page as text too, escaped by the page renderer.
    const staff = await createUser(ctx, { role: 'admin' });
    const page = await ctx.app.inject({
      method: 'GET',
      url: `/staff/faelle/${number}`,
      headers: { cookie: staff.cookie, accept: 'text/html' },
    });
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('<script>alert');
    expect(page.body).toContain('&lt;script');
  });
});
