import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestContext, describeDb, type TestContext } from '../../../test/helpers/context.ts';
import { seedBasics } from '../../../test/helpers/fixtures.ts';
import { getOpen311, newApiKey, parseXml, postOpen311 } from '../../../test/helpers/open311.ts';
import { publishForTest } from '../../../test/helpers/public-cases.ts';
import { apiKeys, cases, contacts, messages, outbox } from '../../infra/schema/index.ts';
import { revokeApiKey } from './api-keys.ts';

/**
 * POST requests: the spec's example request through the real intake, idempotent replays, keys,
 * the privacy of what the reporter gave, and every kind of bad input.
 */
describeDb('Open311: reporting', () => {
  let ctx: TestContext;
  let key: string;
  let keyId: number;

  /** The spec's example request (GeoReport v2, POST Service Request), with our service code. */
  const specExample = (over: Record<string, string> = {}) => ({
    api_key: key,
    jurisdiction_id: 'city.gov',
    service_code: 'strassenbeleuchtung',
    lat: '37.76524078',
    long: '-122.4212043',
    address_string: '1234 5th street',
    email: 'smit333@sfgov.edu',
    device_id: 'tt222111',
    account_id: '123456',
    first_name: 'john',
    last_name: 'smith',
    phone: '111111111',
    description: 'A large sinkhole is destroying the street',
    media_url: 'http://farm3.static.flickr.com/2002/2212426634_5ed477a060.jpg',
    'attribute[WHISPAWN]': '123456',
    'attribute[WHISDORN]': 'COISL001',
    ...over,
  });

  beforeAll(async () => {
    ctx = await createTestContext();
    await seedBasics(ctx.db);
    ({ key, id: keyId } = await newApiKey(ctx));
  });
  afterAll(async () => ctx?.close());

  const caseOf = async (number: string) => {
    const [c] = await ctx.db.select().from(cases).where(eq(cases.number, number));
    if (!c) throw new Error(`no case ${number}`);
    return c;
  };

  it('the spec example (JSON): a case through the intake, channel open311, personal data to the contact, media_url only noted', async () => {
    const res = await postOpen311(ctx, specExample({ 'attribute[client_id]': 'spec-json' }));
    expect(res.statusCode).toBe(201);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    const [answer] = res.json();
    expect(Object.keys(answer)).toEqual(['service_request_id', 'token', 'service_notice', 'account_id']);
    expect(answer.account_id).toBeNull();
    const c = await caseOf(answer.service_request_id);
    expect(c).toMatchObject({
      channel: 'open311',
      externalId: `open311:${keyId}:spec-json`,
      description: 'A large sinkhole is destroying the street',
      locationText: '1234 5th street',
      lat: 37.76524078,
      lon: -122.4212043,
      reporterName: 'john smith',
      reporterEmail: 'smit333@sfgov.edu',
    });
    const [contact] = await ctx.db
      .select()
      .from(contacts)
      .where(eq(contacts.id, c.contactId ?? 0));
    expect(contact).toMatchObject({ kind: 'email', address: 'smit333@sfgov.edu' });
    const notes = (await ctx.db.select().from(messages).where(eq(messages.caseId, c.id)))
      .filter((m) => m.kind === 'note')
      .map((m) => m.body);
    expect(notes.join('\n')).toContain('http://farm3.static.flickr.com/2002/2212426634_5ed477a060.jpg');
    expect(notes.join('\n')).toContain('Angabe WHISDORN: COISL001');
    // Like the web form: the reporter with an address gets the acknowledgement mail.
    const mails = await ctx.db.select().from(outbox).where(eq(outbox.caseId, c.id));
    expect(mails).toHaveLength(1);
  });

  it('the spec example (XML): the answer is <service_requests><request>', async () => {
    const res = await postOpen311(ctx, specExample({ 'attribute[client_id]': 'spec-xml' }), { format: 'xml' });
    expect(res.statusCode).toBe(201);
    expect(res.headers['content-type']).toBe('text/xml; charset=utf-8');
    const request = parseXml(res.body).service_requests.request[0];
    expect(request.service_request_id).toMatch(/^\d{4}-\d{5}$/);
    expect(request.account_id).toBe('');
    expect(request.token).toContain(request.service_request_id);
  });

  it('without an e-mail address: stored with the phone as contact, nothing to send; a cross-site post is no CSRF case here', async () => {
    const { email: _e, ...noMail } = specExample({ 'attribute[client_id]': 'no-mail', phone: '+49 7531 12345' });
    const res = await postOpen311(ctx, noMail, { headers: { origin: 'https://app.example.org', 'sec-fetch-site': 'cross-site' } });
    expect(res.statusCode).toBe(201);
    const c = await caseOf(res.json()[0].service_request_id);
    expect(c.reporterEmail).toBeNull();
    const [contact] = await ctx.db
      .select()
      .from(contacts)
      .where(eq(contacts.id, c.contactId ?? 0));
    expect(contact?.kind).toBe('phone');
    expect(await ctx.db.select().from(outbox).where(eq(outbox.caseId, c.id))).toHaveLength(0);
  });

  it('a replay (same client id, Idempotency-Key, or the same content) returns the same service_request_id', async () => {
    const first = await postOpen311(ctx, specExample({ 'attribute[fixmystreet_id]': '4711' }));
    const again = await postOpen311(ctx, specExample({ 'attribute[fixmystreet_id]': '4711', description: 'anders formuliert' }));
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(200);
    expect(again.json()[0].service_request_id).toBe(first.json()[0].service_request_id);

    const headers = { 'idempotency-key': 'abc-123' };
    const h1 = await postOpen311(ctx, specExample({ description: 'Mit Kopfzeile' }), { headers });
    const h2 = await postOpen311(ctx, specExample({ description: 'Mit Kopfzeile' }), { headers, format: 'xml' });
    expect(parseXml(h2.body).service_requests.request[0].service_request_id).toBe(h1.json()[0].service_request_id);

    const plain = specExample({ description: 'Ohne jede Kennung' });
    const p1 = await postOpen311(ctx, plain);
    const p2 = await postOpen311(ctx, plain);
    expect(p2.statusCode).toBe(200);
    expect(p2.json()[0].service_request_id).toBe(p1.json()[0].service_request_id);
    const count = await ctx.db.select({ id: cases.id }).from(cases).where(eq(cases.description, 'Ohne jede Kennung'));
    expect(count).toHaveLength(1);

    // Another client with the same id makes its own case: ids are namespaced by key.
    const other = await newApiKey(ctx, { name: 'Andere App' });
    const foreign = await postOpen311(ctx, specExample({ api_key: other.key, 'attribute[fixmystreet_id]': '4711' }));
    expect(foreign.statusCode).toBe(201);
    expect(foreign.json()[0].service_request_id).not.toBe(first.json()[0].service_request_id);
  });

  it('the token answers 404 until the case is published, then its service_request_id', async () => {
    const res = await postOpen311(ctx, specExample({ 'attribute[client_id]': 'token-test' }));
    const { service_request_id: number, token } = res.json()[0];
    expect((await getOpen311(ctx, `tokens/${token}.json`)).statusCode).toBe(404);
    expect((await getOpen311(ctx, `requests/${number}.json`)).statusCode).toBe(404);
    await publishForTest(ctx.db, (await caseOf(number)).id);
    expect((await getOpen311(ctx, `tokens/${token}.json`)).json()).toEqual([{ service_request_id: number, token }]);
    expect(parseXml((await getOpen311(ctx, `tokens/${token}.xml`)).body).service_requests.request[0]).toEqual({
      service_request_id: number,
      token,
    });
    expect((await getOpen311(ctx, `tokens/${number}.forged.json`)).statusCode).toBe(404);
  });

  it('name, e-mail, phone, device and account id never appear in any GET answer', async () => {
    const personal = {
      email: 'geheim.person@example.org',
      first_name: 'Gerlinde',
      last_name: 'Geheimnisvoll',
      phone: '+49 170 1234567',
      device_id: 'geraet-xyz-987',
      account_id: 'konto-abc-654',
    };
    const res = await postOpen311(
      ctx,
      specExample({ ...personal, description: 'Loch in der Fahrbahn', 'attribute[client_id]': 'privacy' }),
    );
    const { service_request_id: number, token } = res.json()[0];
    // Published as the projector would publish it: its own text, nothing of the contact.
    await publishForTest(ctx.db, (await caseOf(number)).id);
    const start = encodeURIComponent(new Date(Date.now() - 86_400_000).toISOString());
    const paths = ['requests', `requests/${number}`, `tokens/${token}`, 'services', 'discovery', `servicerequestupdates`].flatMap((p) => [
      `${p}.json`,
      `${p}.xml`,
      `${p}.json?extensions=true&start_date=${start}`,
      `${p}.xml?extensions=true&start_date=${start}`,
    ]);
    for (const path of paths) {
      const body = (await getOpen311(ctx, path)).body;
      for (const value of [...Object.values(personal), '1234567', 'Gerlinde', 'geheim.person'])
        expect(body, `${path} shows ${value}`).not.toContain(value);
    }
    expect((await getOpen311(ctx, `requests/${number}.json`)).json()[0].description).toBe('Loch in der Fahrbahn');
  });

  it('keys: missing, wrong and revoked keys are refused with 403 in the error format; the last use is recorded', async () => {
    const { api_key: _drop, ...withoutKey } = specExample();
    const missing = await postOpen311(ctx, withoutKey);
    expect(missing.statusCode).toBe(403);
    expect(missing.json()).toEqual([{ code: 403, description: expect.stringContaining('API-Schlüssel') }]);
    const wrong = await postOpen311(ctx, specExample({ api_key: 'a311_falsch' }), { format: 'xml' });
    expect(wrong.statusCode).toBe(403);
    expect(parseXml(wrong.body).errors.error[0]).toEqual({ code: '403', description: 'Dieser API-Schlüssel (api_key) ist ungültig.' });

    const revokable = await newApiKey(ctx, { name: 'Bald widerrufen' });
    expect((await postOpen311(ctx, specExample({ api_key: revokable.key, 'attribute[client_id]': 'r1' }))).statusCode).toBe(201);
    const [used] = await ctx.db.select().from(apiKeys).where(eq(apiKeys.id, revokable.id));
    expect(used?.lastUsedAt).toBeInstanceOf(Date);
    await revokeApiKey({ db: ctx.db, log: ctx.log }, null, revokable.id, new Date());
    const revoked = await postOpen311(ctx, specExample({ api_key: revokable.key, 'attribute[client_id]': 'r2' }));
    expect(revoked.statusCode).toBe(403);
    expect(revoked.json()[0].description).toContain('widerrufen');
    // A revoked key is refused on reads too, so the client learns of it.
    expect((await getOpen311(ctx, `services.json?api_key=${revokable.key}`)).statusCode).toBe(403);
  });

  it('a key over its rate answers 429 in the error format', async () => {
    const slow = await newApiKey(ctx, { name: 'Langsam', rate: 2 });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await getOpen311(ctx, `services.json?api_key=${slow.key}`)).statusCode);
    expect(statuses).toEqual([200, 200, 429]);
    const limited = await getOpen311(ctx, `services.xml?api_key=${slow.key}`);
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBe('60');
    expect(parseXml(limited.body).errors.error[0].code).toBe('429');
    // Other keys have their own counter.
    expect((await getOpen311(ctx, `services.json?api_key=${key}`)).statusCode).toBe(200);
  });
});
