import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type FakeBluesky, startFakeBluesky } from '../../../../test/fakes/bluesky.ts';
import { postForm } from '../../../../test/helpers/cases.ts';
import { runData } from '../../../../test/helpers/commands.ts';
import { createTestContext, createUser, describeDb, type TestContext } from '../../../../test/helpers/context.ts';
import { channelAccounts } from '../../../infra/schema/index.ts';
import { blueskyAdd } from './commands.ts';

describeDb('Bluesky account', () => {
  let ctx: TestContext;
  let fake: FakeBluesky;
  let admin: { cookie: string };
  const page = '/admin/kanaele/bluesky';
  beforeAll(async () => {
    ctx = await createTestContext();
    fake = await startFakeBluesky();
    admin = await createUser(ctx, { role: 'admin' });
  });
  afterAll(async () => {
    await ctx.close();
    await fake.close();
  });

  it('refuses the main password with a German reason, stores an app password sealed, and tests the connection', async () => {
    const fields = { name: 'Bluesky', handle: '@Musterstadt.bsky.social', service: fake.url, team: '', type: '' };
    const refused = await postForm(ctx, page, page, admin.cookie, { ...fields, appPassword: 'MeinGeheimesPasswort1' });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('App-Passwort an (Form xxxx-xxxx-xxxx-xxxx), nicht das Hauptpasswort');
    expect(refused.body).not.toContain('MeinGeheimesPasswort1');

    const created = await postForm(ctx, page, page, admin.cookie, { ...fields, appPassword: fake.appPassword.toUpperCase() });
    expect(created.statusCode).toBe(303);
    const [row] = await ctx.db.select().from(channelAccounts).where(eq(channelAccounts.kind, 'bluesky'));
    expect(row?.settings).toEqual({ handle: 'musterstadt.bsky.social', service: fake.url });
    expect(row?.secrets).not.toContain(fake.appPassword);

    const ok = await postForm(ctx, page, `${page}/${row?.id}/test`, admin.cookie, {});
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('Anmeldung bei');
    expect(ok.body).toContain('did:plc:musterstadt0000000000000');
    // The mailbox list still renders beside a Bluesky account, and links to it.
    const list = await ctx.app.inject({ url: '/admin/kanaele', headers: { cookie: admin.cookie, accept: 'text/html' } });
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('href="/admin/kanaele/bluesky"');
  });

  it('says in German when Bluesky refuses the app password, on the page and on the status', async () => {
    const result = await runData(ctx, blueskyAdd, {
      name: 'Falsch',
      handle: fake.account.handle,
      service: fake.url,
      appPassword: 'zzzz-zzzz-zzzz-zzzz',
    });
    expect(result).toMatchObject({ exitCode: 0 });
    const [row] = await ctx.db.select().from(channelAccounts).where(eq(channelAccounts.name, 'Falsch'));
    const res = await postForm(ctx, page, `${page}/${row?.id}/test`, admin.cookie, {});
    expect(res.statusCode).toBe(502);
    expect(res.body).toContain('Bluesky hat die Anmeldung abgelehnt: Handle oder App-Passwort stimmen nicht (mehr).');
    const [after] = await ctx.db
      .select()
      .from(channelAccounts)
      .where(eq(channelAccounts.id, row?.id ?? 0));
    expect(after).toMatchObject({ consecutiveFailures: 1, lastError: expect.stringMatching(/^Bluesky hat die Anmeldung abgelehnt/) });
    const shown = await ctx.app.inject({ url: page, headers: { cookie: admin.cookie, accept: 'text/html' } });
    expect(shown.body).toContain('Handle oder App-Passwort stimmen nicht');

    const bad = await runData(ctx, blueskyAdd, { name: 'Haupt', handle: fake.account.handle, appPassword: 'hunter2' });
    expect(bad.exitCode).not.toBe(0);
  });
});
