import { InputFile } from 'grammy';
import { z } from 'zod';
import type { Clock } from '../../../infra/clock.ts';
import type { Db } from '../../../infra/db.ts';
import type { Logger } from '../../../infra/log.ts';
import type { OutboxRow, Transport } from '../../../infra/outbox.ts';
import type { SecretBox } from '../../../infra/secrets.ts';
import type { Storage } from '../../../infra/storage.ts';
import { recordFailure, recordSuccess, telegramAccount } from './accounts.ts';
import { type BotApi, botApi, troubleOf } from './bot-api.ts';

/** https://core.telegram.org/bots/api#sendmessage: 1–4,096 characters; a photo's caption 0–1,024. */
export const TELEGRAM_TEXT_MAX = 4096;
export const TELEGRAM_CAPTION_MAX = 1024;
/** A 429 asking for longer than this is left to the outbox's own retry instead of holding the worker. */
const MAX_WAIT_SECONDS = 60;
const MAX_TRIES = 3;

export const telegramPayload = z.discriminatedUnion('method', [
  z.object({
    method: z.literal('sendMessage'),
    text: z.string().min(1).max(TELEGRAM_TEXT_MAX),
    replyTo: z.number().int().nullable().default(null),
  }),
  z.object({
    method: z.literal('sendPhoto'),
    caption: z.string().max(TELEGRAM_CAPTION_MAX),
    storageKey: z.string().min(1),
  }),
  z.object({ method: z.literal('editMessageText'), text: z.string().min(1).max(TELEGRAM_TEXT_MAX), messageId: z.number().int() }),
  z.object({ method: z.literal('deleteMessage'), messageId: z.number().int() }),
]);
export type TelegramPayload = z.input<typeof telegramPayload>;

/** The outbox row's external reference of a message: "telegram:<chat id or @channel>:<message id>". */
export const messageRef = (chat: string | number, messageId: number) => `telegram:${chat}:${messageId}`;

export interface TelegramTransportDeps {
  db: Db;
  secrets: SecretBox;
  storage: Storage;
  clock: Clock;
  log: Logger;
  /** Waits before a retry; tests pass one that does not sleep. */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Sends the outbox's Telegram rows through the bot of their account, with parse_mode left unset so
 * text is never markup. A 429 is honoured: it waits retry_after seconds (up to a minute) and tries
 * again; longer waits and other failures go back to the outbox, which retries with back-off.
 */
export function telegramTransport(deps: TelegramTransportDeps): Transport<z.infer<typeof telegramPayload>> {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  return {
    kind: 'telegram',
    payload: telegramPayload,
    async deliver(row, payload) {
      if (!row.channelAccountId) throw new Error('Telegram-Nachricht ohne Konto.');
      const account = await telegramAccount(deps, row.channelAccountId);
      if (!account) throw new Error('Das Telegram-Konto dieser Nachricht gibt es nicht mehr.');
      if (!account.enabled) throw new Error(`Das Telegram-Konto „${account.name}“ ist abgeschaltet; die Nachricht wartet.`);
      const api = botApi(account.settings, account.secrets);
      for (let attempt = 1; ; attempt++) {
        try {
          const ref = await call(api, deps.storage, row, payload);
          await recordSuccess(deps, account.id);
          return { status: 'sent', ...(ref ? { externalRef: ref } : {}) };
        } catch (err) {
          const trouble = troubleOf(err);
          if (trouble.kind === 'rate-limited' && trouble.retryAfterSeconds <= MAX_WAIT_SECONDS && attempt < MAX_TRIES) {
            deps.log.info({ outboxId: row.id, retryAfter: trouble.retryAfterSeconds }, 'telegram rate limit, waiting');
            await sleep(trouble.retryAfterSeconds * 1000);
            continue;
          }
          if (trouble.kind !== 'refused') await recordFailure(deps, account.id, trouble.text);
          throw new Error(trouble.text);
        }
      }
    },
  };
}

async function call(api: BotApi, storage: Storage, row: OutboxRow, p: z.infer<typeof telegramPayload>): Promise<string | null> {
  const chat = /^-?\d+$/.test(row.address) ? Number(row.address) : row.address;
  const noPreview = { link_preview_options: { is_disabled: true } };
  switch (p.method) {
    case 'sendMessage': {
      const sent = await api.sendMessage(chat, p.text, {
        ...noPreview,
        // The citizen's message it answers; if that is gone, the answer still goes out.
        ...(p.replyTo ? { reply_parameters: { message_id: p.replyTo, allow_sending_without_reply: true } } : {}),
      });
      return messageRef(row.address, sent.message_id);
    }
    case 'sendPhoto': {
      const bytes = await storage.get(p.storageKey);
      const sent = await api.sendPhoto(chat, new InputFile(bytes, 'bild.jpg'), p.caption ? { caption: p.caption } : {});
      return messageRef(row.address, sent.message_id);
    }
    case 'editMessageText':
      await api.editMessageText(chat, p.messageId, p.text, noPreview);
      return null;
    case 'deleteMessage':
      await api.deleteMessage(chat, p.messageId);
      return null;
  }
}
