import { AppError } from '../../../infra/errors.ts';

export const FETCH_TIMEOUT_MS = 15_000;

const refused = (message: string) => new AppError('Unavailable', message);

/**
 * One GET of an outside server with a timeout and a size limit, read as text (stopping as soon as
 * the limit is passed). German messages for what can go wrong; `notModified` for a 304.
 */
export async function getText(
  url: string,
  opts: { headers?: Record<string, string>; maxBytes: number; timeoutMs?: number; fetchImpl?: typeof fetch },
): Promise<{ notModified: true } | { notModified: false; status: number; text: string; headers: Headers }> {
  const host = URL.canParse(url) ? new URL(url).host : url;
  const timeoutMs = opts.timeoutMs ?? FETCH_TIMEOUT_MS;
  let res: Response;
  try {
    res = await (opts.fetchImpl ?? fetch)(url, { headers: opts.headers ?? {}, redirect: 'follow', signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const timeout = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
    throw refused(timeout ? `${host} hat nicht innerhalb von ${timeoutMs / 1000} Sekunden geantwortet.` : `${host} ist nicht erreichbar.`);
  }
  if (res.status === 304) return { notModified: true };
  const reader = res.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = reader ? await reader.read() : { done: true, value: undefined };
      if (done || !value) break;
      size += value.byteLength;
      if (size > opts.maxBytes) {
        await reader?.cancel();
        throw refused(`Die Antwort von ${host} ist größer als ${Math.round(opts.maxBytes / 1024 / 1024)} MB und wird nicht gelesen.`);
      }
      chunks.push(value);
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw refused(`${host} hat die Antwort abgebrochen oder nicht rechtzeitig geliefert.`);
  }
  return { notModified: false, status: res.status, text: Buffer.concat(chunks).toString('utf8'), headers: res.headers };
}
