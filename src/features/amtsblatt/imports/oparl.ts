import { z } from 'zod';
import { AppError } from '../../../infra/errors.ts';
import { getText } from './http-get.ts';

/**
 * Reading an OParl 1.1 endpoint (https://oparl.org/spezifikation/): System → Body → the body's
 * paper and meeting lists, paged by `links.next`, `modified_since` for what changed. Objects are
 * read leniently (servers leave out what they lack); a page that is not an OParl list is refused.
 */

const MAX_BYTES = 10 * 1024 * 1024;
const str = z.string().trim().min(1).max(2000);
const optional = z.unknown().transform((v) => (typeof v === 'string' && v.trim() ? v.trim().slice(0, 2000) : null));
const instant = z
  .unknown()
  .transform((v) => {
    if (typeof v !== 'string') return null;
    const d = new Date(v);
    return Number.isNaN(d.getTime()) ? null : d;
  })
  .optional();

export const systemSchema = z.object({ id: str, type: z.string().regex(/\/System$/), body: str });
export const bodySchema = z.object({ id: str, type: z.string().regex(/\/Body$/), name: optional, paper: str, meeting: str });

export const paperSchema = z.object({
  id: str,
  type: z.string().regex(/\/Paper$/),
  name: optional,
  reference: optional,
  paperType: optional,
  date: optional,
  web: optional,
  mainFile: z.object({ accessUrl: optional }).passthrough().nullish(),
  modified: instant,
  deleted: z.boolean().optional().default(false),
});
export type OparlPaper = z.output<typeof paperSchema>;

export const meetingSchema = z.object({
  id: str,
  type: z.string().regex(/\/Meeting$/),
  name: optional,
  start: instant,
  end: instant,
  // An embedded Location object, or its URL (read by council.ts).
  location: z.unknown().optional(),
  web: optional,
  cancelled: z.boolean().optional().default(false),
  modified: instant,
  deleted: z.boolean().optional().default(false),
});
export type OparlMeeting = z.output<typeof meetingSchema>;

const listSchema = z.object({
  data: z.array(z.unknown()),
  links: z.object({ next: z.string().url().optional() }).passthrough().optional(),
});

export interface FetchOptions {
  fetchImpl?: typeof fetch;
  timeoutMs?: number;
}

/** One OParl object or list page as JSON; German messages for a timeout, an error status, no JSON. */
export async function getJson(url: string, opts: FetchOptions): Promise<unknown> {
  const got = await getText(url, {
    headers: { accept: 'application/json' },
    maxBytes: MAX_BYTES,
    ...(opts.fetchImpl ? { fetchImpl: opts.fetchImpl } : {}),
    ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
  });
  const host = new URL(url).host;
  if (got.notModified) throw new AppError('Unavailable', `${host} hat unerwartet „nicht geändert“ geantwortet.`);
  if (got.status >= 400) throw new AppError('Unavailable', `${host} hat mit HTTP ${got.status} geantwortet.`);
  try {
    return JSON.parse(got.text);
  } catch {
    throw new AppError('Unavailable', `${host} hat eine kaputte Seite geliefert (kein JSON).`);
  }
}

/** One page of a list: the objects that parse (the rest counted as skipped) and the next page. */
export async function getListPage<T>(
  url: string,
  schema: z.ZodType<T>,
  opts: FetchOptions,
): Promise<{ items: T[]; skipped: number; next: string | null }> {
  const parsed = listSchema.safeParse(await getJson(url, opts));
  if (!parsed.success) throw new AppError('Unavailable', `${new URL(url).host} hat keine OParl-Liste geliefert.`);
  const items: T[] = [];
  let skipped = 0;
  for (const raw of parsed.data.data) {
    const one = schema.safeParse(raw);
    if (one.success) items.push(one.data);
    else skipped++;
  }
  return { items, skipped, next: parsed.data.links?.next ?? null };
}

/** The first body of a system (a town's endpoint serves one; the body list is itself paged). */
export async function firstBody(systemUrl: string, opts: FetchOptions): Promise<z.output<typeof bodySchema>> {
  const system = systemSchema.safeParse(await getJson(systemUrl, opts));
  if (!system.success) throw new AppError('Unavailable', 'Unter dieser Adresse antwortet kein OParl-System (1.1).');
  const page = await getListPage(system.data.body, bodySchema, opts);
  const body = page.items[0];
  if (!body) throw new AppError('Unavailable', 'Das OParl-System nennt keine Körperschaft (Body).');
  return body;
}

/** A list URL with `modified_since`, keeping what the server put into it. */
export function withModifiedSince(listUrl: string, since: string | undefined): string {
  if (!since) return listUrl;
  const url = new URL(listUrl);
  url.searchParams.set('modified_since', since);
  return url.toString();
}
