import { z } from 'zod';

/**
 * The part of a Bot API Update (https://core.telegram.org/bots/api#update) the bot reads. Lenient
 * about fields it does not use (Telegram adds new ones often), strict about the ones it does.
 */
const user = z.object({
  id: z.number().int(),
  is_bot: z.boolean().optional(),
  first_name: z.string().max(256),
  last_name: z.string().max(256).optional(),
  username: z.string().max(64).optional(),
});
const chat = z.object({ id: z.number().int(), type: z.string().max(20) });
const photoSize = z.object({
  file_id: z.string().min(1).max(500),
  width: z.number().int(),
  height: z.number().int(),
  file_size: z.number().int().optional(),
});
export const messageSchema = z.object({
  message_id: z.number().int().positive(),
  date: z.number().int(),
  chat,
  from: user.optional(),
  text: z.string().max(4096).optional(),
  caption: z.string().max(4096).optional(),
  photo: z.array(photoSize).max(20).optional(),
  location: z.object({ latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180) }).optional(),
  reply_to_message: z.object({ message_id: z.number().int(), from: user.optional() }).optional(),
});
export type TelegramMessage = z.infer<typeof messageSchema>;

const callbackQuery = z.object({
  id: z.string().min(1).max(100),
  from: user,
  data: z.string().max(64).optional(),
  message: z.object({ message_id: z.number().int(), chat }).optional(),
});
export type TelegramCallback = z.infer<typeof callbackQuery>;

export const updateSchema = z.object({
  update_id: z.number().int().nonnegative(),
  message: messageSchema.optional(),
  callback_query: callbackQuery.optional(),
});
export type TelegramUpdate = z.infer<typeof updateSchema>;

/** The update kinds we ask for (getUpdates and setWebhook allowed_updates). */
export const ALLOWED_UPDATES = ['message', 'callback_query'] as const;

/** As Telegram shows the person: first and last name, else @username. */
export function displayNameOf(u: z.infer<typeof user> | undefined): string | null {
  if (!u) return null;
  const name = [u.first_name, u.last_name].filter(Boolean).join(' ').trim();
  return (name || (u.username ? `@${u.username}` : '')).slice(0, 120) || null;
}
