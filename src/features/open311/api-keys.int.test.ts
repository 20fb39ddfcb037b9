import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { postForm } from '../../../test/helpers/cases.ts';
import { runData } from '../../../test/helpers/commands.ts';
import { createTestContext, createUser, describeDb, type TestContext, type TestUser } from '../../../test/helpers/context.ts';
import { seedBasics } from '../../../test/helpers/fixtures.ts';
import { getOpen311 } from '../../../test/helpers/open311.ts';
import { apiKeys } from '../../infra/schema/index.ts';
import { apikeyCreate, apikeyList, apikeyRevoke } from './commands.ts';

/** API keys: made, listed and revoked on /admin/schnittstellen and with `amtsblatt apikey`; shown once, stored hashed. */
describeDb('Open311: API keys', () => {
  let ctx: TestContext;
  let admin: TestUser;
  let staff: TestUser;
  const page = (cookie: string) =>
    ctx.app.inject({ method: 'GET', url: '/admin/schnittstellen', headers: { cookie, accept: 'text/html' } });

  beforeAll(async () => {
    ctx = await createTestContext();
    await seedBasics(ctx.db);
    admin = await createUser(ctx, { role: 'admin' });
    staff = await createUser(ctx, { role: 'staff' });
  });
  afterAll(async () => ctx?.close());

  it('only admins see the page', async () => {
    expect((await page(admin.cookie)).statusCode).toBe(200);
    expect((await page(staff.cookie)).statusCode).toBe(403);
  });

  it('a new key is shown once, stored only as its SHA-256, and works at once; revoking stops it', async () => {
    const res = await postForm(ctx, '/admin/schnittstellen', '/admin/schnittstellen', admin.cookie, {
      name: 'FixMyStreet Musterstadt',
      requestsPerMinute: '30',
    });
    expect(res.statusCode).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    const key = /data-testid="new-api-key">([^<]+)</.exec(res.body)?.[1] ?? '';
    expect(key).toMatch(/^a311_[A-Za-z0-9_-]{43}$/);
    const [row] = await ctx.db.select().from(apiKeys).where(eq(apiKeys.name, 'FixMyStreet Musterstadt'));
    expect(row).toMatchObject({
      keyHash: createHash('sha256').update(key).digest('hex'),
      prefix: key.slice(0, 11),
      requestsPerMinute: 30,
      createdBy: admin.id,
    });
    expect(JSON.stringify(row)).not.toContain(key);
    const again = await page(admin.cookie);
    expect(again.body).not.toContain(key);
    expect(again.body).toContain(`${key.slice(0, 11)}…`);

    expect((await getOpen311(ctx, `services.json?api_key=${key}`)).statusCode).toBe(200);
    const revoke = await postForm(ctx, '/admin/schnittstellen', `/admin/schnittstellen/${row?.id}/widerrufen`, admin.cookie, {});
    expect(revoke.statusCode).toBe(303);
    expect(revoke.headers.location).toBe('/admin/schnittstellen?hinweis=widerrufen');
    expect((await getOpen311(ctx, `services.json?api_key=${key}`)).statusCode).toBe(403);
    expect(
      (
        await ctx.app.inject({
          method: 'GET',
          url: '/admin/schnittstellen?hinweis=widerrufen',
          headers: { cookie: admin.cookie, accept: 'text/html' },
        })
      ).body,
    ).toContain('widerrufen am');
  });

  it('a key without name or with a bad rate is refused with the form and a message', async () => {
    const res = await postForm(ctx, '/admin/schnittstellen', '/admin/schnittstellen', admin.cookie, { name: '  ', requestsPerMinute: '0' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Bitte geben Sie einen Namen für den Schlüssel an');
    const rate = await postForm(ctx, '/admin/schnittstellen', '/admin/schnittstellen', admin.cookie, {
      name: 'App',
      requestsPerMinute: '1000000',
    });
    expect(rate.statusCode).toBe(400);
    expect(rate.body).toContain('ganze Zahl von 1 bis 10.000');
  });

  it('amtsblatt apikey create | list | revoke', async () => {
    const created = await runData(ctx, apikeyCreate, { name: 'Nachbarstadt', rate: 120 });
    expect(created.exitCode).toBe(0);
    const key = /\n {2}(a311_\S+)\n/.exec(created.stdout)?.[1] ?? '';
    expect(key).not.toBe('');
    const id = Number(/Nr\. (\d+)/.exec(created.stdout)?.[1]);
    const list = await runData(ctx, apikeyList, {});
    expect(list.stdout).toContain('Nachbarstadt');
    expect(list.stdout).toContain(`${key.slice(0, 11)}…`);
    expect(list.stdout).not.toContain(key);
    expect((await runData(ctx, apikeyRevoke, { id: String(id) })).stdout).toContain('widerrufen');
    expect((await runData(ctx, apikeyList, {})).stdout).toMatch(/Nachbarstadt.*widerrufen/);
    expect((await getOpen311(ctx, `services.json?api_key=${key}`)).statusCode).toBe(403);
    const unknown = await runData(ctx, apikeyRevoke, { id: '99999' });
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('Einen Schlüssel mit der Nummer 99999 gibt es nicht.');
    const nameless = await runData(ctx, apikeyCreate, { name: '' });
    expect(nameless.exitCode).toBe(2);
    expect(nameless.stderr).toContain('Bitte geben Sie einen Namen');
  });
});
