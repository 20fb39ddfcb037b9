import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { type FakeMastodon, startFakeMastodon } from '../../../../test/fakes/mastodon.ts';
import { postForm } from '../../../../test/helpers/cases.ts';
import { runData } from '../../../../test/helpers/commands.ts';
import { createTestContext, createUser, describeDb, type TestContext, type TestUser } from '../../../../test/helpers/context.ts';
import { seedBasics } from '../../../../test/helpers/fixtures.ts';
import { channelAccounts } from '../../../infra/schema/index.ts';
import { channelAddMastodon } from './commands.ts';

describeDb('Mastodon account: admin page and command line', () => {
  let ctx: TestContext;
  let fake: FakeMastodon;
  let admin: TestUser;

  beforeAll(async () => {
    ctx = await createTestContext();
    await seedBasics(ctx.db);
    admin = await createUser(ctx, { role: 'admin' });
  });
  afterAll(() => ctx.close());
  beforeEach(async () => {
    fake = await startFakeMastodon();
  });
  afterEach(() => fake.close());

  const page = () => ctx.app.inject({ url: '/admin/kanaele/mastodon', headers: { cookie: admin.cookie, accept: 'text/html' } });

  it('connects the account from the form with a sealed token, tests it, and says in German when the token is revoked', async () => {
    const channels = await ctx.app.inject({ url: '/admin/kanaele', headers: { cookie: admin.cookie, accept: 'text/html' } });
    expect(channels.body).toContain('Mastodon-Konto verbinden');
    const bad = await postForm(ctx, '/admin/kanaele/mastodon', '/admin/kanaele/mastodon', admin.cookie, {
      name: 'Mastodon',
      instanceUrl: 'http://mastodon.example',
      handle: '@stadt',
      accessToken: '',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Der Mastodon-Server muss über https erreichbar sein.');

    const res = await postForm(ctx, '/admin/kanaele/mastodon', '/admin/kanaele/mastodon', admin.cookie, {
      name: 'Mastodon',
      instanceUrl: fake.url,
      handle: '@stadt',
      accessToken: fake.token,
    });
    expect(res.statusCode).toBe(303);
    const [row] = await ctx.db.select().from(channelAccounts).where(eq(channelAccounts.name, 'Mastodon'));
    expect(row?.kind).toBe('mastodon');
    expect(row?.secrets).not.toContain(fake.token);
    expect((await page()).body).not.toContain(fake.token);

    const ok = await postForm(ctx, '/admin/kanaele/mastodon', `/admin/kanaele/mastodon/${row?.id}/test`, admin.cookie, {});
    expect(ok.body).toContain('Verbindung in Ordnung: angemeldet als @stadt');
    fake.revokeToken();
    const failed = await postForm(ctx, '/admin/kanaele/mastodon', `/admin/kanaele/mastodon/${row?.id}/test`, admin.cookie, {});
    expect(failed.body).toContain('Der Zugangsschlüssel wurde vom Mastodon-Server abgelehnt (abgelaufen oder zurückgezogen).');
    expect((await page()).body).toContain('gestört: Der Zugangsschlüssel wurde vom Mastodon-Server abgelehnt');
  });

  it('adds the account with `amtsblatt channel add mastodon` and reports the test', async () => {
    const result = await runData(ctx, channelAddMastodon, {
      name: 'Mastodon CLI',
      instance: fake.url,
      handle: '@stadt',
      token: fake.token,
    });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('Mastodon-Konto angelegt: Mastodon CLI (@stadt).\nVerbindung in Ordnung');
    const refused = await runData(ctx, channelAddMastodon, { name: 'Ohne', instance: fake.url, handle: '@stadt' });
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain('Bitte geben Sie den Zugangsschlüssel mit --token an');
  });
});
