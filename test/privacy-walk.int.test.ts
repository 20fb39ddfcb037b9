import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addNote, replyToCitizen } from '../src/features/cases/service.ts';
import { mergeCases } from '../src/features/duplicates/merge-service.ts';
import { refreshPublicCase } from '../src/features/transparency/projection/write.ts';
import { withdrawCase, withholdCase } from '../src/features/transparency/publication/service.ts';
import { attachments, caseReporters, cases, messages } from '../src/infra/schema/index.ts';
import { fileCase } from './helpers/cases.ts';
import { createTestContext, createUser, csrfFor, describeDb, type TestContext } from './helpers/context.ts';
import { seedBasics } from './helpers/fixtures.ts';
import { multipart } from './helpers/multipart.ts';
import { publishForTest } from './helpers/public-cases.ts';

/**
 * The privacy walk: every GET route the app has (read from the router, so a route added later is
 * walked too), asked without a session with every case number, id and non-secret value we know,
 * must never answer with anything personal or unpublished: reporters, followers, staff names,
 * internal notes, texts of unpublished, withheld, withdrawn and merged cases, unreleased photos,
 * anyone's private link. The two private links (the reporter's tracking page and the follower's
 * page) are walked as well, each may show only what its holder may see.
 */

/** Reads the route tree Fastify prints into full paths with their methods. */
function routesOf(tree: string): { path: string; methods: string[] }[] {
  const stack: string[] = [];
  const out: { path: string; methods: string[] }[] = [];
  for (const line of tree.split('\n')) {
    const m = /^([│ ]*)[└├]── (.+?) \(([A-Z, ]+)\)$/.exec(line.replace(/\u00a0/g, ' '));
    if (!m) continue;
    const depth = (m[1] ?? '').length / 4;
    const segment = m[2] ?? '';
    const parent = depth === 0 ? '' : (stack[depth - 1] ?? '');
    const joined = depth === 0 ? segment : parent === '/' ? `/${segment}` : `${parent}${segment}`;
    stack[depth] = joined;
    stack.length = depth + 1;
    out.push({ path: joined, methods: (m[3] ?? '').split(', ') });
  }
  return out;
}

describeDb('privacy walk through every route', () => {
  let ctx: TestContext;
  const secrets: string[] = [];
  const reporterSecrets: string[] = [];
  const followerSecrets: string[] = [];
  const noteText = 'INTERNE-NOTIZ-4711 Nachbar streitet mit dem Hausmeister';
  let trackingA = '';
  let followerToken = '';
  let numbers: string[] = [];
  let ids: number[] = [];
  let publicTextOfA = '';
  let releasedPhotoId = 0;
  let unreleasedPhotoId = 0;
  let numberA = '';

  beforeAll(async () => {
    ctx = await createTestContext();
    const town = await seedBasics(ctx.db);
    const staff = await createUser(ctx, { name: 'Hildegard Staffname', email: 'hildegard.staffname@musterstadt.example', role: 'admin' });
    const actor = { id: staff.id, role: 'admin' as const, teamIds: [], displayName: 'Hildegard Staffname' };
    const deps = { db: ctx.db, queue: ctx.queue, clock: ctx.clock, channels: ctx.channels, config: ctx.config };
    const version = async (id: number) => (await ctx.db.select({ v: cases.version }).from(cases).where(eq(cases.id, id)))[0]?.v ?? 0;
    const place = { lat: 47.665, lon: 9.175, categoryId: town.categories.streetLight.id };

    // A: published, with a masked name, phone and plate, an internal note, a signed answer, a follower, two photos.
    const a = await fileCase(ctx, {
      ...place,
      description:
        'Die Straßenlaterne vor dem Rathaus ist dunkel. Friederike Geheimname, Tel. 0151 2345678, das Auto KN-AB 123 steht davor.',
      reporterName: 'Friederike Geheimname',
      reporterEmail: 'friederike.geheim@example.org',
    });
    numberA = a.number;
    trackingA = (await ctx.db.select({ t: cases.trackingToken }).from(cases).where(eq(cases.id, a.caseId)))[0]?.t ?? '';
    reporterSecrets.push('Friederike', 'Geheimname', 'friederike.geheim@example.org', '0151 2345678', 'KN-AB 123');
    await addNote(deps, actor, a.caseId, { version: await version(a.caseId), body: noteText });
    await replyToCitizen(deps, actor, a.caseId, {
      version: await version(a.caseId),
      body: 'Danke für den Hinweis, die Lampe wird morgen getauscht. Viele Grüße, Hildegard Staffname',
    });
    const photos: [string, boolean][] = [
      ['RELEASED-PHOTO-BYTES', true],
      ['UNRELEASED-PHOTO-BYTES', false],
    ];
    for (const [marker, released] of photos) {
      const key = await ctx.storage.put(Buffer.from(`\xff\xd8\xff${marker}`), 'jpg');
      const [row] = await ctx.db
        .insert(attachments)
        .values({
          caseId: a.caseId,
          kind: 'photo',
          storageKey: key,
          thumbKey: key,
          mimeType: 'image/jpeg',
          width: 10,
          height: 10,
          bytes: 20,
        })
        .returning({ id: attachments.id });
      if (released) releasedPhotoId = row?.id ?? 0;
      else unreleasedPhotoId = row?.id ?? 0;
    }

    // A second citizen follows A from the duplicate offer of the report form.
    const { token, cookie, body } = await csrfFor(ctx.app, '/melden');
    const form = await multipart({
      _csrf: token,
      nonce: /name="nonce" value="([^"]+)"/.exec(body)?.[1] ?? '',
      description: 'Die Laterne am Rathaus ist aus.',
      type: 'defect',
      categoryId: String(place.categoryId),
      lat: String(place.lat),
      lon: String(place.lon),
      consent: 'yes',
      reporterName: 'Yara Folgende',
      reporterEmail: 'yara.folgende@example.org',
      follow: a.number,
    });
    const followed = await ctx.app.inject({
      method: 'POST',
      url: '/melden/folgen',
      payload: form.payload,
      headers: { ...form.headers, accept: 'text/html', cookie },
    });
    expect(followed.statusCode).toBe(303);
    const [follower] = await ctx.db.select().from(caseReporters).where(eq(caseReporters.caseId, a.caseId));
    followerToken = follower?.trackingToken ?? '';
    expect(followerToken).not.toBe('');
    followerSecrets.push('Yara', 'Folgende', 'yara.folgende@example.org');

    await publishForTest(ctx.db, a.caseId);
    await ctx.db.update(attachments).set({ releasedAt: new Date() }).where(eq(attachments.id, releasedPhotoId));
    await ctx.db.transaction((tx) => refreshPublicCase(tx, a.caseId, new Date()));

    // B pending, C withheld, D published then withdrawn, E merged into A: none of their texts is public.
    await fileCase(ctx, { ...place, description: 'GEHEIMTEXT-B noch nicht entschieden', reporterName: 'Bruno Bmelder' });
    const c = await fileCase(ctx, { ...place, description: 'GEHEIMTEXT-C zurückgehalten' });
    await ctx.db.transaction((tx) => withholdCase(tx, c.caseId, { userId: staff.id, label: 'Test' }, 'Beschwerde über Personal'));
    const d = await fileCase(ctx, { ...place, description: 'GEHEIMTEXT-D war kurz öffentlich' });
    await publishForTest(ctx.db, d.caseId);
    await ctx.db.transaction((tx) => withdrawCase(tx, d.caseId, { userId: staff.id, label: 'Test' }, 'Versehen'));
    const e = await fileCase(ctx, {
      ...place,
      description: 'GEHEIMTEXT-E dieselbe Laterne',
      reporterName: 'Konrad Zweitmelder',
      reporterEmail: 'konrad.zweit@example.org',
    });
    await mergeCases({ db: ctx.db, clock: ctx.clock }, actor, {
      caseId: e.caseId,
      version: await version(e.caseId),
      otherId: a.caseId,
      otherVersion: await version(a.caseId),
    });

    const all = await ctx.db.select({ id: cases.id, number: cases.number, token: cases.trackingToken }).from(cases);
    numbers = all.map((r) => r.number);
    const messageIds = (await ctx.db.select({ id: messages.id }).from(messages)).map((r) => r.id);
    const attachmentIds = (await ctx.db.select({ id: attachments.id }).from(attachments)).map((r) => r.id);
    ids = [...new Set([...all.map((r) => r.id), ...messageIds, ...attachmentIds, 0, 1, 999_999])];
    secrets.push(
      ...reporterSecrets,
      ...followerSecrets,
      'Bruno Bmelder',
      'Konrad Zweitmelder',
      'konrad.zweit@example.org',
      'Hildegard',
      'Staffname',
      'INTERNE-NOTIZ-4711',
      'GEHEIMTEXT-B',
      'GEHEIMTEXT-C',
      'GEHEIMTEXT-D',
      'GEHEIMTEXT-E',
      'UNRELEASED-PHOTO-BYTES',
      followerToken,
      ...all.map((r) => r.token),
    );
    const page = await ctx.app.inject({ url: `/meldungen/${a.number}`, headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(200);
    publicTextOfA = 'Die Straßenlaterne vor dem Rathaus ist dunkel.';
    expect(page.body).toContain(publicTextOfA);
  });
  afterAll(() => ctx?.close());

  /** Every concrete URL for a route pattern: each parameter filled with every value we know. */
  function urlsFor(pattern: string): string[] {
    const values = (name: string): string[] => {
      if (name === 'file') return [...numbers, ...ids.map(String)].flatMap((v) => [`${v}.json`, `${v}.xml`]);
      if (name === 'number') return [...numbers, '2026-99999', "' or 1=1 --"];
      if (name === 'token') return [...numbers, ...ids.map(String), 'x'.repeat(43)];
      return [...ids.map(String), 'abc'];
    };
    let urls = [''];
    for (const part of pattern.split(/(?=\/)/)) {
      const params = [...part.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1] ?? '');
      if (params.length === 0) {
        urls = urls.map((u) => u + part.replace('*', 'gibt-es-nicht'));
        continue;
      }
      urls = urls.flatMap((u) =>
        params.reduce<string[]>(
          (acc, p) => acc.flatMap((a) => values(p).map((v) => a.replace(`:${p}`, encodeURIComponent(v)))),
          [u + part],
        ),
      );
    }
    return urls;
  }

  /** The list and API routes asked with the filters that could reach a hidden case. */
  const queryVariants = (path: string): string[] => {
    if (path.startsWith('/georeport/v2/requests.') || path.startsWith('/georeport/v2/servicerequestupdates.')) {
      const all = ids.join(',');
      return [
        `${path}?service_request_id=${all}`,
        `${path}?service_request_id=${numbers.join(',')}&extensions=true`,
        `${path}?status=closed&extensions=true`,
        `${path}?start_date=2000-01-01T00:00:00Z&end_date=2100-01-01T00:00:00Z`,
      ];
    }
    if (path === '/meldungen' || path.endsWith('.geojson') || path.endsWith('.atom') || path.endsWith('.csv')) {
      return [`${path}?status=resolved`, `${path}?q=GEHEIMTEXT`, `${path}?bbox=9,47,10,48`, `${path}?seite=2`];
    }
    return [];
  };

  const leaks = (body: string, forbidden: string[]) => forbidden.filter((s) => s && body.toLowerCase().includes(s.toLowerCase()));

  it('no route answers a visitor without a session with anything personal or unpublished', async () => {
    const routes = routesOf(ctx.app.printRoutes({ commonPrefix: false })).filter((r) => r.methods.includes('GET'));
    expect(routes.length).toBeGreaterThan(60);
    const found: string[] = [];
    let asked = 0;
    let publicHits = 0;
    for (const route of routes) {
      for (const url of [...urlsFor(route.path), ...queryVariants(route.path)]) {
        for (const accept of ['text/html', 'application/json']) {
          const res = await ctx.app.inject({ method: 'GET', url, headers: { accept } });
          asked++;
          const bad = leaks(res.body, secrets);
          if (bad.length > 0) found.push(`${url} [${accept}] ${res.statusCode}: ${bad.join(', ')}`);
          if (res.statusCode === 200 && res.body.includes(publicTextOfA)) publicHits++;
        }
      }
    }
    expect(found).toEqual([]);
    // The walk reached the published case through its page, the list, the API …, so it would have seen a leak.
    expect(asked).toBeGreaterThan(1000);
    expect(publicHits).toBeGreaterThan(5);
  }, 600_000);

  it('the unreleased photo is not served, the released one is', async () => {
    const get = (id: number) => ctx.app.inject({ url: `/meldungen/${numberA}/fotos/${id}` });
    expect((await get(releasedPhotoId)).statusCode).toBe(200);
    expect((await get(unreleasedPhotoId)).statusCode).toBe(404);
  });

  it("the reporter's private page shows no follower, no internal note and no other case", async () => {
    const res = await ctx.app.inject({ url: `/verfolgen/${trackingA}`, headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Straßenlaterne vor dem Rathaus');
    expect(
      leaks(res.body, [...followerSecrets, 'INTERNE-NOTIZ-4711', 'GEHEIMTEXT-B', 'GEHEIMTEXT-E', 'Konrad Zweitmelder', followerToken]),
    ).toEqual([]);
  });

  it("the follower's page shows nothing of the reporter, no internal note and no other case", async () => {
    const res = await ctx.app.inject({ url: `/folgen/${followerToken}`, headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(200);
    expect(
      leaks(res.body, [...reporterSecrets, 'INTERNE-NOTIZ-4711', 'GEHEIMTEXT-B', 'GEHEIMTEXT-E', 'Konrad Zweitmelder', trackingA]),
    ).toEqual([]);
  });
});
