import { z } from 'zod';
import { fieldErrors } from '../../infra/errors.ts';
import { caseStatuses, caseTypes, channels } from '../../infra/schema/index.ts';
import { singleLine } from '../../infra/text-input.ts';

export const PAGE_SIZE = 50;
/** Above this the inbox says "mehr als 1.000" instead of counting every row on each page load. */
export const COUNT_CAP = 1000;
export const SEARCH_MAX = 200;
/** The longest tag (bulk tagging and the inbox filter). */
export const TAG_MAX = 40;

const optionalId = (message: string) =>
  z
    .string()
    .regex(/^(\d{1,9}|ohne)$/, message)
    .optional();

/**
 * The inbox filters as they arrive in the query string (a GET form, so links can be bookmarked and
 * shared). Empty values mean "no filter"; status defaults to the open cases.
 */
export const inboxFilterSchema = z.object({
  status: z.enum(['offen', 'alle', ...caseStatuses], { message: 'Diesen Status gibt es nicht.' }).default('offen'),
  art: z.enum(caseTypes, { message: 'Diese Art gibt es nicht.' }).optional(),
  team: optionalId('Bitte wählen Sie ein Team aus der Liste.'),
  kategorie: optionalId('Bitte wählen Sie eine Kategorie aus der Liste.'),
  kanal: z.enum(channels, { message: 'Diesen Kanal gibt es nicht.' }).optional(),
  zuweisung: z.enum(['mir', 'niemand'], { message: 'Bitte wählen Sie eine Zuweisung aus der Liste.' }).optional(),
  q: z
    .string({ message: 'Bitte geben Sie einen Suchbegriff ein.' })
    .trim()
    .max(SEARCH_MAX, `Der Suchbegriff darf höchstens ${SEARCH_MAX} Zeichen lang sein.`)
    .superRefine(singleLine('Der Suchbegriff'))
    .optional(),
  schlagwort: z
    .string({ message: 'Bitte geben Sie ein Schlagwort ein.' })
    .trim()
    .max(TAG_MAX, `Ein Schlagwort hat höchstens ${TAG_MAX} Zeichen.`)
    .superRefine(singleLine('Das Schlagwort'))
    .optional(),
  /** "weitergeleitet": the cases one's teams handed on to another team (read only, forwards.ts). */
  ansicht: z.enum(['weitergeleitet'], { message: 'Bitte wählen Sie eine Ansicht aus der Liste.' }).optional(),
  /** "faelligkeit": the earliest SLA deadline first (cases without a running clock last). */
  sortierung: z.enum(['neueste', 'faelligkeit'], { message: 'Bitte wählen Sie eine Sortierung aus der Liste.' }).optional(),
  nach: z.string().max(200).optional(),
  vor: z.string().max(200).optional(),
});
export type InboxFilters = z.infer<typeof inboxFilterSchema>;

/** Parses the raw query; empty strings (an untouched select) count as absent. */
export function parseInboxFilters(raw: unknown): { filters: InboxFilters; errors: Record<string, string> } {
  const cleaned = Object.fromEntries(Object.entries((raw ?? {}) as Record<string, unknown>).filter(([, v]) => v !== '' && v !== undefined));
  const parsed = inboxFilterSchema.safeParse(cleaned);
  if (parsed.success) return { filters: parsed.data, errors: {} };
  return { filters: { status: 'offen' }, errors: fieldErrors(parsed.error, { fallback: 'q' }) };
}

/**
 * A position in the list: the (created_at, id) of a row, or (due time, id) when sorted by due time.
 * The time travels as PostgreSQL's own text form, because a JavaScript Date drops the microseconds
 * and the page would repeat or skip rows; "infinity" stands for a case without a running clock.
 */
export interface Cursor {
  createdAt: string;
  id: number;
}

const cursorSchema = z.tuple([
  z.string().regex(/^(\d{4}-\d{2}-\d{2}[ T][\d:.]+([+-]\d{2}(:?\d{2})?|Z)?|infinity)$/),
  z.number().int().positive(),
]);

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.createdAt, c.id])).toString('base64url');
}

export function decodeCursor(value: string): Cursor | null {
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(value, 'base64url').toString('utf8')));
    return parsed.success ? { createdAt: parsed.data[0], id: parsed.data[1] } : null;
  } catch {
    return null;
  }
}

/** The query string for a filter set (page links, the "reset" link), without empty values. */
export function filterQuery(f: Partial<InboxFilters>, page: { nach?: string; vor?: string } = {}): string {
  const params = new URLSearchParams();
  const entries: [string, string | undefined][] = [
    ['status', f.status === 'offen' ? undefined : f.status],
    ['art', f.art],
    ['team', f.team],
    ['kategorie', f.kategorie],
    ['kanal', f.kanal],
    ['zuweisung', f.zuweisung],
    ['q', f.q || undefined],
    ['schlagwort', f.schlagwort || undefined],
    ['sortierung', f.sortierung === 'faelligkeit' ? f.sortierung : undefined],
    ['ansicht', f.ansicht],
    ['nach', page.nach],
    ['vor', page.vor],
  ];
  for (const [k, v] of entries) if (v) params.set(k, v);
  const s = params.toString();
  return s ? `?${s}` : '';
}
