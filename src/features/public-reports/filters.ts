import { DateTime } from 'luxon';
import { z } from 'zod';
import { caseTypes, publicStatuses } from '../../infra/schema/index.ts';
import type { PublicCaseFilter } from '../transparency/projection/read.ts';

/** Rows per page of /meldungen; fixed, so a link always shows the same slice. */
export const PAGE_SIZE = 25;
/** The list counts matches up to this many and says "mehr als 1.000" beyond (a count is a scan). */
export const COUNT_CAP = 1000;
/** Highest page number accepted at all; a valid page past the last one shows the last page. */
export const MAX_PAGE = 99_999;
const ZONE = 'Europe/Berlin';
const EARLIEST = '2000-01-01';
const LATEST = '2100-12-31';

/** The filters of /meldungen as the GET form sends them; the map's GeoJSON takes the same ones. */
export const filterFields = ['kategorie', 'art', 'status', 'bezirk', 'von', 'bis'] as const;
export type FilterField = (typeof filterFields)[number];
export type FilterValues = Partial<Record<FilterField, string>>;

/** The German name of each query field, for "nur einen Wert" messages. */
const fieldNames: Record<FilterField | 'seite', string> = {
  kategorie: 'Kategorie',
  art: 'Art',
  status: 'Status',
  bezirk: 'Stadtteil',
  von: 'Gemeldet ab',
  bis: 'Gemeldet bis',
  seite: 'Seite',
};

const day = (label: string) =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, `Bitte geben Sie bei „${label}“ ein Datum an, z. B. 2026-05-31.`)
    .refine((s) => DateTime.fromISO(s, { zone: ZONE }).isValid && s >= EARLIEST && s <= LATEST, {
      message: `„${label}“ ist kein gültiges Datum zwischen 2000 und 2100.`,
    });

const querySchema = z
  .object({
    kategorie: z
      .string()
      .regex(/^[a-z0-9-]{1,80}$/, 'Diese Kategorie gibt es nicht. Bitte wählen Sie eine aus der Liste.')
      .optional(),
    art: z.enum(caseTypes, { message: 'Diese Art gibt es nicht. Bitte wählen Sie eine aus der Liste.' }).optional(),
    status: z.enum(publicStatuses, { message: 'Diesen Status gibt es nicht. Bitte wählen Sie einen aus der Liste.' }).optional(),
    bezirk: z
      .string()
      .regex(/^\d{1,9}$/, 'Diesen Stadtteil gibt es nicht. Bitte wählen Sie einen aus der Liste.')
      .optional(),
    von: day('Gemeldet ab').optional(),
    bis: day('Gemeldet bis').optional(),
    seite: z
      .string()
      .regex(/^\d{1,9}$/, `Die Seitenzahl muss eine ganze Zahl zwischen 1 und ${MAX_PAGE.toLocaleString('de-DE')} sein.`)
      .transform(Number)
      .refine(
        (n) => n >= 1 && n <= MAX_PAGE,
        `Die Seitenzahl muss eine ganze Zahl zwischen 1 und ${MAX_PAGE.toLocaleString('de-DE')} sein.`,
      )
      .optional(),
  })
  .refine((q) => !q.von || !q.bis || q.von <= q.bis, { message: '„Gemeldet ab“ muss vor „Gemeldet bis“ liegen.', path: ['bis'] });

/** What exists to filter by (from the reference data): unknown slugs and ids are refused, not ignored. */
export interface FilterChoices {
  categorySlugs: ReadonlySet<string>;
  districtIds: ReadonlySet<number>;
}

export type ParsedQuery =
  | { ok: true; values: FilterValues; filter: PublicCaseFilter; page: number }
  | { ok: false; values: FilterValues; errors: Record<string, string> };

/**
 * Reads the query string of /meldungen (and the map's filters). Empty values (an untouched select)
 * count as absent, unknown keys are ignored; a repeated key, a malformed value or an unknown
 * category or district is an error per field, so the page can say which filter to fix.
 */
export function parseQuery(raw: unknown, choices: FilterChoices): ParsedQuery {
  const errors: Record<string, string> = {};
  const scalars: Record<string, string> = {};
  for (const [key, value] of Object.entries((raw ?? {}) as Record<string, unknown>)) {
    if (!(key in fieldNames) || value === '' || value === undefined) continue;
    if (typeof value === 'string') scalars[key] = value;
    else errors[key] = `Bitte geben Sie bei „${fieldNames[key as FilterField]}“ nur einen Wert an.`;
  }
  const values: FilterValues = Object.fromEntries(filterFields.filter((f) => f in scalars).map((f) => [f, scalars[f]]));
  const parsed = querySchema.safeParse(scalars);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? 'seite')] ??= issue.message;
  } else {
    const q = parsed.data;
    if (q.kategorie && !choices.categorySlugs.has(q.kategorie)) {
      errors.kategorie ??= 'Diese Kategorie gibt es nicht. Bitte wählen Sie eine aus der Liste.';
    }
    if (q.bezirk && !choices.districtIds.has(Number(q.bezirk))) {
      errors.bezirk ??= 'Diesen Stadtteil gibt es nicht. Bitte wählen Sie einen aus der Liste.';
    }
  }
  if (!parsed.success || Object.keys(errors).length > 0) return { ok: false, values, errors };
  const q = parsed.data;
  const filter: PublicCaseFilter = {
    ...(q.kategorie ? { categorySlugs: [q.kategorie] } : {}),
    ...(q.art ? { types: [q.art] } : {}),
    ...(q.status ? { statuses: [q.status] } : {}),
    ...(q.bezirk ? { districtIds: [Number(q.bezirk)] } : {}),
    // Whole days in the town's time: "bis" includes its day.
    ...(q.von ? { reportedFrom: DateTime.fromISO(q.von, { zone: ZONE }).startOf('day').toJSDate() } : {}),
    ...(q.bis ? { reportedBefore: DateTime.fromISO(q.bis, { zone: ZONE }).plus({ days: 1 }).startOf('day').toJSDate() } : {}),
  };
  return { ok: true, values, filter, page: q.seite ?? 1 };
}

/** The query string of the given filters (and page), for links that keep the current selection. */
export function queryString(values: FilterValues, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const f of filterFields) {
    const v = values[f];
    if (v) params.set(f, v);
  }
  for (const [k, v] of Object.entries(extra)) params.set(k, v);
  const s = params.toString();
  return s ? `?${s}` : '';
}
