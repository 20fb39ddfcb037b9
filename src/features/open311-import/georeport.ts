import { z } from 'zod';
import { AppError } from '../../infra/errors.ts';

/**
 * Reading another town's GeoReport v2 endpoint (wiki.open311.org/GeoReport_v2, GET requests). Only
 * what the spec's public "GET Service Requests" returns is read; it holds no personal data. Fields
 * are parsed leniently, because real servers send numbers as strings and leave out what they lack.
 */

const text = z
  .union([z.string(), z.number()])
  .transform((v) => String(v).trim())
  .nullish()
  .transform((v) => v || null);
const coordinate = z
  .union([z.number(), z.string()])
  .nullish()
  .transform((v) => (v === null || v === undefined || v === '' ? null : Number(v)))
  .refine((v) => v === null || Number.isFinite(v), 'keine Zahl');
const datetime = z
  .string()
  .nullish()
  .transform((v) => {
    if (!v) return null;
    const d = new Date(v);
    return Number.isNaN(d.getTime()) ? null : d;
  });

export const serviceRequestSchema = z.object({
  service_request_id: z
    .union([z.string(), z.number()])
    .transform((v) => String(v).trim())
    .pipe(z.string().min(1).max(200)),
  status: z.string().transform((v) => (v.trim().toLowerCase() === 'closed' ? 'closed' : 'open')),
  status_notes: text,
  service_name: text,
  service_code: text,
  description: text,
  agency_responsible: text,
  requested_datetime: datetime,
  updated_datetime: datetime,
  address: text,
  lat: coordinate,
  long: coordinate,
  media_url: text,
});
export type ServiceRequest = z.output<typeof serviceRequestSchema>;

/** The spec's maximum per response: a full answer means there may be more in that window. */
export const MAX_PER_RESPONSE = 1000;
const MAX_BYTES = 20 * 1024 * 1024;
const TIMEOUT_MS = 30_000;

export interface RequestQuery {
  startDate?: Date;
  endDate?: Date;
  serviceCode?: string | null;
  ids?: readonly string[];
  jurisdictionId?: string | null;
}

/** The requests.json URL of an endpoint given as its base (…/georeport/v2) or as its requests.json. */
export function requestsUrl(base: string, q: RequestQuery): URL {
  const url = new URL(/requests\.json$/.test(base) ? base : `${base.replace(/\/+$/, '')}/requests.json`);
  if (q.startDate) url.searchParams.set('start_date', q.startDate.toISOString());
  if (q.endDate) url.searchParams.set('end_date', q.endDate.toISOString());
  if (q.serviceCode) url.searchParams.set('service_code', q.serviceCode);
  if (q.ids?.length) url.searchParams.set('service_request_id', q.ids.join(','));
  if (q.jurisdictionId) url.searchParams.set('jurisdiction_id', q.jurisdictionId);
  return url;
}

const refused = (message: string) => new AppError('Unavailable', message);

/**
 * One GET of requests.json. Rows that do not parse are skipped and counted (one broken row must not
 * stop an import); an answer that is not a GeoReport list at all is refused with a German message.
 */
export async function fetchRequests(
  base: string,
  q: RequestQuery,
  fetchImpl: typeof fetch = fetch,
): Promise<{ requests: ServiceRequest[]; skipped: number }> {
  const url = requestsUrl(base, q);
  let res: Response;
  try {
    res = await fetchImpl(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (err) {
    const timeout = err instanceof Error && err.name === 'TimeoutError';
    throw refused(timeout ? `${url.host} hat nicht innerhalb von 30 Sekunden geantwortet.` : `${url.host} ist nicht erreichbar.`);
  }
  const body = await res.text();
  if (body.length > MAX_BYTES) throw refused(`Die Antwort von ${url.host} ist größer als 20 MB und wird nicht gelesen.`);
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw refused(`${url.host} hat kein JSON geliefert (HTTP ${res.status}).`);
  }
  if (!res.ok) {
    // The spec's error format: [{ code, description }].
    const first = Array.isArray(json) ? (json[0] as { description?: unknown } | undefined) : undefined;
    const why = typeof first?.description === 'string' ? `: ${first.description.slice(0, 200)}` : '';
    throw refused(`${url.host} hat die Abfrage abgelehnt (HTTP ${res.status})${why}.`);
  }
  if (!Array.isArray(json)) throw refused(`${url.host} hat keine Liste von Meldungen geliefert.`);
  const requests: ServiceRequest[] = [];
  let skipped = 0;
  for (const row of json) {
    const parsed = serviceRequestSchema.safeParse(row);
    if (parsed.success) requests.push(parsed.data);
    else skipped++;
  }
  return { requests, skipped };
}

/**
 * All requests reported in [from, to): GeoReport v2 has no paging, and a server returns at most
 * 1,000 per answer (or its own lower cap), so a full answer splits its window in two until every
 * part fits (down to a minute; a minute that is still full is reported as incomplete).
 */
export async function* requestsBetween(
  base: string,
  q: Omit<RequestQuery, 'startDate' | 'endDate' | 'ids'> & { from: Date; to: Date; maxPerResponse?: number },
  fetchImpl: typeof fetch = fetch,
): AsyncGenerator<{ requests: ServiceRequest[]; skipped: number; incomplete: boolean; window: { from: Date; to: Date } }> {
  // Some servers cap their answers below the spec's 1,000: their cap is what "full" means.
  const full = q.maxPerResponse ?? MAX_PER_RESPONSE;
  const windows = [{ from: q.from, to: q.to }];
  while (windows.length > 0) {
    const w = windows.shift() as { from: Date; to: Date };
    const got = await fetchRequests(base, { ...q, startDate: w.from, endDate: w.to }, fetchImpl);
    const span = w.to.getTime() - w.from.getTime();
    if (got.requests.length + got.skipped >= full && span > 60_000) {
      const mid = new Date(w.from.getTime() + Math.floor(span / 2));
      windows.unshift({ from: w.from, to: mid }, { from: mid, to: w.to });
      continue;
    }
    yield { ...got, incomplete: got.requests.length + got.skipped >= full, window: w };
  }
}
