import { DateTime } from 'luxon';
import { invalid } from '../../infra/errors.ts';
import type { PublicStatus } from '../../infra/schema/index.ts';
import { closedPublicStatuses, type LatLonBox, type PublicCaseFilter } from '../transparency/projection/read.ts';

/**
 * The query of GET requests.{format}, checked and turned into the projection's filter. The spec's
 * defaults: the last 90 days, at most 1,000 requests; a window may not span more than 90 days.
 * Wide-spread extensions: page/page_size, updated_after/updated_before, bbox (Mark-a-Spot's
 * order: west,south,east,north), extensions=true.
 */

export const MAX_RESULTS = 1000;
export const WINDOW_DAYS = 90;
/** Deeper pages would make the database skip too many rows; narrow the window instead. */
const MAX_OFFSET = 100_000;
/** A town fits into one degree each way (Köln spans about 0.4°); bigger boxes are a whole region. */
const MAX_BOX_DEGREES = 1;
export const MAX_IDS = 100;

type Query = Record<string, unknown>;

export interface RequestsQuery {
  filter: PublicCaseFilter;
  offset: number;
  limit: number;
  extensions: boolean;
}

/** A query parameter as one string; empty counts as absent (the spec's "optional" rule). Repeats are refused. */
export function param(query: Query, name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string')
    throw invalid(`Der Parameter ${name} darf nur einmal vorkommen.`, { [name]: `Der Parameter ${name} darf nur einmal vorkommen.` });
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

const bad = (name: string, message: string) => invalid(message, { [name]: message });

/** W3C date-time (2010-01-01T00:00:00Z, with offset, or a plain date read as midnight in Berlin). */
export function dateParam(query: Query, name: string): Date | undefined {
  const raw = param(query, name);
  if (raw === undefined) return undefined;
  const parsed = /^\d{4}-\d{2}-\d{2}$/.test(raw)
    ? DateTime.fromISO(raw, { zone: 'Europe/Berlin' })
    : /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})$/.test(raw)
      ? DateTime.fromISO(raw, { setZone: true })
      : null;
  if (!parsed?.isValid) {
    throw bad(name, `${name} ist kein gültiges Datum. Bitte im W3C-Format angeben, z. B. 2026-01-31T00:00:00Z.`);
  }
  return parsed.toJSDate();
}

function intParam(query: Query, name: string, min: number, max: number): number | undefined {
  const raw = param(query, name);
  if (raw === undefined) return undefined;
  const n = /^\d{1,9}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    throw bad(name, `${name} muss eine ganze Zahl von ${min} bis ${max.toLocaleString('de-DE')} sein.`);
  }
  return n;
}

export const listParam = (query: Query, name: string): string[] | undefined =>
  param(query, name)
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);

const DAY_MS = 86_400_000;

/** A window of at most 90 days, filled in from whichever end was given (the spec's default: the last 90 days). */
function window(from: Date | undefined, to: Date | undefined, now: Date, names: [string, string]): { from: Date; to: Date } {
  const span = WINDOW_DAYS * DAY_MS;
  const end = to ?? (from ? new Date(from.getTime() + span) : now);
  const start = from ?? new Date(end.getTime() - span);
  if (start > end) throw bad(names[0], `${names[0]} liegt nach ${names[1]}. Bitte tauschen Sie die beiden Daten.`);
  if (end.getTime() - start.getTime() > span) {
    throw bad(names[0], `Der Zeitraum von ${names[0]} bis ${names[1]} darf höchstens ${WINDOW_DAYS} Tage umfassen.`);
  }
  return { from: start, to: end };
}

/** bbox=west,south,east,north in degrees (longitude first, as Mark-a-Spot has it). */
export function boxParam(query: Query): LatLonBox | undefined {
  const raw = param(query, 'bbox');
  if (raw === undefined) return undefined;
  const parts = raw.split(',').map((s) => (/^-?\d{1,3}(\.\d{1,12})?$/.test(s.trim()) ? Number(s) : Number.NaN));
  const [minLon, minLat, maxLon, maxLat] = parts;
  const message = 'bbox muss vier Zahlen enthalten: West,Süd,Ost,Nord (Längengrad zuerst), z. B. 6.8,50.8,7.1,51.0.';
  if (
    parts.length !== 4 ||
    minLon === undefined ||
    minLat === undefined ||
    maxLon === undefined ||
    maxLat === undefined ||
    parts.some(Number.isNaN)
  ) {
    throw bad('bbox', message);
  }
  if (Math.abs(minLat) > 90 || Math.abs(maxLat) > 90 || Math.abs(minLon) > 180 || Math.abs(maxLon) > 180) throw bad('bbox', message);
  if (minLon >= maxLon || minLat >= maxLat) {
    throw bad('bbox', 'bbox ist vertauscht: West muss kleiner als Ost und Süd kleiner als Nord sein (Reihenfolge West,Süd,Ost,Nord).');
  }
  if (maxLon - minLon > MAX_BOX_DEGREES || maxLat - minLat > MAX_BOX_DEGREES) {
    throw bad('bbox', `bbox ist zu groß: höchstens ${MAX_BOX_DEGREES} Grad in jede Richtung.`);
  }
  return { minLon, minLat, maxLon, maxLat };
}

const OPEN_STATUSES: readonly PublicStatus[] = ['new', 'reviewing', 'in_progress'];

export function statusParam(query: Query): PublicStatus[] | undefined {
  const values = listParam(query, 'status');
  if (!values || values.length === 0) return undefined;
  const statuses = new Set<PublicStatus>();
  for (const v of values) {
    if (v.toLowerCase() === 'open') for (const s of OPEN_STATUSES) statuses.add(s);
    else if (v.toLowerCase() === 'closed') for (const s of closedPublicStatuses) statuses.add(s);
    else throw bad('status', 'status kennt nur open und closed (auch beide, durch Komma getrennt).');
  }
  return [...statuses];
}

export function parseRequestsQuery(query: Query, now: Date): RequestsQuery {
  const extensions = param(query, 'extensions') === 'true';
  const pageSize = intParam(query, 'page_size', 1, MAX_RESULTS) ?? MAX_RESULTS;
  const page = intParam(query, 'page', 1, MAX_OFFSET) ?? 1;
  const offset = (page - 1) * pageSize;
  if (offset > MAX_OFFSET) throw bad('page', 'Diese Seite liegt zu weit hinten. Bitte engen Sie den Zeitraum ein.');
  const ids = listParam(query, 'service_request_id');
  if (ids && ids.length > 0) {
    if (ids.length > MAX_IDS) throw bad('service_request_id', `Höchstens ${MAX_IDS} service_request_id auf einmal.`);
    // The spec: a list of ids overrides every other argument.
    return { filter: { numbers: ids }, offset: 0, limit: MAX_IDS, extensions };
  }
  const filter: PublicCaseFilter = {};
  const codes = listParam(query, 'service_code');
  if (codes && codes.length > 0) filter.categorySlugs = codes;
  const statuses = statusParam(query);
  if (statuses) filter.statuses = statuses;
  const box = boxParam(query);
  if (box) filter.box = box;
  const start = dateParam(query, 'start_date');
  const end = dateParam(query, 'end_date');
  const updatedAfter = dateParam(query, 'updated_after');
  const updatedBefore = dateParam(query, 'updated_before');
  // A client that follows changes asks by update time; then the 90 days count there, not on the report date.
  if (updatedAfter || updatedBefore) {
    const w = window(updatedAfter, updatedBefore, now, ['updated_after', 'updated_before']);
    filter.updatedAfter = w.from;
    filter.updatedBefore = w.to;
    if (start) filter.reportedFrom = start;
    if (end) filter.reportedBefore = end;
  } else {
    const w = window(start, end, now, ['start_date', 'end_date']);
    filter.reportedFrom = w.from;
    filter.reportedBefore = w.to;
  }
  return { filter, offset, limit: pageSize, extensions };
}

/** servicerequestupdates: start_date/end_date (FixMyStreet polls the last hour or so), at most 90 days. */
export function parseUpdatesQuery(query: Query, now: Date): { from: Date; to: Date; limit: number } {
  const w = window(dateParam(query, 'start_date'), dateParam(query, 'end_date'), now, ['start_date', 'end_date']);
  return { ...w, limit: MAX_RESULTS };
}
