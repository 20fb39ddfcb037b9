import { and, asc, eq } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { type ChatLike, type FakeTelegram, startFakeTelegram } from '../../../../test/fakes/telegram.ts';
import { postForm, versionOn } from '../../../../test/helpers/cases.ts';
import { createTestContext, createUser, describeDb, type TestContext, type TestUser } from '../../../../test/helpers/context.ts';
import { seedBasics } from '../../../../test/helpers/fixtures.ts';
import { fixedClock } from '../../../infra/clock.ts';
import { outboxJobs } from '../../../infra/outbox.ts';
import { attachments, cases, channelAccounts, contacts, messages, outbox } from '../../../infra/schema/index.ts';
import { createTelegramAccount } from './accounts.ts';
import type { TelegramDeps } from './handle-update.ts';
import { pollOnce } from './poll.ts';
import { telegramTransport } from './transport.ts';
import { telegramDepsOf } from './webhook.ts';

describeDb('Telegram bot', () => {
  let ctx: TestContext;
  let fake: FakeTelegram;
  let deps: TelegramDeps;
  let accountId: number;
  let town: Awaited<ReturnType<typeof seedBasics>>;
  let leit: TestUser;
  const clock = fixedClock(new Date());
  const waits: number[] = [];
  let nextChat = 5000;
  const newChat = (first_name = 'Erika', username = 'erika_m'): ChatLike => ({ id: nextChat++, first_name, username });

  /** Runs the outbox's Telegram deliveries in the test, the way the worker's job would. */
  async function deliver(): Promise<void> {
    const [job] = outboxJobs({
      db: ctx.db,
      queue: ctx.queue,
      clock: ctx.clock,
      log: ctx.log,
      transports: [
        telegramTransport({
          db: ctx.db,
          secrets: ctx.secrets,
          storage: ctx.storage,
          clock: ctx.clock,
          log: ctx.log,
          sleep: async (ms) => void waits.push(ms),
        }),
      ] as never,
    });
    const rows = await ctx.db
      .select({ id: outbox.id })
      .from(outbox)
      .where(and(eq(outbox.kind, 'telegram'), eq(outbox.status, 'queued')));
    for (const row of rows) await job?.handler({ outboxId: row.id }).catch(() => {});
  }
  const poll = () => pollOnce(deps, accountId);
  const lastTo = (chat: ChatLike) => fake.sent.filter((s) => s.method === 'sendMessage' && Number(s.params.chat_id) === chat.id).at(-1);
  const casesOf = (chat: ChatLike) =>
    ctx.db
      .select({
        id: cases.id,
        number: cases.number,
        lat: cases.lat,
        lon: cases.lon,
        categoryId: cases.categoryId,
        description: cases.description,
      })
      .from(cases)
      .innerJoin(contacts, eq(contacts.id, cases.contactId))
      .where(and(eq(contacts.kind, 'telegram'), eq(contacts.address, String(chat.id))))
      .orderBy(asc(cases.id));

  beforeAll(async () => {
    ctx = await createTestContext({ clock });
    town = await seedBasics(ctx.db);
    leit = await createUser(ctx, { teamIds: [town.teams.leitstelle.id, town.teams.tiefbau.id], name: 'Lea Leitstelle' });
    fake = await startFakeTelegram();
    deps = telegramDepsOf(ctx);
    const account = await createTelegramAccount(deps, {
      name: 'Telegram',
      token: fake.token,
      apiRoot: fake.url,
      channel: '@musterstadt_info',
    });
    accountId = account.id;
    expect(account.botUsername).toBe('MusterstadtBot');
  });
  afterAll(async () => {
    await fake?.close();
    await ctx?.close();
  });
  beforeEach(() => {
    waits.length = 0;
  });

  it('walks a citizen through /melden: text, photo without metadata, location, category → one case and a confirmation with number and link', async () => {
    const chat = newChat();
    fake.push(fake.message(chat, '/start'));
    await poll();
    expect(lastTo(chat)?.params.text).toContain('Hallo Erika!');

    fake.push(fake.message(chat, '/melden'));
    fake.push(fake.message(chat, 'Die Laterne <script>alert(1)</script> vor Haus 4 ist aus.'));
    await poll();
    const askPhoto = lastTo(chat);
    expect(askPhoto?.params.text).toContain('Foto');
    expect(JSON.stringify(askPhoto?.params.reply_markup)).toContain('Ohne Foto weiter');

    const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#fa0' } })
      .jpeg()
      .withExif({ IFD0: { Copyright: 'Erika Privat', Artist: 'Erika' } })
      .toBuffer();
    fake.push(fake.photoMessage(chat, jpeg));
    await poll();
    expect(lastTo(chat)?.params.text).toContain('Standort');
    fake.push(fake.locationMessage(chat, 47.7812, 9.6123));
    await poll();
    const askCategory = lastTo(chat);
    const keyboard = JSON.stringify(askCategory?.params.reply_markup);
    expect(keyboard).toContain('Straßenbeleuchtung');
    expect(keyboard).toContain('Weiß ich nicht');
    expect(await casesOf(chat)).toHaveLength(0);

    fake.push(fake.callback(chat, `cat:${town.categories.streetLight.id}`, Number(askCategory?.params.message_id ?? 1)));
    await poll();
    const [kase, ...more] = await casesOf(chat);
    expect(more).toHaveLength(0);
    expect(kase).toMatchObject({ lat: 47.7812, lon: 9.6123, categoryId: town.categories.streetLight.id });
    expect(kase?.description).toContain('<script>');
    const [photo] = await ctx.db
      .select()
      .from(attachments)
      .where(eq(attachments.caseId, kase?.id ?? 0));
    const stored = await sharp(await ctx.storage.get(photo?.storageKey ?? '')).metadata();
    expect(stored.exif).toBeUndefined();
    const [contact] = await ctx.db
      .select()
      .from(contacts)
      .where(eq(contacts.address, String(chat.id)));
    expect(contact).toMatchObject({ kind: 'telegram', displayName: 'Erika' });

    await deliver();
    const confirmation = lastTo(chat);
    expect(confirmation?.params.text).toContain(kase?.number);
    expect(confirmation?.params.text).toContain('/verfolgen/');
    expect(confirmation?.params.parse_mode).toBeUndefined();
    expect(fake.sent.some((s) => s.method === 'answerCallbackQuery')).toBe(true);

    fake.push(fake.message(chat, '/status'));
    await poll();
    expect(lastTo(chat)?.params.text).toContain(`${kase?.number} – neu`);
  });

  it('sends a staff answer as a bot message quoting the citizen, and a reply to it joins the case', async () => {
    const chat = newChat('Max', 'maxi');
    fake.push(fake.message(chat, 'Am Spielplatz liegt Sperrmüll.'));
    await poll();
    const [kase] = await casesOf(chat);
    if (!kase) throw new Error('no case');
    await deliver();
    const citizenMessageId = Number(
      (await ctx.db.select({ key: messages.threadKey }).from(messages).where(eq(messages.caseId, kase.id)))[0]?.key?.split(':')[2],
    );

    const page = await ctx.app.inject({ url: `/staff/faelle/${kase.number}`, headers: { cookie: leit.cookie, accept: 'text/html' } });
    const res = await postForm(ctx, `/staff/faelle/${kase.number}`, `/staff/faelle/${kase.number}/antwort`, leit.cookie, {
      version: versionOn(page.body),
      body: 'Danke! Der Bauhof holt ihn <b>morgen</b> ab.',
    });
    expect(res.statusCode).toBe(303);
    await deliver();
    const answer = lastTo(chat);
    expect(answer?.params.text).toContain('Der Bauhof holt ihn <b>morgen</b> ab.');
    expect(answer?.params.reply_parameters).toMatchObject({ message_id: citizenMessageId });
    expect(answer?.params.parse_mode).toBeUndefined();

    const answerId = (answer as { messageId?: number }).messageId ?? 0;
    fake.push(
      fake.message(chat, 'Super, und der Kühlschrank daneben auch?', {
        reply_to_message: { message_id: answerId, date: 0, chat: { id: chat.id, type: 'private', first_name: 'Max' } },
      } as never),
    );
    await poll();
    expect(await casesOf(chat)).toHaveLength(1);
    expect(lastTo(chat)?.params.text).toContain(`zum Anliegen ${kase.number} hinzugefügt`);
    const inbound = await ctx.db
      .select()
      .from(messages)
      .where(and(eq(messages.caseId, kase.id), eq(messages.kind, 'inbound')));
    expect(inbound).toHaveLength(2);
  });

  it('takes webhook updates only with the secret, and the same update twice makes one case', async () => {
    const [row] = await ctx.db.select().from(channelAccounts).where(eq(channelAccounts.id, accountId));
    const secret = JSON.parse(ctx.secrets.open(row?.secrets ?? '')).webhookSecret as string;
    const chat = newChat('Jonas', 'jonas');
    const update = { update_id: 900_000, ...fake.message(chat, 'Schlagloch in der Bahnhofstraße.') };
    const post = (headers: Record<string, string>, payload: unknown) =>
      ctx.app.inject({
        method: 'POST',
        url: `/telegram/${accountId}/webhook`,
        headers: { 'content-type': 'application/json', ...headers },
        payload: payload as object,
      });

    const wrong = await post({ 'x-telegram-bot-api-secret-token': 'falsch' }, update);
    expect(wrong.statusCode).toBe(401);
    expect((await post({}, update)).statusCode).toBe(401);
    expect(await casesOf(chat)).toHaveLength(0);

    expect((await post({ 'x-telegram-bot-api-secret-token': secret }, update)).statusCode).toBe(200);
    expect((await post({ 'x-telegram-bot-api-secret-token': secret }, update)).statusCode).toBe(200);
    expect(await casesOf(chat)).toHaveLength(1);
    // A step of a conversation (no case to make it idempotent) is handled once too.
    const melden = { update_id: 900_002, ...fake.message(chat, '/melden') };
    await post({ 'x-telegram-bot-api-secret-token': secret }, melden);
    await post({ 'x-telegram-bot-api-secret-token': secret }, melden);
    const prompts = fake.sent.filter(
      (s) => Number(s.params.chat_id) === chat.id && String(s.params.text).startsWith('Was möchten Sie melden?'),
    );
    expect(prompts).toHaveLength(1);

    const broken = await post({ 'x-telegram-bot-api-secret-token': secret }, '{"update_id": 1, "message": ');
    expect(broken.statusCode).toBe(400);
    const oddShape = await post({ 'x-telegram-bot-api-secret-token': secret }, { update_id: 900_001, message: { message_id: 'x' } });
    expect(oddShape.statusCode).toBe(400);
  });

  it('skips a malformed update in polling and goes on; a thank-you opens no case; groups get a short German answer', async () => {
    const chat = newChat('Ida', 'ida');
    fake.push({ message: { message_id: 'kaputt', chat: { id: chat.id } } });
    fake.push(fake.message({ ...chat, id: -100_777, type: 'group' }, '@MusterstadtBot Müll!'));
    fake.push(fake.message(chat, 'Die Ampel am Markt blinkt nur noch gelb.'));
    await poll();
    expect(await casesOf(chat)).toHaveLength(1);
    expect(await casesOf({ ...chat, id: -100_777 })).toHaveLength(0);
    expect(lastTo({ ...chat, id: -100_777 })?.params.text).toContain('privaten Chat');
    fake.push(fake.message(chat, 'Danke! 👍'));
    await poll();
    expect(lastTo(chat)?.params.text).toContain('Gern geschehen');
    const help = fake.push(fake.message(chat, '/hilfe'));
    await poll();
    expect(lastTo(chat)?.params.text).toContain('So funktioniert es');
    const [row] = await ctx.db.select({ cursor: channelAccounts.cursor }).from(channelAccounts).where(eq(channelAccounts.id, accountId));
    expect(row?.cursor).toMatchObject({ offset: help.update_id + 1 });
    expect(await casesOf(chat)).toHaveLength(1);
  });

  it('waits out a 429 (retry_after) in polling and in sending, then recovers without losing the message', async () => {
    const chat = newChat('Paul', 'paul');
    fake.push(fake.message(chat, 'Der Mülleimer am Bahnhof quillt über.'));
    fake.failNext({ method: 'getUpdates', code: 429, retryAfter: 7 });
    const round = await poll();
    expect(round.trouble).toContain('7 Sekunden');
    const [status] = await ctx.db.select().from(channelAccounts).where(eq(channelAccounts.id, accountId));
    expect(status?.lastError).toContain('Telegram bremst');
    const calls = fake.calls.length;
    await poll();
    expect(fake.calls.length).toBe(calls);
    clock.advance(8_000);
    await poll();
    const [kase] = await casesOf(chat);
    expect(kase).toBeDefined();

    fake.failNext({ method: 'sendMessage', code: 429, retryAfter: 2 });
    await deliver();
    expect(waits).toEqual([2000]);
    expect(lastTo(chat)?.params.text).toContain(kase?.number);
    const [after] = await ctx.db.select().from(channelAccounts).where(eq(channelAccounts.id, accountId));
    expect(after?.lastError).toBeNull();
  });

  it('publishes to the town channel: text, photo with caption, edit and delete, within Telegram limits', async () => {
    const publisher = ctx.publishers.get('telegram');
    if (!publisher) throw new Error('no telegram publisher');
    const caps = await publisher.capabilities(ctx.db as never, accountId);
    expect(caps).toMatchObject({ maxLength: 4096, altText: false, maxMedia: 1, canEdit: true, canDelete: true });
    const key = await ctx.storage.put(
      await sharp({ create: { width: 8, height: 8, channels: 3, background: '#00f' } })
        .jpeg()
        .toBuffer(),
      'jpg',
    );
    await ctx.db.transaction(async (tx) => {
      await publisher.publish(tx, {
        accountId,
        text: 'Der Wochenmarkt zieht um.',
        media: [],
        visibility: 'public',
        idempotencyKey: 'post-1',
      });
      await publisher.publish(tx, {
        accountId,
        text: 'Neue Bänke im Park',
        media: [{ storageKey: key, mimeType: 'image/jpeg', alt: 'Zwei Bänke' }],
        visibility: 'public',
        idempotencyKey: 'post-2',
      });
      await expect(
        publisher.publish(tx, { accountId, text: 'x'.repeat(4097), media: [], visibility: 'public', idempotencyKey: 'post-3' }),
      ).rejects.toThrow('4.096');
    });
    await deliver();
    const [textRow] = await ctx.db.select().from(outbox).where(eq(outbox.idempotencyKey, 'post-1'));
    expect(textRow?.externalRef).toMatch(/^telegram:@musterstadt_info:\d+$/);
    const photo = fake.sent.find((s) => s.method === 'sendPhoto');
    expect(photo?.params).toMatchObject({ chat_id: '@musterstadt_info', caption: 'Neue Bänke im Park' });
    expect(photo?.upload?.length).toBeGreaterThan(0);

    await ctx.db.transaction(async (tx) => {
      await publisher.edit(tx, {
        accountId,
        text: 'Der Wochenmarkt zieht auf den Rathausplatz.',
        media: [],
        visibility: 'public',
        idempotencyKey: 'edit-1',
        externalRef: textRow?.externalRef ?? '',
      });
      await publisher.remove(tx, { accountId, externalRef: textRow?.externalRef ?? '', idempotencyKey: 'remove-1' });
    });
    await deliver();
    expect(fake.sent.find((s) => s.method === 'editMessageText')?.params.text).toBe('Der Wochenmarkt zieht auf den Rathausplatz.');
    expect(fake.sent.some((s) => s.method === 'deleteMessage')).toBe(true);
    const rows = await ctx.db.select({ status: outbox.status }).from(outbox).where(eq(outbox.channelAccountId, accountId));
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
  });

  it('says in German when the token is refused and does not hammer Telegram', async () => {
    fake.revokeToken();
    const round = await poll();
    expect(round.trouble).toContain('Bot-Token ab');
    const [status] = await ctx.db.select().from(channelAccounts).where(eq(channelAccounts.id, accountId));
    expect(status?.lastError).toContain('@BotFather');
    const calls = fake.calls.length;
    await poll();
    await poll();
    expect(fake.calls.length).toBe(calls);
  });
});
