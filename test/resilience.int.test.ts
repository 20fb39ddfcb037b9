import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cases } from '../src/infra/schema/index.ts';
import { createTestContext, csrfFor, dbKind, pgUnavailable, type TestContext } from './helpers/context.ts';
import { seedBasics } from './helpers/fixtures.ts';
import { multipart } from './helpers/multipart.ts';

/**
 * The database server goes away (PostgreSQL only; the embedded one cannot): pages answer 503 with a
 * German message, a report posted meanwhile stores nothing (no case, no photo file), and the server
 * serves again as soon as the database is back, without a restart.
 */
describe.skipIf(dbKind !== 'postgres' || pgUnavailable)('database outage [postgres]', () => {
  let ctx: TestContext;
  let admin: pg.Client;
  let dbName: string;
  beforeAll(async () => {
    ctx = await createTestContext();
    await seedBasics(ctx.db);
    if (ctx.database.kind !== 'postgres') throw new Error('postgres expected');
    const url = new URL((ctx.database.pool.options as { connectionString: string }).connectionString);
    dbName = url.pathname.slice(1);
    url.pathname = '/postgres';
    admin = new pg.Client({ connectionString: url.toString() });
    await admin.connect();
  });
  afterAll(async () => {
    await admin.query(`alter database ${dbName} allow_connections true`);
    await admin.end();
    await ctx.close();
  });

  const takeDown = async () => {
    await admin.query(`alter database ${dbName} allow_connections false`);
    await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [dbName]);
  };
  const bringBack = () => admin.query(`alter database ${dbName} allow_connections true`);

  it('answers 503 with a German page while the database is away, and recovers without restart', async () => {
    const form = await csrfFor(ctx.app, '/melden');
    const nonce = /name="nonce" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
    const photo = await sharp({ create: { width: 32, height: 32, channels: 3, background: '#a33' } })
      .jpeg()
      .toBuffer();
    const body = await multipart(
      { _csrf: form.token, nonce, description: 'Die Ampel am Markt ist ausgefallen.', type: 'defect', consent: 'yes' },
      { photos: [{ filename: 'ampel.jpg', type: 'image/jpeg', data: photo }] },
    );
    const post = () =>
      ctx.app.inject({
        method: 'POST',
        url: '/melden',
        payload: body.payload,
        headers: { ...body.headers, accept: 'text/html', cookie: form.cookie },
      });

    await takeDown();
    const down = await ctx.app.inject({ url: '/verfolgen/einunbekannterlinkeinunbekannterlink', headers: { accept: 'text/html' } });
    expect(down.statusCode).toBe(503);
    expect(down.body).toContain('Datenbank ist gerade nicht erreichbar');
    expect(down.body).not.toMatch(/select|insert|stack/i);
    const failed = await post();
    expect(failed.statusCode).toBe(503);
    const health = await ctx.app.inject({ url: '/health' });
    expect(health.statusCode).toBe(503);

    await bringBack();
    const up = await ctx.app.inject({ url: '/verfolgen/einunbekannterlinkeinunbekannterlink', headers: { accept: 'text/html' } });
    expect(up.statusCode).toBe(404);
    expect(await ctx.db.select().from(cases)).toHaveLength(0);
    const uploads = join(ctx.dataDir, 'uploads');
    const stored = (() => {
      try {
        return readdirSync(uploads, { recursive: true }).filter((f) => String(f).endsWith('.jpg'));
      } catch {
        return [];
      }
    })();
    expect(stored).toEqual([]);

    const retried = await post();
    expect(retried.statusCode).toBe(303);
    expect(await ctx.db.select().from(cases)).toHaveLength(1);
  });
});
