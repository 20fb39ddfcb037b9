import type { InlineKeyboardButton } from 'grammy/types';
import type { Config } from '../../../config.ts';
import type { SecretBox } from '../../../infra/secrets.ts';
import { caseStatusLabels } from '../../cases/labels.ts';
import { trackingUrl } from '../../cases/links.ts';
import { categoryList } from '../../cases/reference-data.ts';
import { removeStoredPhotos } from '../../intake/photos.ts';
import type { IntakeDeps } from '../../intake/service.ts';
import type { TelegramAccount } from './accounts.ts';
import { type BotApi, botApi, troubleOf } from './bot-api.ts';
import { CONVERSATION_TTL_MS, type Conversation, type Draft, loadConversation, saveConversation } from './conversations.ts';
import { openCasesOfChat } from './queries.ts';
import { fileReport, photoOf } from './report.ts';
import { texts } from './texts.ts';
import { type TelegramCallback, type TelegramMessage, type TelegramUpdate, updateSchema } from './updates.ts';

export type TelegramDeps = Omit<IntakeDeps, 'config'> & {
  config: IntakeDeps['config'] & Pick<Config, 'townName'>;
  secrets: SecretBox;
};

export type Handled = 'handled' | 'replay' | 'ignored' | 'malformed';

/** Only thanks, okays and emoji: nothing to do for anyone, so no case (a reply to one of our messages still joins its case). */
const THANKS =
  /^(?:(?:danke(?: ?schön| sehr)?|vielen dank|merci|thx|thanks|super|top|ok(?:ay)?|\p{Extended_Pictographic}|\p{Emoji_Modifier}|\u200d|\ufe0f)[\s!.,]*)+$/iu;

/**
 * One update of the bot, whatever way it came (getUpdates or the webhook). Idempotent: the chat's
 * conversation row remembers the last update id it handled, and every case carries an external id
 * made of the chat and the citizen's message, so the same update twice makes one case.
 * Throws only when something on our side failed (database, storage): then the caller keeps the
 * update and tries again.
 */
export async function handleUpdate(deps: TelegramDeps, account: TelegramAccount, raw: unknown): Promise<Handled> {
  const parsed = updateSchema.safeParse(raw);
  if (!parsed.success) {
    deps.log.warn({ accountId: account.id }, 'telegram update malformed, skipped');
    return 'malformed';
  }
  const update = parsed.data;
  const chat = update.message?.chat ?? update.callback_query?.message?.chat;
  if (!chat) return 'ignored';
  const api = botApi(account.settings, account.secrets);
  const chatId = String(chat.id);
  if (chat.type !== 'private') {
    // Only a message addressed to the bot reaches it in a group (privacy mode); one short answer.
    if (update.message) await api.sendMessage(chat.id, texts.onlyPrivate).catch(() => {});
    return 'ignored';
  }
  const conversation = await loadConversation(deps.db, account.id, chatId);
  if (update.update_id <= conversation.lastUpdateId) return 'replay';
  const ctx: Turn = { deps, account, api, chatId, conversation: await expireStale(deps, conversation), updateId: update.update_id };
  const next = update.callback_query ? await onCallback(ctx, update.callback_query) : await onMessage(ctx, update);
  await saveConversation(deps.db, account.id, chatId, { ...next, lastUpdateId: update.update_id, at: deps.clock.now() });
  deps.log.info({ accountId: account.id, updateId: update.update_id, step: next.step }, 'telegram update handled');
  return 'handled';
}

interface Turn {
  deps: TelegramDeps;
  account: TelegramAccount;
  api: BotApi;
  chatId: string;
  conversation: Conversation;
  updateId: number;
}
type Next = Pick<Conversation, 'step' | 'draft'>;

const idle: Next = { step: 'idle', draft: { photos: [] } };

async function expireStale(deps: TelegramDeps, c: Conversation): Promise<Conversation> {
  if (c.step === 'idle' || deps.clock.now().getTime() - c.updatedAt.getTime() < CONVERSATION_TTL_MS) return c;
  await removeStoredPhotos(deps, c.draft.photos);
  return { ...c, ...idle };
}

/**
 * The bot's prompts go straight out (they belong to no case). A refusal for this chat (the citizen
 * blocked the bot: 403) must not hold up the updates behind it; a rate limit or an outage throws,
 * so the update is handled again later.
 */
async function say(t: Turn, text: string, buttons?: InlineKeyboardButton[][]): Promise<void> {
  try {
    await t.api.sendMessage(Number(t.chatId), text, {
      link_preview_options: { is_disabled: true },
      ...(buttons ? { reply_markup: { inline_keyboard: buttons } } : {}),
    });
  } catch (err) {
    if (troubleOf(err).kind !== 'refused') throw err;
    t.deps.log.info({ accountId: t.account.id, updateId: t.updateId }, 'telegram prompt refused for this chat');
  }
}

const commandOf = (text: string | undefined) => /^\/([a-z]+)(@\w+)?(\s|$)/i.exec(text ?? '')?.[1]?.toLowerCase() ?? null;

async function onMessage(t: Turn, update: TelegramUpdate): Promise<Next> {
  const m = update.message;
  if (!m) return t.conversation;
  switch (commandOf(m.text)) {
    case 'start':
      await dropDraft(t);
      await say(t, texts.start(m.from?.first_name ?? null, t.deps.config.townName));
      return idle;
    case 'hilfe':
    case 'help':
      await say(t, texts.help);
      return t.conversation;
    case 'melden':
      await dropDraft(t);
      await say(t, texts.askText);
      return { step: 'text', draft: { startedBy: m.message_id, photos: [] } };
    case 'abbrechen':
    case 'cancel':
      await say(t, t.conversation.step === 'idle' ? texts.nothingToCancel : texts.cancelled);
      await dropDraft(t);
      return idle;
    case 'status':
      await sayStatus(t);
      return t.conversation;
    case null:
      return t.conversation.step === 'idle' ? onPlainMessage(t, m) : onStep(t, m);
    default:
      await say(t, texts.help);
      return t.conversation;
  }
}

/** Outside /melden: a message is a report of its own, or a follow-up when it answers one of our messages. */
async function onPlainMessage(t: Turn, m: TelegramMessage): Promise<Next> {
  const text = (m.text ?? m.caption ?? '').trim();
  if (m.location && !text) {
    await say(t, texts.locationOutside);
    return idle;
  }
  if (!text && !m.photo) {
    await say(t, texts.unsupported);
    return idle;
  }
  if (!m.reply_to_message && !m.photo && THANKS.test(text)) {
    await say(t, texts.thanks);
    return idle;
  }
  const photos = m.photo ? await photoOf(t.deps, t.account, m.photo) : null;
  const result = await fileReport(t.deps, t.account, {
    chatId: t.chatId,
    message: m,
    externalId: `telegram:${t.account.id}:${t.chatId}:${m.message_id}`,
    description: text || 'Die Nachricht enthielt nur ein Foto.',
    photos: photos?.photo ? [photos.photo] : [],
    notes: photos?.note ? [photos.note] : [],
  });
  if (result.outcome === 'followup') await say(t, texts.followedUp(result.number));
  return idle;
}

async function onStep(t: Turn, m: TelegramMessage): Promise<Next> {
  const { step, draft } = t.conversation;
  const text = (m.text ?? m.caption ?? '').trim();
  switch (step) {
    case 'text': {
      if (!text) {
        await say(t, texts.needText);
        return t.conversation;
      }
      await say(t, texts.askPhoto, [[{ text: texts.buttons.skipPhoto, callback_data: 'skip:photo' }]]);
      return { step: 'photo', draft: { ...draft, description: text } };
    }
    case 'photo': {
      if (!m.photo) {
        await say(t, texts.needPhoto, [[{ text: texts.buttons.skipPhoto, callback_data: 'skip:photo' }]]);
        return t.conversation;
      }
      const got = await photoOf(t.deps, t.account, m.photo);
      if (!got.photo) {
        await say(t, texts.photoUnreadable, [[{ text: texts.buttons.skipPhoto, callback_data: 'skip:photo' }]]);
        return t.conversation;
      }
      const next = {
        ...draft,
        photos: [...draft.photos, got.photo],
        ...(text ? { description: `${draft.description ?? ''}\n\n${text}`.trim() } : {}),
      };
      return askLocation(t, next);
    }
    case 'location': {
      if (m.location) return askCategory(t, { ...draft, lat: m.location.latitude, lon: m.location.longitude });
      if (text) return askCategory(t, { ...draft, locationText: text.slice(0, 300).replace(/\s+/g, ' ') });
      await say(t, texts.askLocation, [[{ text: texts.buttons.skipLocation, callback_data: 'skip:location' }]]);
      return t.conversation;
    }
    case 'category':
      await say(t, texts.needCategory);
      return t.conversation;
    default:
      return t.conversation;
  }
}

async function askLocation(t: Turn, draft: Draft): Promise<Next> {
  await say(t, texts.askLocation, [[{ text: texts.buttons.skipLocation, callback_data: 'skip:location' }]]);
  return { step: 'location', draft };
}

async function askCategory(t: Turn, draft: Draft): Promise<Next> {
  const categories = await categoryList(t.deps.db, { activeOnly: true });
  const buttons: InlineKeyboardButton[] = categories.slice(0, 40).map((c) => ({ text: c.name.slice(0, 60), callback_data: `cat:${c.id}` }));
  const rows: InlineKeyboardButton[][] = [];
  for (let i = 0; i < buttons.length; i += 2) rows.push(buttons.slice(i, i + 2));
  rows.push([{ text: texts.buttons.unknownCategory, callback_data: 'cat:none' }]);
  await say(t, texts.askCategory, rows);
  return { step: 'category', draft };
}

async function onCallback(t: Turn, q: TelegramCallback): Promise<Next> {
  // Telegram shows a spinner on the button until the query is answered.
  await t.api.answerCallbackQuery(q.id).catch(() => {});
  const { step, draft } = t.conversation;
  const data = q.data ?? '';
  if (data === 'skip:photo' && step === 'photo') return askLocation(t, draft);
  if (data === 'skip:location' && step === 'location') return askCategory(t, draft);
  const category = /^cat:(\d+|none)$/.exec(data)?.[1];
  if (category && step === 'category' && draft.description) {
    const categoryId = category === 'none' ? null : await activeCategory(t, Number(category));
    await fileReport(t.deps, t.account, {
      chatId: t.chatId,
      from: q.from,
      externalId: `telegram:${t.account.id}:${t.chatId}:melden:${draft.startedBy ?? t.updateId}`,
      description: draft.description,
      photos: draft.photos,
      notes: [],
      categoryId,
      lat: draft.lat ?? null,
      lon: draft.lon ?? null,
      locationText: draft.locationText ?? null,
    });
    // The confirmation with number and link follows as the case's acknowledgement (adapter.ts).
    return idle;
  }
  await say(t, texts.expired);
  return t.conversation;
}

async function activeCategory(t: Turn, id: number): Promise<number | null> {
  const categories = await categoryList(t.deps.db, { activeOnly: true });
  return categories.some((c) => c.id === id) ? id : null;
}

async function sayStatus(t: Turn): Promise<void> {
  const rows = await openCasesOfChat(t.deps.db, t.chatId);
  if (rows.length === 0) {
    await say(t, texts.noOpenCases);
    return;
  }
  await say(
    t,
    texts.status(
      rows.map((r) => ({ number: r.number, status: caseStatusLabels[r.status], url: trackingUrl(t.deps.config.publicUrl, r.token) })),
    ),
  );
}

/** A walk started anew or cancelled: its photos were stored already and are no longer needed. */
async function dropDraft(t: Turn): Promise<void> {
  if (t.conversation.draft.photos.length > 0) await removeStoredPhotos(t.deps, t.conversation.draft.photos);
}
