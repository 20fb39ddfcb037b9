import { z } from 'zod';

export const TELEGRAM_API_ROOT = 'https://api.telegram.org';

/** What may be shown of a Telegram bot account; the token lives in the sealed secrets. */
export const telegramSettingsSchema = z.object({
  botId: z.number().int().positive(),
  botUsername: z.string().min(1).max(64),
  /** The town's public channel the Amtsblatt posts to (`@name`); null: none. */
  channel: z
    .string()
    .regex(/^@[A-Za-z][A-Za-z0-9_]{3,31}$/)
    .nullable()
    .default(null),
  /** A self-hosted Bot API server (https://github.com/tdlib/telegram-bot-api); default Telegram's own. */
  apiRoot: z.url({ protocol: /^https?$/ }).default(TELEGRAM_API_ROOT),
});
export type TelegramSettings = z.infer<typeof telegramSettingsSchema>;

export const telegramSecretsSchema = z.object({
  token: z.string().min(1),
  /** Telegram sends it back in X-Telegram-Bot-Api-Secret-Token with every webhook call (setWebhook secret_token). */
  webhookSecret: z.string().regex(/^[A-Za-z0-9_-]{1,256}$/),
});
export type TelegramSecrets = z.infer<typeof telegramSecretsSchema>;

/** Where intake stopped: getUpdates' offset (the next update_id wanted); webhook: the URL registered. */
export const telegramCursorSchema = z.object({
  offset: z.number().int().nonnegative().default(0),
  webhookUrl: z.string().nullable().default(null),
  /** Telegram asked us to wait (429 retry_after) or the token failed: no call before this time. */
  pausedUntil: z.string().nullable().default(null),
});
export type TelegramCursor = z.infer<typeof telegramCursorSchema>;

/** A token as @BotFather hands it out: "<bot id>:<35 characters>". */
export const botTokenSchema = z
  .string({ error: 'Bitte geben Sie den Token des Bots an (von @BotFather).' })
  .trim()
  .regex(/^\d{5,15}:[A-Za-z0-9_-]{30,50}$/, 'Das sieht nicht wie ein Bot-Token aus. Er hat die Form 123456789:ABC… (von @BotFather).');
