import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { closedCases } from '../../../../test/helpers/classifier.ts';
import {
  createTestContext,
  createUser,
  csrfFor,
  describeDb,
  eventually,
  type TestContext,
  type TestUser,
} from '../../../../test/helpers/context.ts';
import { seedBasics } from '../../../../test/helpers/fixtures.ts';
import type { Logger } from '../../../infra/log.ts';
import { createClassifier } from './classifier.ts';
import { listModels, storeActiveModel } from './queries.ts';
import { MODEL_FORMAT } from './serialise.ts';
import { retrainFromCases } from './service.ts';

describeDb('classifier admin page', () => {
  let ctx: TestContext;
  let admin: TestUser;
  let staff: TestUser;

  beforeAll(async () => {
    ctx = await createTestContext();
    const basics = await seedBasics(ctx.db);
    admin = await createUser(ctx, { role: 'admin' });
    staff = await createUser(ctx, { role: 'staff', teamIds: [basics.teams.leitstelle.id] });
    await closedCases(ctx, basics, 20);
  });
  afterAll(() => ctx.close());

  const get = (as: TestUser, url = '/admin/klassifikator') => ctx.app.inject({ url, headers: { cookie: as.cookie, accept: 'text/html' } });
  const learn = async (as: TestUser, withToken = true) => {
    const { token, cookie } = await csrfFor(ctx.app, '/admin', as.cookie);
    return ctx.app.inject({
      method: 'POST',
      url: '/admin/klassifikator/lernen',
      headers: { cookie, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
      payload: withToken ? `_csrf=${encodeURIComponent(token)}` : '',
    });
  };

  it('is for admins only, and a post needs its CSRF token', async () => {
    expect((await get(staff)).statusCode).toBe(403);
    expect((await learn(staff)).statusCode).toBe(403);
    expect((await learn(admin, false)).statusCode).toBe(403);
    expect(await listModels(ctx.db)).toHaveLength(0);
  });

  it('shows that there is no model yet and what it could learn from, then learns on demand through the job queue', async () => {
    const home = await get(admin, '/admin');
    expect(home.body).toContain('href="/admin/klassifikator"');
    const before = await get(admin);
    expect(before.statusCode).toBe(200);
    expect(before.body).toContain('Noch kein Modell');
    expect(before.body).toContain('Zur Verfügung stehen 40 abgeschlossene Anliegen.');

    const res = await learn(admin);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/admin/klassifikator?hinweis=lernt');
    expect((await get(admin, '/admin/klassifikator?hinweis=lernt')).body).toContain('Der Klassifikator lernt jetzt neu.');

    await ctx.startWorkers();
    const [model] = await eventually(async () => {
      const models = await listModels(ctx.db);
      return models.length > 0 ? models : null;
    }, 60_000);
    expect(model?.active).toBe(true);
    const after = (await get(admin)).body;
    expect(after).toContain('Aktives Modell');
    expect(after).toContain('aus 40 abgeschlossenen Anliegen.');
    expect(after).toMatch(/<th scope="row" class="kern-table__cell">Kategorie<\/th>/);
    expect(after).toContain('aktiv');
  });

  it('routes without a stored model of an older format, fetching it once, until the next training', async () => {
    const old = gzipSync(JSON.stringify({ format: MODEL_FORMAT - 1, primary: 'category', vocabulary: { keys: [], idf: '' }, targets: [] }));
    await storeActiveModel(ctx.db, { source: 'cases', trainedOn: 40, metrics: {}, payload: old });
    const warnings: unknown[] = [];
    const log = { info: () => {}, warn: (...args: unknown[]) => warnings.push(args) } as unknown as Logger;
    const classifier = createClassifier(ctx.db, { log });
    expect(await classifier.predict({ text: 'Laterne dunkel' })).toBeNull();
    expect(await classifier.predict({ text: 'Laterne dunkel' })).toBeNull();
    expect(warnings).toHaveLength(1);

    await retrainFromCases({ db: ctx.db, log: ctx.log });
    const prediction = await classifier.predict({ text: 'Laterne dunkel' });
    expect(prediction?.category[0]?.label).toBe('strassenbeleuchtung');
  });
});

describeDb('classifier admin page in a town without history', () => {
  let ctx: TestContext;
  let admin: TestUser;
  beforeAll(async () => {
    ctx = await createTestContext();
    await seedBasics(ctx.db);
    admin = await createUser(ctx, { role: 'admin' });
  });
  afterAll(() => ctx.close());

  it('offers no "Jetzt neu lernen" while there is too little to learn from, and a stray post says so', async () => {
    const page = await ctx.app.inject({ url: '/admin/klassifikator', headers: { cookie: admin.cookie, accept: 'text/html' } });
    expect(page.body).toContain('nötig sind mindestens 30');
    expect(page.body).not.toContain('action="/admin/klassifikator/lernen"');
    const { token, cookie } = await csrfFor(ctx.app, '/admin', admin.cookie);
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/admin/klassifikator/lernen',
      headers: { cookie, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${encodeURIComponent(token)}`,
    });
    expect(res.headers.location).toBe('/admin/klassifikator?hinweis=zuwenig');
    const after = await ctx.app.inject({ url: res.headers.location, headers: { cookie: admin.cookie, accept: 'text/html' } });
    expect(after.body).toContain('Noch zu wenig zum Lernen.');
  });
});
