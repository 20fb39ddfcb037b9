import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type FakeTelegram, startFakeTelegram } from '../../../../test/fakes/telegram.ts';
import { postForm } from '../../../../test/helpers/cases.ts';
import { runData } from '../../../../test/helpers/commands.ts';
import { createTestContext, createUser, describeDb, type TestContext, type TestUser } from '../../../../test/helpers/context.ts';
import { seedBasics } from '../../../../test/helpers/fixtures.ts';
import { channelAccounts } from '../../../infra/schema/index.ts';
import { channelList, channelTest } from '../accounts/commands.ts';
import { telegramAdd } from './commands.ts';
import { pollOnce } from './poll.ts';
import { telegramDepsOf } from './webhook.ts';

describeDb('Telegram bot accounts: admin page, command line, webhook', () => {
  let ctx: TestContext;
  let fake: FakeTelegram;
  let admin: TestUser;

  beforeAll(async () => {
    ctx = await createTestContext({ env: { PUBLIC_URL: 'https://amtsblatt.musterstadt.example' } });
    await seedBasics(ctx.db);
    admin = await createUser(ctx, { role: 'admin' });
    fake = await startFakeTelegram();
  });
  afterAll(async () => {
    await fake?.close();
    await ctx?.close();
  });

  it('connects a bot from /admin/kanaele/telegram: the token is checked with getMe and stored sealed', async () => {
    const list = await ctx.app.inject({ url: '/admin/kanaele', headers: { cookie: admin.cookie, accept: 'text/html' } });
    expect(list.body).toContain('href="/admin/kanaele/telegram"');
    const page = '/admin/kanaele/telegram';
    const bad = await postForm(ctx, page, page, admin.cookie, { name: 'Bot', token: 'kein-token', apiRoot: fake.url });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Das sieht nicht wie ein Bot-Token aus');
    const unknown = await postForm(ctx, page, page, admin.cookie, {
      name: 'Bot',
      token: '999999:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      apiRoot: fake.url,
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toContain('Telegram kennt diesen Token nicht');

    const ok = await postForm(ctx, page, page, admin.cookie, {
      name: 'Bürger-Bot',
      token: fake.token,
      apiRoot: fake.url,
      team: 'leitstelle',
    });
    expect(ok.statusCode).toBe(303);
    const shown = await ctx.app.inject({ url: ok.headers.location as string, headers: { cookie: admin.cookie, accept: 'text/html' } });
    expect(shown.body).toContain('@MusterstadtBot');
    expect(shown.body).not.toContain(fake.token);
    const [row] = await ctx.db.select().from(channelAccounts).where(eq(channelAccounts.name, 'Bürger-Bot'));
    expect(row?.secrets).not.toContain(fake.token.split(':')[1]);
    expect(row?.settings).toMatchObject({ botUsername: 'MusterstadtBot' });

    const tested = await postForm(ctx, page, `/admin/kanaele/telegram/${row?.id}/test`, admin.cookie, {});
    expect(tested.body).toContain('Verbindung in Ordnung: Der Bot heißt @MusterstadtBot.');
  });

  it('with PUBLIC_URL on https sets a webhook with a secret token instead of polling', async () => {
    const [row] = await ctx.db.select().from(channelAccounts).where(eq(channelAccounts.name, 'Bürger-Bot'));
    await pollOnce(telegramDepsOf(ctx), row?.id ?? 0);
    expect(fake.webhook?.url).toBe(`https://amtsblatt.musterstadt.example/telegram/${row?.id}/webhook`);
    expect(fake.webhook?.secretToken).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(fake.calls).not.toContain('getUpdates');
    const calls = fake.calls.length;
    await pollOnce(telegramDepsOf(ctx), row?.id ?? 0);
    expect(fake.calls.length).toBe(calls);
  });

  it('amtsblatt channel add telegram and channel test', async () => {
    const added = await runData(ctx, telegramAdd, {
      name: 'Zweiter Bot',
      token: fake.token,
      apiRoot: fake.url,
      channel: 'musterstadt_info',
    });
    expect(added.exitCode).toBe(0);
    expect(added.stdout).toContain('https://t.me/MusterstadtBot');
    const twice = await runData(ctx, telegramAdd, { name: 'zweiter bot', token: fake.token, apiRoot: fake.url });
    expect(twice.stderr).toContain('gibt es schon');
    expect((await runData(ctx, channelTest, { name: 'Zweiter Bot' })).stdout).toContain('Verbindung in Ordnung');
    // The mailbox list keeps working beside accounts of another kind.
    expect((await runData(ctx, channelList, {})).exitCode).toBe(0);
    fake.revokeToken();
    const refused = await runData(ctx, channelTest, { name: 'Zweiter Bot' });
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toContain('Telegram lehnt den Bot-Token ab');
  });
});
