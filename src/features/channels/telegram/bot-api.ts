import { Api, GrammyError, HttpError } from 'grammy';
import type { TelegramSecrets, TelegramSettings } from './settings.ts';

/** grammY's client for one bot, pointed at the account's Bot API server. */
export const botApi = (settings: Pick<TelegramSettings, 'apiRoot'>, secrets: Pick<TelegramSecrets, 'token'>) =>
  new Api(secrets.token, { apiRoot: settings.apiRoot });

export type BotApi = ReturnType<typeof botApi>;

/** Photos larger than this are not fetched (Bot API downloads are limited to 20 MB anyway). */
export const MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024;

/** Fetches a file by the file_path getFile gave (https://core.telegram.org/bots/api#getfile), with a size cap. */
export async function downloadFile(
  settings: Pick<TelegramSettings, 'apiRoot'>,
  secrets: Pick<TelegramSecrets, 'token'>,
  filePath: string,
  maxBytes = MAX_DOWNLOAD_BYTES,
): Promise<Buffer> {
  const res = await fetch(`${settings.apiRoot}/file/bot${secrets.token}/${filePath}`, { signal: AbortSignal.timeout(30_000) });
  if (!res.ok || !res.body) throw new Error(`file download failed with HTTP ${res.status}`);
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > maxBytes) {
      await reader.cancel();
      throw new Error('file too large');
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks);
}

/** How a failed call should be treated; the German text goes on the account's status page. */
export type ApiTrouble =
  | { kind: 'rate-limited'; retryAfterSeconds: number; text: string }
  | { kind: 'unauthorized'; text: string }
  | { kind: 'refused'; text: string }
  | { kind: 'unreachable'; text: string };

export function troubleOf(err: unknown): ApiTrouble {
  if (err instanceof GrammyError) {
    if (err.error_code === 429) {
      const retryAfterSeconds = err.parameters.retry_after ?? 30;
      return { kind: 'rate-limited', retryAfterSeconds, text: `Telegram bremst: Bitte ${retryAfterSeconds} Sekunden warten (429).` };
    }
    if (err.error_code === 401 || err.error_code === 404) {
      return {
        kind: 'unauthorized',
        text: 'Telegram lehnt den Bot-Token ab (abgelaufen oder widerrufen). Bitte tragen Sie einen neuen Token von @BotFather ein.',
      };
    }
    if (err.error_code >= 500) return { kind: 'unreachable', text: `Telegram antwortet mit einem Fehler (${err.error_code}).` };
    return { kind: 'refused', text: `Telegram hat die Anfrage abgelehnt (${err.error_code}).` };
  }
  if (err instanceof HttpError) return { kind: 'unreachable', text: 'Telegram ist gerade nicht erreichbar.' };
  return { kind: 'unreachable', text: 'Die Verbindung zu Telegram ist fehlgeschlagen.' };
}
