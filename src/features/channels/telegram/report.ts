import type { StoredPhoto } from '../../intake/inbound.ts';
import { processPhoto } from '../../intake/photos.ts';
import { type IntakeResult, receive } from '../../intake/service.ts';
import type { TelegramAccount } from './accounts.ts';
import { botApi, downloadFile } from './bot-api.ts';
import type { TelegramDeps } from './handle-update.ts';
import { caseNumberOfBotMessage, telegramThreadKey } from './queries.ts';
import { displayNameOf, type TelegramMessage } from './updates.ts';

type PhotoSizes = NonNullable<TelegramMessage['photo']>;

/**
 * The largest size of a Telegram photo, fetched (getFile, then the file URL) and run through the
 * web form's photo pipeline: checked by content, re-encoded without any metadata, thumbnail made.
 * A photo we cannot read is not fatal: the report goes on without it, with a note for staff.
 */
export async function photoOf(
  deps: TelegramDeps,
  account: TelegramAccount,
  sizes: PhotoSizes,
): Promise<{ photo: StoredPhoto | null; note?: string }> {
  const largest = sizes.at(-1);
  if (!largest) return { photo: null };
  let bytes: Buffer;
  try {
    const file = await botApi(account.settings, account.secrets).getFile(largest.file_id);
    if (!file.file_path) return { photo: null, note: 'Das Foto aus Telegram ließ sich nicht abrufen.' };
    bytes = await downloadFile(account.settings, account.secrets, file.file_path);
  } catch {
    return { photo: null, note: 'Das Foto aus Telegram ließ sich nicht abrufen.' };
  }
  try {
    const p = await processPhoto(bytes);
    const storageKey = await deps.storage.put(p.full, p.extension);
    const thumbKey = await deps.storage.put(p.thumb, p.extension);
    return { photo: { storageKey, thumbKey, mimeType: p.mimeType, width: p.width, height: p.height, bytes: p.full.length } };
  } catch {
    return { photo: null, note: 'Das Foto aus Telegram ist kein Bild, das wir lesen können.' };
  }
}

export interface Report {
  chatId: string;
  /** The citizen's message that carries the report (a plain message); absent for a /melden walk ended by a button. */
  message?: TelegramMessage;
  from?: TelegramMessage['from'];
  externalId: string;
  description: string;
  photos: StoredPhoto[];
  notes: string[];
  categoryId?: number | null;
  lat?: number | null;
  lon?: number | null;
  locationText?: string | null;
}

/**
 * Into the one pipeline. A reply to one of our messages names the case that message belonged to
 * (its number, which the pipeline accepts only from the case's own contact, so only from this chat).
 */
export async function fileReport(deps: TelegramDeps, account: TelegramAccount, r: Report): Promise<IntakeResult> {
  const from = r.message?.from ?? r.from;
  const replyTo = r.message?.reply_to_message;
  const caseNumber = replyTo ? await caseNumberOfBotMessage(deps.db, r.chatId, replyTo.message_id) : null;
  const name = displayNameOf(from);
  return receive(deps, {
    channel: 'telegram',
    externalId: r.externalId,
    threadKeys: replyTo ? [telegramThreadKey(r.chatId, replyTo.message_id)] : [],
    threadKey: r.message ? telegramThreadKey(r.chatId, r.message.message_id) : null,
    caseNumber,
    channelAccountId: account.id,
    defaultTeamId: account.defaultTeamId,
    contact: { kind: 'telegram', address: r.chatId, displayName: name },
    intakeNotes: r.notes,
    type: account.defaultType,
    categoryId: r.categoryId ?? null,
    description: r.description.slice(0, 5000),
    locationText: r.locationText ?? null,
    lat: r.lat ?? null,
    lon: r.lon ?? null,
    locationSource: r.lat != null ? 'citizen' : null,
    reporterName: from?.first_name.slice(0, 120) ?? null,
    reporterEmail: null,
    consentAt: null,
    photos: r.photos,
    visibility: 'direct',
    ...(r.message ? { receivedAt: new Date(r.message.date * 1000) } : {}),
  });
}
