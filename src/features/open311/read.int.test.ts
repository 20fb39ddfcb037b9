import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fileCase } from '../../../test/helpers/cases.ts';
import { createTestContext, describeDb, type TestContext } from '../../../test/helpers/context.ts';
import { seedBasics } from '../../../test/helpers/fixtures.ts';
import { getOpen311, parseXml } from '../../../test/helpers/open311.ts';
import { projectionRowForTest } from '../../../test/helpers/public-cases.ts';
import { projectRoot } from '../../infra/project-root.ts';
import { attachments, publicCaseUpdates } from '../../infra/schema/index.ts';

/** The reading side of GeoReport v2: every endpoint in JSON and XML, the spec's defaults and filters. */
describeDb('Open311: reading', () => {
  let ctx: TestContext;
  let fixtures: Awaited<ReturnType<typeof seedBasics>>;
  const numbers: Record<string, string> = {};
  const DAY = 86_400_000;

  beforeAll(async () => {
    ctx = await createTestContext();
    fixtures = await seedBasics(ctx.db);
    const { streetLight, litter } = fixtures.categories;
    const now = Date.now();
    const file = async (name: string, over: Parameters<typeof fileCase>[1], publish: Parameters<typeof projectionRowForTest>[2] | null) => {
      const c = await fileCase(ctx, over);
      numbers[name] = c.number;
      if (publish) await projectionRowForTest(ctx.db, c.caseId, publish);
      return c;
    };
    const lamp = await file(
      'lamp',
      { categoryId: streetLight.id, description: 'Laterne flackert', locationText: 'Marktplatz 1', lat: 47.665, lon: 9.175 },
      { reportedAt: new Date(now - DAY), updatedAt: new Date(now - DAY / 2), teamName: 'Tiefbauamt', photoIds: [] },
    );
    await ctx.db.insert(publicCaseUpdates).values([
      { caseId: lamp.caseId, status: 'new', text: null, createdAt: new Date(now - DAY) },
      { caseId: lamp.caseId, status: 'in_progress', text: 'Wir schauen es uns an.', createdAt: new Date(now - DAY / 2) },
    ]);
    await file(
      'litter',
      { categoryId: litter.id, description: 'Sperrmüll am Ufer', lat: 47.5, lon: 9.5 },
      {
        status: 'resolved',
        statusNote: 'Abgeholt.',
        reportedAt: new Date(now - 2 * DAY),
        closedAt: new Date(now - DAY),
        updatedAt: new Date(now - DAY),
      },
    );
    await file(
      'old',
      { categoryId: litter.id, description: 'Alter Fall' },
      { reportedAt: new Date(now - 120 * DAY), updatedAt: new Date(now - 120 * DAY) },
    );
    await file('hidden', { categoryId: litter.id, description: 'Noch nicht freigegeben' }, null);
  });
  afterAll(async () => ctx?.close());

  it('discovery names this endpoint and both formats', async () => {
    const json = await getOpen311(ctx, 'discovery.json');
    expect(json.statusCode).toBe(200);
    expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
    const body = json.json();
    expect(body.endpoints[0]).toMatchObject({
      specification: 'http://wiki.open311.org/GeoReport_v2',
      url: 'http://localhost:3000/georeport/v2',
      type: 'production',
      formats: ['text/xml', 'application/json'],
    });
    const xml = await getOpen311(ctx, 'discovery.xml');
    expect(xml.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(xml.body.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
    expect(parseXml(xml.body).discovery.endpoints.endpoint[0].formats.format).toEqual(['text/xml', 'application/json']);
  });

  it('services are the active categories, with group and keywords (spec example shape)', async () => {
    const json = (await getOpen311(ctx, 'services.json')).json();
    expect(json).toContainEqual({
      service_code: 'strassenbeleuchtung',
      service_name: 'Straßenbeleuchtung',
      description: 'Straße & Verkehr: Straßenbeleuchtung',
      metadata: false,
      type: 'realtime',
      keywords: 'Straßenbeleuchtung, Straße & Verkehr',
      group: 'Straße & Verkehr',
    });
    const xml = await getOpen311(ctx, 'services.xml');
    expect(xml.body).toContain('<group>Straße &amp; Verkehr</group>');
    const services = parseXml(xml.body).services.service;
    expect(services.map((s: { service_code: string }) => s.service_code).sort()).toEqual(['illegaler-muell', 'strassenbeleuchtung']);
    expect(services[0].metadata).toBe('false');
  });

  it('a service definition answers with its code and attributes; an unknown code is 404 in the error format', async () => {
    expect((await getOpen311(ctx, 'services/strassenbeleuchtung.json')).json()).toEqual({
      service_code: 'strassenbeleuchtung',
      attributes: [],
    });
    const xml = parseXml((await getOpen311(ctx, 'services/strassenbeleuchtung.xml')).body);
    expect(xml.service_definition.service_code).toBe('strassenbeleuchtung');
    const unknown = await getOpen311(ctx, 'services/gibt-es-nicht.json');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual([{ code: 404, description: 'Den service_code „gibt-es-nicht“ gibt es nicht.' }]);
    const unknownXml = await getOpen311(ctx, 'services/gibt-es-nicht.xml');
    expect(unknownXml.statusCode).toBe(404);
    expect(unknownXml.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(parseXml(unknownXml.body).errors.error[0].code).toBe('404');
  });

  it('GET requests: the last 90 days by default, the spec fields, status open/closed', async () => {
    const res = await getOpen311(ctx, 'requests.json');
    expect(res.statusCode).toBe(200);
    const rows = res.json() as Record<string, unknown>[];
    const ids = rows.map((r) => r.service_request_id);
    expect(ids).toEqual([numbers.lamp, numbers.litter]);
    expect(ids).not.toContain(numbers.old);
    expect(ids).not.toContain(numbers.hidden);
    const lamp = rows[0] ?? {};
    expect(Object.keys(lamp)).toEqual([
      'service_request_id',
      'status',
      'status_notes',
      'service_name',
      'service_code',
      'description',
      'agency_responsible',
      'service_notice',
      'requested_datetime',
      'updated_datetime',
      'expected_datetime',
      'address',
      'address_id',
      'zipcode',
      'lat',
      'long',
      'media_url',
    ]);
    expect(lamp).toMatchObject({
      status: 'open',
      service_code: 'strassenbeleuchtung',
      address: 'Marktplatz 1',
      lat: 47.665,
      long: 9.175,
      agency_responsible: 'Tiefbauamt',
    });
    expect(lamp.requested_datetime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0[12]:00$/);
    expect(rows[1]).toMatchObject({ status: 'closed', status_notes: 'Abgeholt.' });

    const closed = (await getOpen311(ctx, 'requests.json?status=closed')).json();
    expect(closed.map((r: { service_request_id: string }) => r.service_request_id)).toEqual([numbers.litter]);
    const both = (await getOpen311(ctx, 'requests.json?status=open,closed')).json();
    expect(both).toHaveLength(2);
    const byCode = (await getOpen311(ctx, 'requests.json?service_code=illegaler-muell')).json();
    expect(byCode.map((r: { service_request_id: string }) => r.service_request_id)).toEqual([numbers.litter]);

    const xml = parseXml((await getOpen311(ctx, 'requests.xml?status=open')).body);
    expect(xml.service_requests.request).toHaveLength(1);
    expect(xml.service_requests.request[0]).toMatchObject({ service_request_id: numbers.lamp, status: 'open', media_url: '', zipcode: '' });
  });

  it('service_request_id (comma list) overrides the other arguments; start/end dates choose the window', async () => {
    const ids = (
      await getOpen311(ctx, `requests.json?service_request_id=${numbers.old},${numbers.hidden},${numbers.lamp}&status=closed`)
    ).json();
    expect(ids.map((r: { service_request_id: string }) => r.service_request_id).sort()).toEqual([numbers.lamp, numbers.old].sort());
    const start = new Date(Date.now() - 130 * DAY).toISOString().replace(/\.\d+Z$/, 'Z');
    const end = new Date(Date.now() - 100 * DAY).toISOString().replace(/\.\d+Z$/, 'Z');
    const window = (await getOpen311(ctx, `requests.json?start_date=${start}&end_date=${end}`)).json();
    expect(window.map((r: { service_request_id: string }) => r.service_request_id)).toEqual([numbers.old]);
    const since = (
      await getOpen311(ctx, `requests.json?start_date=${encodeURIComponent(new Date(Date.now() - 1.5 * DAY).toISOString())}`)
    ).json();
    expect(since.map((r: { service_request_id: string }) => r.service_request_id)).toEqual([numbers.lamp]);
  });

  it('extensions: page/page_size, updated_after, bbox in Mark-a-Spot order, extended_attributes', async () => {
    const page1 = (await getOpen311(ctx, 'requests.json?page_size=1&page=1')).json();
    const page2 = (await getOpen311(ctx, 'requests.json?page_size=1&page=2')).json();
    expect([page1[0].service_request_id, page2[0].service_request_id]).toEqual([numbers.lamp, numbers.litter]);
    const updated = (
      await getOpen311(ctx, `requests.json?updated_after=${encodeURIComponent(new Date(Date.now() - 0.75 * DAY).toISOString())}`)
    ).json();
    expect(updated.map((r: { service_request_id: string }) => r.service_request_id)).toEqual([numbers.lamp]);
    const box = (await getOpen311(ctx, 'requests.json?bbox=9.1,47.6,9.2,47.7')).json();
    expect(box.map((r: { service_request_id: string }) => r.service_request_id)).toEqual([numbers.lamp]);

    const extended = (await getOpen311(ctx, `requests/${numbers.lamp}.json?extensions=true`)).json();
    expect(extended[0].extended_attributes).toMatchObject({
      status_descriptive_name: 'neu',
      status_notes: [
        { status: 'open', status_descriptive_name: 'neu', text: null },
        { status: 'open', status_descriptive_name: 'in Bearbeitung', text: 'Wir schauen es uns an.' },
      ],
      media_urls: [],
    });
    const xml = parseXml((await getOpen311(ctx, `requests/${numbers.lamp}.xml?extensions=true`)).body);
    expect(xml.service_requests.request[0].extended_attributes.status_notes.status_note).toHaveLength(2);
    expect((await getOpen311(ctx, 'requests.json')).json()[0]).not.toHaveProperty('extended_attributes');
  });

  it('GET requests/{id}: a public case in both formats; an unpublished one answers 404 exactly like an unknown one', async () => {
    const json = await getOpen311(ctx, `requests/${numbers.lamp}.json`);
    expect(json.statusCode).toBe(200);
    expect(json.json()).toHaveLength(1);
    expect(parseXml((await getOpen311(ctx, `requests/${numbers.lamp}.xml`)).body).service_requests.request[0].service_request_id).toBe(
      numbers.lamp,
    );
    const hidden = await getOpen311(ctx, `requests/${numbers.hidden}.json`);
    const unknown = await getOpen311(ctx, 'requests/2099-99999.json');
    expect(hidden.statusCode).toBe(404);
    expect(unknown.statusCode).toBe(404);
    expect(hidden.json()[0].description.replace(numbers.hidden ?? '', 'X')).toBe(unknown.json()[0].description.replace('2099-99999', 'X'));
    const noFormat = await getOpen311(ctx, `requests/${numbers.lamp}.html`);
    expect(noFormat.statusCode).toBe(404);
    expect(noFormat.headers['content-type']).toBe('application/json; charset=utf-8');
  });

  it('servicerequestupdates: the public updates of a window, in FixMyStreet shape', async () => {
    const start = encodeURIComponent(new Date(Date.now() - 2 * DAY).toISOString());
    const json = (await getOpen311(ctx, `servicerequestupdates.json?start_date=${start}`)).json();
    expect(json).toHaveLength(2);
    expect(json[1]).toMatchObject({
      service_request_id: numbers.lamp,
      status: 'IN_PROGRESS',
      description: 'Wir schauen es uns an.',
      media_url: null,
    });
    expect(Object.keys(json[1])).toEqual(['update_id', 'service_request_id', 'status', 'updated_datetime', 'description', 'media_url']);
    const xml = parseXml((await getOpen311(ctx, `servicerequestupdates.xml?start_date=${start}`)).body);
    expect(xml.service_request_updates.request_update[0]).toMatchObject({ service_request_id: numbers.lamp, status: 'OPEN' });
  });

  it('media_url serves a released photo of a published case; other photos and unknown ids are 404', async () => {
    const c = await fileCase(ctx, { categoryId: fixtures.categories.litter.id, description: 'Mit Foto' });
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xd9]);
    const stored = async () => {
      const storageKey = await ctx.storage.put(jpeg, 'jpg');
      const [row] = await ctx.db
        .insert(attachments)
        .values({ caseId: c.caseId, storageKey, mimeType: 'image/jpeg', bytes: jpeg.length })
        .returning({ id: attachments.id });
      return row?.id ?? 0;
    };
    const released = await stored();
    const held = await stored();
    await projectionRowForTest(ctx.db, c.caseId, { photoIds: [released] });
    const [request] = (await getOpen311(ctx, `requests/${c.number}.json?extensions=true`)).json();
    expect(request.media_url).toBe(`http://localhost:3000/georeport/v2/media/${c.number}/${released}`);
    expect(request.extended_attributes.media_urls).toEqual([request.media_url]);
    const photo = await getOpen311(ctx, `media/${c.number}/${released}`);
    expect(photo.statusCode).toBe(200);
    expect(photo.headers['content-type']).toBe('image/jpeg');
    expect(photo.rawPayload.equals(jpeg)).toBe(true);
    expect((await getOpen311(ctx, `media/${c.number}/${held}`)).statusCode).toBe(404);
    expect((await getOpen311(ctx, `media/${numbers.lamp}/${released}`)).statusCode).toBe(404);
    expect((await getOpen311(ctx, `media/${c.number}/abc`)).statusCode).toBe(404);
  });

  it('unknown paths below /georeport/v2 answer in the error format, never with a page', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/georeport/v2/gibtsnicht.xml', headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(res.body).not.toContain('<html');
    expect(parseXml(res.body).errors.error[0].code).toBe('404');
  });

  it('our requests have the shape of a real German Open311 server (Köln, 2016)', async (test) => {
    const sample = join(projectRoot, '..', 'shared', 'data', 'koeln_sagsuns_open311_sample_2016.json');
    if (!existsSync(sample)) test.skip(`Köln sample not found at ${sample}; the shape comparison is skipped`);
    const koeln = JSON.parse(readFileSync(sample, 'utf8')) as Record<string, unknown>[];
    const ours = (await getOpen311(ctx, 'requests.json')).json()[0] as Record<string, unknown>;
    const theirs = koeln[0] ?? {};
    for (const [field, value] of Object.entries(theirs)) {
      expect(ours, field).toHaveProperty(field);
      if (value !== null && ours[field] !== null) expect(typeof ours[field], field).toBe(typeof value);
    }
    expect(String(ours.requested_datetime)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
    expect(String(theirs.requested_datetime)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
  });
});
