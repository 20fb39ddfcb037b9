import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../../infra/db.ts';
import { invalid } from '../../../infra/errors.ts';
import { enqueueOutbound } from '../../../infra/outbox.ts';
import { channelAccounts, outbox } from '../../../infra/schema/index.ts';
import type { ChannelCapabilities, Publisher } from '../types.ts';
import { telegramSettingsSchema } from './settings.ts';
import { TELEGRAM_CAPTION_MAX, TELEGRAM_TEXT_MAX, type TelegramPayload } from './transport.ts';

/**
 * Telegram's documented limits (https://core.telegram.org/bots/api#sendmessage, #sendphoto): one
 * message of 4,096 characters, or one photo with a caption of 1,024. A photo carries no description
 * (no alt text in the Bot API), and a channel post is always public.
 */
export const telegramCapabilities: ChannelCapabilities = {
  maxLength: TELEGRAM_TEXT_MAX,
  countsGraphemes: false,
  maxMedia: 1,
  mediaTypes: ['image/jpeg', 'image/png'],
  altText: false,
  visibilities: ['public'],
  threads: false,
  canEdit: true,
  canDelete: true,
};

async function channelOf(tx: Tx, accountId: number): Promise<string> {
  const [row] = await tx
    .select({ settings: channelAccounts.settings })
    .from(channelAccounts)
    .where(and(eq(channelAccounts.id, accountId), eq(channelAccounts.kind, 'telegram')));
  const channel = row ? telegramSettingsSchema.safeParse(row.settings).data?.channel : null;
  if (!channel) throw invalid('Für dieses Telegram-Konto ist kein Kanal eingetragen, in den die Stadt veröffentlicht.');
  return channel;
}

/** "telegram:@kanal:42" → 42, for the channel this account posts to. */
function messageIdOf(externalRef: string, channel: string): number {
  const m = /^telegram:(@\w+):(\d+)$/.exec(externalRef);
  if (!m || m[1]?.toLowerCase() !== channel.toLowerCase()) throw invalid('Dieser Beitrag gehört nicht zum Telegram-Kanal dieses Kontos.');
  return Number(m[2]);
}

export const telegramPublisher: Publisher = {
  kind: 'telegram',
  capabilities: async () => telegramCapabilities,
  async publish(tx, req) {
    const channel = await channelOf(tx, req.accountId);
    const [photo, ...more] = req.media;
    if (more.length > 0) throw invalid('Telegram nimmt hier ein Bild je Beitrag.');
    if (photo && req.text.length > TELEGRAM_CAPTION_MAX) {
      throw invalid(`Zu einem Bild darf der Text bei Telegram höchstens ${TELEGRAM_CAPTION_MAX.toLocaleString('de-DE')} Zeichen haben.`);
    }
    if (!photo && (req.text.length === 0 || req.text.length > TELEGRAM_TEXT_MAX)) {
      throw invalid(`Ein Telegram-Beitrag hat 1 bis ${TELEGRAM_TEXT_MAX.toLocaleString('de-DE')} Zeichen.`);
    }
    const payload: TelegramPayload = photo
      ? { method: 'sendPhoto', caption: req.text, storageKey: photo.storageKey }
      : { method: 'sendMessage', text: req.text, replyTo: null };
    return enqueue(tx, req.accountId, channel, payload, req.idempotencyKey);
  },
  async edit(tx, req) {
    const channel = await channelOf(tx, req.accountId);
    if (req.media.length > 0) return { unsupported: true };
    const payload: TelegramPayload = { method: 'editMessageText', text: req.text, messageId: messageIdOf(req.externalRef, channel) };
    return enqueue(tx, req.accountId, channel, payload, req.idempotencyKey);
  },
  async remove(tx, req) {
    const channel = await channelOf(tx, req.accountId);
    const payload: TelegramPayload = { method: 'deleteMessage', messageId: messageIdOf(req.externalRef, channel) };
    return enqueue(tx, req.accountId, channel, payload, req.idempotencyKey);
  },
};

/** Same key, same row: a repeated call gets the row written the first time. */
async function enqueue(tx: Tx, accountId: number, address: string, payload: TelegramPayload, key: string): Promise<{ outboxId: number }> {
  const e = await enqueueOutbound(tx, { kind: 'telegram', channelAccountId: accountId, address, payload, idempotencyKey: key });
  if (e.outcome === 'queued') return { outboxId: e.id };
  const [row] = await tx.select({ id: outbox.id }).from(outbox).where(eq(outbox.idempotencyKey, key));
  if (!row) throw new Error('outbox row of a repeated key not found');
  return { outboxId: row.id };
}
