import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { SessionUser } from '../../../http/guards.ts';
import type { Clock } from '../../../infra/clock.ts';
import type { Db } from '../../../infra/db.ts';
import { AppError, invalid, notFound } from '../../../infra/errors.ts';
import type { Logger } from '../../../infra/log.ts';
import { councilMeetings, councilPapers, councilSources } from '../../../infra/schema/index.ts';
import { insertDraft } from './drafts.ts';
import {
  type FetchOptions,
  firstBody,
  getListPage,
  meetingSchema,
  type OparlMeeting,
  type OparlPaper,
  paperSchema,
  withModifiedSince,
} from './oparl.ts';

export interface CouncilDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  fetch?: FetchOptions;
}

type ListName = 'paper' | 'meeting';

export interface CouncilRun {
  papers: number;
  meetings: number;
  skipped: number;
  /** German, when a page failed; the next run resumes at that page. */
  error: string | null;
}

/** The place of a meeting from its embedded Location (a bare URL would need another request: left out). */
const locationOf = (m: OparlMeeting): string | null => {
  if (!m.location || typeof m.location !== 'object') return null;
  const l = m.location as Record<string, unknown>;
  const parts = [l.description, l.room, l.streetAddress].filter((v): v is string => typeof v === 'string' && v.trim() !== '');
  return parts.join(', ').slice(0, 300) || null;
};

async function savePaper(db: Db, p: OparlPaper): Promise<void> {
  const values = {
    name: p.name ?? p.reference ?? 'Vorlage ohne Titel',
    reference: p.reference ?? null,
    paperType: p.paperType ?? null,
    date: p.date?.slice(0, 10) ?? null,
    webUrl: p.web ?? null,
    mainFileUrl: p.mainFile?.accessUrl ?? null,
    modified: p.modified ?? null,
    deleted: p.deleted,
  };
  await db
    .insert(councilPapers)
    .values({ oparlId: p.id, ...values })
    .onConflictDoUpdate({ target: councilPapers.oparlId, set: values });
}

async function saveMeeting(db: Db, m: OparlMeeting): Promise<void> {
  const values = {
    name: m.name ?? 'Sitzung',
    startsAt: m.start ?? null,
    endsAt: m.end ?? null,
    place: locationOf(m),
    webUrl: m.web ?? null,
    cancelled: m.cancelled,
    modified: m.modified ?? null,
    deleted: m.deleted,
  };
  await db
    .insert(councilMeetings)
    .values({ oparlId: m.id, ...values })
    .onConflictDoUpdate({ target: councilMeetings.oparlId, set: values });
}

/**
 * One run over a source's paper and meeting lists. Each page is saved before the next is asked
 * for, and the next page's URL is stored as the resume point: a slow or broken page stops the run
 * with a German reason, the next run starts at that page. A complete list remembers the run's
 * start as `modified_since` for the next time.
 */
export async function importCouncil(deps: CouncilDeps, sourceId: number): Promise<CouncilRun> {
  const [source] = await deps.db.select().from(councilSources).where(eq(councilSources.id, sourceId));
  if (!source) throw notFound('Diese OParl-Quelle gibt es nicht.');
  const startedAt = deps.clock.now().toISOString();
  const run: CouncilRun = { papers: 0, meetings: 0, skipped: 0, error: null };
  const cursors = { ...source.cursors };
  const saveCursors = (extra: Partial<typeof councilSources.$inferInsert> = {}) =>
    deps.db
      .update(councilSources)
      .set({ cursors, lastRunAt: deps.clock.now(), ...extra })
      .where(eq(councilSources.id, sourceId));
  try {
    const body = await firstBody(source.systemUrl, deps.fetch ?? {});
    const bodyUrls = { paper: body.paper, meeting: body.meeting };
    if (source.bodyUrl !== body.id) await deps.db.update(councilSources).set({ bodyUrl: body.id }).where(eq(councilSources.id, sourceId));
    const lists: [ListName, z.ZodType<OparlPaper> | z.ZodType<OparlMeeting>][] = [
      ['paper', paperSchema],
      ['meeting', meetingSchema],
    ];
    for (const [name, schema] of lists) {
      const cursor = cursors[name] ?? {};
      let url: string | null = cursor.resume ?? withModifiedSince(bodyUrls[name], cursor.since);
      while (url) {
        const page: { items: (OparlPaper | OparlMeeting)[]; skipped: number; next: string | null } = await getListPage(
          url,
          schema as z.ZodType<OparlPaper | OparlMeeting>,
          deps.fetch ?? {},
        );
        for (const item of page.items) {
          if (name === 'paper') await savePaper(deps.db, item as OparlPaper);
          else await saveMeeting(deps.db, item as OparlMeeting);
        }
        if (name === 'paper') run.papers += page.items.length;
        else run.meetings += page.items.length;
        run.skipped += page.skipped;
        url = page.next;
        // After a resumed run the earlier pages were read before this run began: keep the older
        // `since` (none after an interrupted first import, so the next run reads everything).
        const since = cursor.resume ? cursor.since : startedAt;
        cursors[name] = url ? { ...cursor, resume: url } : since ? { since } : {};
        await saveCursors();
      }
    }
    await saveCursors({ lastError: null });
  } catch (err) {
    run.error = err instanceof AppError ? err.message : 'Der Abruf der Ratsdokumente ist fehlgeschlagen.';
    await saveCursors({ lastError: run.error });
    deps.log.warn({ source: sourceId, reason: run.error }, 'oparl import stopped');
  }
  return run;
}

/** "Vorlage erklärt": a draft from the paper, linked to it (council_document_url/name). */
export async function draftFromPaper(
  deps: Pick<CouncilDeps, 'db' | 'clock'>,
  user: Pick<SessionUser, 'id'>,
  paperId: number,
): Promise<number> {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const [paper] = await tx.select().from(councilPapers).where(eq(councilPapers.id, paperId)).for('update');
    if (!paper || paper.deleted) throw notFound('Diese Vorlage gibt es nicht (mehr).');
    if (paper.postId) throw invalid('Zu dieser Vorlage gibt es schon einen Beitrag.');
    const name = paper.reference ? `${paper.reference}: ${paper.name}` : paper.name;
    const postId = await insertDraft(
      tx,
      {
        kind: 'council',
        title: `Vorlage erklärt: ${paper.name}`.slice(0, 200),
        body: '',
        authorId: user.id,
        councilDocumentUrl: paper.webUrl ?? paper.oparlId,
        councilDocumentName: name.slice(0, 300),
      },
      { actorUserId: user.id, details: { fromCouncilPaper: paper.oparlId }, at: now },
    );
    await tx.update(councilPapers).set({ postId }).where(eq(councilPapers.id, paper.id));
    return postId;
  });
}
