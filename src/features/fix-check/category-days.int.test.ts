import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { postForm } from '../../../test/helpers/cases.ts';
import { createTestContext, createUser, describeDb, type TestContext, type TestUser } from '../../../test/helpers/context.ts';
import { seedBasics } from '../../../test/helpers/fixtures.ts';
import { categories } from '../../infra/schema/index.ts';

describeDb('/admin/kategorien: when to ask "Ist es wirklich behoben?"', () => {
  let ctx: TestContext;
  let admin: TestUser;
  let categoryId: number;

  const save = (fields: Record<string, string>) =>
    postForm(ctx, '/admin/kategorien', `/admin/kategorien/${categoryId}`, admin.cookie, {
      publication: 'moderated',
      publishDelayMinutes: '30',
      ...fields,
    });
  const days = async () => (await ctx.db.select().from(categories).where(eq(categories.id, categoryId)))[0]?.fixCheckDays;

  beforeAll(async () => {
    ctx = await createTestContext();
    const town = await seedBasics(ctx.db);
    categoryId = town.categories.streetLight.id;
    admin = await createUser(ctx, { role: 'admin' });
  });
  afterAll(() => ctx.close());

  it('shows the field with the default of five days', async () => {
    const page = await ctx.app.inject({ url: '/admin/kategorien', headers: { cookie: admin.cookie, accept: 'text/html' } });
    expect(page.body).toContain('„Wirklich behoben?“ nach Tagen');
    expect(page.body).toMatch(new RegExp(`id="cat-${categoryId}-fixCheckDays" name="fixCheckDays" type="number" value="5"`));
  });

  it('saves days, an empty field as "never", and keeps the setting when a form does not send it', async () => {
    expect((await save({ fixCheckDays: '7' })).statusCode).toBe(303);
    expect(await days()).toBe(7);
    expect((await save({})).statusCode).toBe(303);
    expect(await days()).toBe(7);
    expect((await save({ fixCheckDays: ' ' })).statusCode).toBe(303);
    expect(await days()).toBeNull();
    const page = await ctx.app.inject({ url: '/admin/kategorien', headers: { cookie: admin.cookie, accept: 'text/html' } });
    expect(page.body).toMatch(new RegExp(`id="cat-${categoryId}-fixCheckDays" name="fixCheckDays" type="number" value(="")?[ /]`));
  });

  it('refuses what is not a number of days from 1 to 60, in German, and keeps the old value', async () => {
    await save({ fixCheckDays: '5' });
    for (const [value, message] of [
      ['0', 'frühestens nach einem Tag'],
      ['61', 'höchstens 60 Tage'],
      ['2,5', 'ganze Zahl'],
      ['abc', 'ganze Zahl'],
    ] as const) {
      const res = await save({ fixCheckDays: value });
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain(message);
    }
    expect(await days()).toBe(5);
  });
});
