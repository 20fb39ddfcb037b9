import { and, inArray, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../infra/db.ts';
import { cases } from '../../infra/schema/index.ts';
import { type Viewer, visibleCasesWhere } from './access.ts';
import { caseNumberQuery, hasTrigrams } from './search-words.ts';

/**
 * Up to this many hits are collected by their ids first; the page is then sorted from them. Past
 * it the words are common enough that walking the date index finds a page after a few hundred rows.
 */
export const SEARCH_HITS_MAX = 2000;

/**
 * The text the trigram index `cases_text_trgm_idx` is built on, spelt exactly as in the index
 * (schema/cases.ts), or PostgreSQL would not use the index.
 */
const indexedText = sql`lower(coalesce(${cases.description}, '') || ' ' || coalesce(${cases.locationText}, ''))`;

const likeLiteral = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * One word: the German full text (stemmed: "Lampe" finds "Lampen") or, with three letters in a row,
 * a substring of description and place (trigrams: "laterne" finds "Straßenlaterne", which the
 * German stemmer never splits). A stop word ("die", "am") counts as found: the full text drops it
 * too. PostgreSQL folds the `numnode` test to a constant when it plans, so the condition that remains
 * is two index scans in a BitmapOr.
 */
function wordCondition(word: string): SQL {
  const query = sql`plainto_tsquery('german', ${word})`;
  const substring = hasTrigrams(word) ? sql` or ${indexedText} like lower(${`%${likeLiteral(word)}%`})` : sql``;
  return sql`(numnode(${query}) = 0 or ${cases.search} @@ ${query}${substring})`;
}

/**
 * Every word must occur (AND). A search of stop words alone finds nothing rather than everything.
 */
export function searchCondition(words: string[]): SQL {
  if (words.length === 0) return sql`true`;
  const meaningful = sql`numnode(plainto_tsquery('german', ${words.join(' ')})) > 0`;
  return sql`(${meaningful} and ${and(...words.map(wordCondition))})`;
}

/**
 * The ids of up to `limit` cases matching `conds`, read through bitmap index scans only. The planner
 * assumes two words occur independently; for two common words that rarely meet ("Laterne Schule")
 * it expects many hits and walks the date index or the table, looking at every row (700 ms at a
 * million cases). Here the index scans are combined first (BitmapAnd), and only matching rows are read.
 * The settings hold for this transaction only.
 */
export function searchHitIds(db: DbOrTx, conds: SQL[], limit = SEARCH_HITS_MAX + 1): Promise<number[]> {
  return withBitmapScans(db, async (tx) => {
    const rows = await searchHitsQuery(tx, conds, limit);
    return rows.map((r) => r.id);
  });
}

/** The query of searchHitIds, to run or to EXPLAIN. */
export function searchHitsQuery(db: DbOrTx, conds: SQL[], limit = SEARCH_HITS_MAX + 1) {
  return db
    .select({ id: cases.id })
    .from(cases)
    .where(and(...conds))
    .limit(limit);
}

/** How many of the newest cases (of the filters) are looked at to judge how common the words are. */
export const NEWEST_WINDOW = 500;

/**
 * How many of the newest `window` cases matching the filters also match the search, and whether
 * those were all the filters leave. Walks the date index over at most `window` rows, whatever the
 * words. The derived table is named `cases`, so the search condition reads its columns.
 */
export async function hitsAmongNewest(db: DbOrTx, filters: SQL[], search: SQL, window = NEWEST_WINDOW) {
  const newest = db
    .select({
      id: cases.id,
      number: cases.number,
      description: cases.description,
      location_text: cases.locationText,
      search: cases.search,
    })
    .from(cases)
    .where(and(...filters))
    .orderBy(sql`${cases.createdAt} desc nulls last`, sql`${cases.id} desc nulls last`)
    .limit(window);
  const result = (await db.execute(
    sql`select (count(*) filter (where ${search}))::int as hits, count(*)::int as seen from (${newest}) as cases`,
  )) as unknown as { rows: { hits: number; seen: number }[] };
  const row = result.rows[0] ?? { hits: 0, seen: 0 };
  return { hits: Number(row.hits), all: Number(row.seen) < window };
}

/**
 * Runs `work` in a transaction whose plans read tables only through bitmap index scans. The higher
 * operator cost tells the planner what a recheck of the text really costs (lower() of the whole
 * text, the tsvector match): at the default it would AND only the first word's index and test the
 * second word on every row the first one found, 16,000 rows at 100,000 cases for "Laterne Schule".
 */
export function withBitmapScans<T>(db: DbOrTx, work: (tx: DbOrTx) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('enable_seqscan', 'off', true), set_config('enable_indexscan', 'off', true),
      set_config('cpu_operator_cost', '0.25', true)`);
    return work(tx);
  });
}

/** Case numbers start with their year; a running number alone is looked for in each of these years. */
const FIRST_YEAR = 2000;
const LAST_YEAR = 2099;

/**
 * The numbers a search for a case number can mean, or null when the text is no case number. A
 * running number alone ("00045") becomes one number per year, so the unique index on the number
 * answers it instead of a suffix match over every number.
 */
export function caseNumbersFor(q: string | undefined): string[] | null {
  const asked = caseNumberQuery(q);
  if (!asked) return null;
  if ('exact' in asked) return [asked.exact];
  return Array.from({ length: LAST_YEAR - FIRST_YEAR + 1 }, (_, i) => `${FIRST_YEAR + i}-${asked.running}`);
}

/** The case a search for a case number means, when the viewer may see exactly one: the inbox opens it. */
export async function caseNumberJump(db: DbOrTx, viewer: Viewer, q: string | undefined): Promise<string | null> {
  const numbers = caseNumbersFor(q);
  if (!numbers) return null;
  const rows = await db
    .select({ number: cases.number })
    .from(cases)
    .where(and(inArray(cases.number, numbers), visibleCasesWhere(viewer)))
    .limit(2);
  return rows.length === 1 ? (rows[0]?.number ?? null) : null;
}
