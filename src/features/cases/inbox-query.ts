import { and, arrayContains, eq, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../infra/db.ts';
import { AppError } from '../../infra/errors.ts';
import { type CaseStatus, type CaseType, type ChannelName, caseSlas, cases, categories, teams, users } from '../../infra/schema/index.ts';
import { type DuePart, type InboxDue, inboxDueOf, loadByDue } from '../sla/inbox-due.ts';
import { type Viewer, visibleCasesWhere } from './access.ts';
import { forwardedByViewerWhere } from './forwards.ts';
import { COUNT_CAP, type Cursor, decodeCursor, encodeCursor, type InboxFilters, PAGE_SIZE } from './inbox-filters.ts';
import { caseNumbersFor, hitsAmongNewest, NEWEST_WINDOW, SEARCH_HITS_MAX, searchCondition, searchHitIds } from './inbox-search.ts';
import { excerptAround, searchWords } from './search-words.ts';

export interface InboxRow {
  id: number;
  number: string;
  type: CaseType | null;
  status: CaseStatus;
  channel: ChannelName;
  categoryName: string | null;
  teamName: string | null;
  assigneeName: string | null;
  createdAt: Date;
  /** The start of the description (or, in a search, the part around the first hit), so staff see what it is about. */
  excerpt: string;
  locationText: string | null;
  /** For the bulk actions' optimistic concurrency check. */
  version: number;
  /** The SLA clock, null for a case without one. */
  due: InboxDue | null;
  tags: string[];
}

export interface InboxPage {
  rows: InboxRow[];
  /** Cursor for "Weiter" (older cases) and "Zurück" (newer), null at either end. */
  next: string | null;
  prev: string | null;
  total: { count: number; capped: boolean };
}

const EXCERPT = 90;
/** One in this many of the newest cases matching makes the words common (see pageScope). */
const COMMON_SHARE = 10;
/** How much of the description is read to find the first hit of a search for the excerpt. */
const EXCERPT_SOURCE = 1000;
const openStatuses: CaseStatus[] = ['new', 'in_progress', 'waiting'];

/** Every filter as a WHERE condition on `cases` alone, so the indexes on cases can serve it. */
export function inboxConditions(viewer: Viewer, f: InboxFilters): SQL[] {
  const search = searchOf(f.q);
  return search ? [...filterConditions(viewer, f), search] : filterConditions(viewer, f);
}

/** The filters except the search text. */
function filterConditions(viewer: Viewer, f: InboxFilters): SQL[] {
  // "Von uns weitergeleitet" replaces the team condition: those cases are now another team's.
  const conds: (SQL | undefined)[] = [f.ansicht === 'weitergeleitet' ? forwardedByViewerWhere(viewer) : visibleCasesWhere(viewer)];
  if (f.status === 'offen') conds.push(inArray(cases.status, openStatuses));
  else if (f.status !== 'alle') conds.push(eq(cases.status, f.status));
  if (f.art) conds.push(eq(cases.type, f.art));
  if (f.team) conds.push(f.team === 'ohne' ? isNull(cases.teamId) : eq(cases.teamId, Number(f.team)));
  if (f.kategorie) conds.push(f.kategorie === 'ohne' ? isNull(cases.categoryId) : eq(cases.categoryId, Number(f.kategorie)));
  if (f.kanal) conds.push(eq(cases.channel, f.kanal));
  if (f.zuweisung) conds.push(f.zuweisung === 'mir' ? eq(cases.assigneeId, viewer.id) : isNull(cases.assigneeId));
  if (f.schlagwort) conds.push(arrayContains(cases.tags, [f.schlagwort]));
  return conds.filter((c): c is SQL => c !== undefined);
}

/** A case number (whole or its running number) by the number's index, anything else as words. */
function searchOf(q: string | undefined): SQL | null {
  if (!q) return null;
  const numbers = caseNumbersFor(q);
  return numbers ? inArray(cases.number, numbers) : searchCondition(searchWords(q));
}

/**
 * The conditions a page is read with, and its total. Without a search: the filters, counted up to
 * the cap. With one, the newest 500 cases of the filters are looked at first (inbox-search.ts): where
 * the words are common there, page and count walk the date index and stop early, as before; where
 * they are rare (or two common words rarely meet), the hits are collected through the text indexes
 * and the page is sorted from their ids, so its cost follows the hits, not the table.
 */
async function pageScope(db: DbOrTx, viewer: Viewer, f: InboxFilters): Promise<{ conds: SQL[]; total: InboxPage['total'] }> {
  const filters = filterConditions(viewer, f);
  const search = searchOf(f.q);
  if (!search) return { conds: filters, total: await countCapped(db, filters) };
  const walk = [...filters, search];
  const recent = await hitsAmongNewest(db, filters, search);
  if (recent.all) return { conds: walk, total: { count: Math.min(recent.hits, COUNT_CAP), capped: recent.hits > COUNT_CAP } };
  // Common words: a tenth or more of the newest cases match, so the date walk finds a page and the
  // capped count within about ten thousand rows; the text indexes would read every hit of the table.
  if (recent.hits * COMMON_SHARE >= NEWEST_WINDOW) return { conds: walk, total: await countCapped(db, walk) };
  const ids = await searchHitIds(db, walk);
  const total = { count: Math.min(ids.length, COUNT_CAP), capped: ids.length > COUNT_CAP };
  if (ids.length > SEARCH_HITS_MAX) return { conds: walk, total };
  return { conds: [sql`${cases.id} = any(${`{${ids.join(',')}}`}::int[])`], total };
}

/**
 * One page of the inbox, newest first, by keyset on (created_at, id): the cost of a page does not
 * grow with how far one has paged, unlike OFFSET. The ORDER BY spells out NULLS LAST because
 * that is how the indexes are built; with the default (NULLS FIRST) PostgreSQL would not use them.
 * Sorted by due time, the key is (due time or infinity, id), walked upwards: earliest deadline first.
 */
export async function loadInbox(db: DbOrTx, viewer: Viewer, f: InboxFilters): Promise<InboxPage> {
  const { conds: base, total } = await pageScope(db, viewer, f);
  const before = f.vor ? parseCursor(f.vor) : null;
  const after = !before && f.nach ? parseCursor(f.nach) : null;
  const conds = [...base];
  // Sorted by due time, the page is read in two index-backed parts (see sla/inbox-due.ts).
  const byDue = f.sortierung === 'faelligkeit';
  const key = sql`${cases.createdAt}`;
  if (after) conds.push(sql`(${key}, ${cases.id}) < (${after.createdAt}::timestamptz, ${after.id})`);
  if (before) conds.push(sql`(${key}, ${cases.id}) > (${before.createdAt}::timestamptz, ${before.id})`);
  const order = before
    ? [sql`${key} asc nulls first`, sql`${cases.id} asc nulls first`]
    : [sql`${key} desc nulls last`, sql`${cases.id} desc nulls last`];

  const query: DuePart<Awaited<ReturnType<typeof selectPage>>[number]> = (part) =>
    selectPage(db, part.key, [...base, ...part.where], part.order, part.limit);
  const fetched = byDue ? await loadByDue(query, { after, before }, PAGE_SIZE + 1) : await selectPage(db, key, conds, order, PAGE_SIZE + 1);

  const more = fetched.length > PAGE_SIZE;
  const page = fetched.slice(0, PAGE_SIZE);
  if (before) page.reverse();
  const first = page[0];
  const last = page.at(-1);
  const cursorOf = (r: { createdAtText: string; id: number }) => encodeCursor({ createdAt: r.createdAtText, id: r.id });
  const hasOlder = before ? true : more;
  const hasNewer = before ? more : Boolean(after);
  const words = searchWords(f.q);
  return {
    rows: page.map((r) => inboxRowOf(r, words)),
    next: hasOlder && last ? cursorOf(last) : null,
    prev: hasNewer && first ? cursorOf(first) : null,
    total,
  };
}

type Selected = Awaited<ReturnType<typeof selectPage>>[number];

function inboxRowOf(
  { createdAtText: _t, excerpt, closedAt, slaCaseId, dueAt, warnAt, resolutionDueAt, ...row }: Selected,
  words: string[],
): InboxRow {
  return {
    ...row,
    excerpt: excerptAround(excerpt, words, EXCERPT),
    due: inboxDueOf({ slaCaseId, dueAt, warnAt, resolutionDueAt, closedAt }),
  };
}

/**
 * The row of one case as the first page of this inbox view would show it, or null when the view's
 * filters (or the viewer's access) leave it out: the live inbox inserts a new case only where it belongs.
 */
export async function inboxRowFor(db: DbOrTx, viewer: Viewer, f: InboxFilters, number: string): Promise<InboxRow | null> {
  const key = sql`${cases.createdAt}`;
  const [row] = await selectPage(db, key, [...inboxConditions(viewer, f), eq(cases.number, number)], [sql`${cases.id}`], 1);
  return row ? inboxRowOf(row, searchWords(f.q)) : null;
}

function selectPage(db: DbOrTx, key: SQL, conds: SQL[], order: SQL[], limit: number) {
  return db
    .select({
      id: cases.id,
      number: cases.number,
      type: cases.type,
      status: cases.status,
      channel: cases.channel,
      categoryName: categories.name,
      teamName: teams.name,
      assigneeName: users.displayName,
      createdAt: cases.createdAt,
      excerpt: sql<string>`left(${cases.description}, ${EXCERPT_SOURCE})`,
      locationText: cases.locationText,
      version: cases.version,
      tags: cases.tags,
      createdAtText: sql<string>`${key}::text`,
      closedAt: cases.closedAt,
      slaCaseId: caseSlas.caseId,
      dueAt: caseSlas.dueAt,
      warnAt: caseSlas.warnAt,
      resolutionDueAt: caseSlas.resolutionDueAt,
    })
    .from(cases)
    .leftJoin(caseSlas, eq(caseSlas.caseId, cases.id))
    .leftJoin(categories, eq(categories.id, cases.categoryId))
    .leftJoin(teams, eq(teams.id, cases.teamId))
    .leftJoin(users, eq(users.id, cases.assigneeId))
    .where(and(...conds))
    .orderBy(...order)
    .limit(limit);
}

/** Counts at most COUNT_CAP + 1 rows, so a page load never counts the whole table. */
async function countCapped(db: DbOrTx, conds: SQL[]): Promise<{ count: number; capped: boolean }> {
  const limited = db
    .select({ one: sql`1`.as('one') })
    .from(cases)
    .where(and(...conds))
    // Same order as the page: the planner can then walk the created_at index and stop early, which
    // wins for the usual views (open cases are the recent ones) instead of scanning the table from its oldest rows.
    .orderBy(sql`${cases.createdAt} desc nulls last`, sql`${cases.id} desc nulls last`)
    .limit(COUNT_CAP + 1)
    .as('limited');
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(limited);
  const n = Number(row?.n ?? 0);
  return { count: Math.min(n, COUNT_CAP), capped: n > COUNT_CAP };
}

function parseCursor(value: string): Cursor {
  const c = decodeCursor(value);
  if (!c) throw new AppError('Invalid', 'Dieser Blätter-Link ist ungültig. Bitte beginnen Sie auf der ersten Seite.');
  return c;
}
