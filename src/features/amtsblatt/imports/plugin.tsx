import { desc, eq } from 'drizzle-orm';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../../http/deps.ts';
import { requireStaff, type SessionUser } from '../../../http/guards.ts';
import { pageContext, sendPage } from '../../../http/page.ts';
import { AppError, invalid, notFound } from '../../../infra/errors.ts';
import { calendarSources, councilMeetings, councilPapers, councilSources } from '../../../infra/schema/index.ts';
import { ICS_MAX_BYTES, pollCalendarSource } from './calendar-sources.ts';
import { type CouncilDeps, draftFromPaper, importCouncil } from './council.ts';
import { importCalendar } from './ideas.ts';
import { CalendarSourcesPage, CouncilPage } from './views.tsx';

type IdParams = { Params: { id: string } };
const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
const staff = (request: FastifyRequest): SessionUser => {
  if (!request.user) throw new AppError('Unauthorized', 'Bitte melden Sie sich an.');
  return request.user;
};
const httpUrl = (v: string) => {
  if (!URL.canParse(v) || !/^https?:$/.test(new URL(v).protocol))
    throw invalid('Bitte geben Sie eine Adresse an, die mit https:// beginnt.');
  return v;
};
const NOTICES: Record<string, string> = {
  gelesen: 'Der Kalender ist gelesen, die Termine stehen als Ideen im Redaktionskalender.',
  abgerufen: 'Die Ratsdokumente sind abgerufen.',
};

/** Terminkalender (iCalendar files and URLs → post ideas) and Ratsdokumente (OParl → "Vorlage erklärt"). */
export const importsPlugin: FastifyPluginAsync<{ deps: AppDeps; fetchImpl?: typeof fetch }> = async (app, { deps, fetchImpl }) => {
  const db = deps.database.db;
  const log = deps.log.child({ module: 'editorial-imports' });
  const poll = { db, clock: deps.clock, log, ...(fetchImpl ? { fetchImpl } : {}) };
  const council: CouncilDeps = { db, clock: deps.clock, log, ...(fetchImpl ? { fetch: { fetchImpl } } : {}) };
  const guarded = { preHandler: [requireStaff, app.csrfProtection] };

  const sourcesPage = async (request: FastifyRequest, reply: FastifyReply, status = 200, error?: string) => {
    const hinweis = str((request.query as { hinweis?: unknown }).hinweis);
    const sources = await db.select().from(calendarSources).orderBy(calendarSources.name);
    return sendPage(
      reply,
      <CalendarSourcesPage
        ctx={pageContext(request, reply)}
        sources={sources}
        notice={status === 200 ? NOTICES[hinweis] : undefined}
        error={error}
      />,
      status,
    );
  };
  const refusedHere = async (request: FastifyRequest, reply: FastifyReply, err: unknown) => {
    if (!(err instanceof AppError) || (err.code !== 'Invalid' && err.code !== 'Unavailable')) throw err;
    return sourcesPage(request, reply, err.code === 'Invalid' ? 400 : 502, err.message);
  };

  app.get('/redaktion/kalender/quellen', { preHandler: requireStaff }, (request, reply) => sourcesPage(request, reply));

  app.post('/redaktion/kalender/quellen/datei', guarded, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    try {
      const file = body.file;
      if (!Buffer.isBuffer(file) || file.length === 0) throw invalid('Bitte wählen Sie eine .ics-Datei aus.');
      if (file.length > ICS_MAX_BYTES) throw invalid('Die Datei ist größer als 2 MB.');
      const name = str(body.name).slice(0, 200) || 'Hochgeladener Kalender';
      const [existing] = await db.select().from(calendarSources).where(eq(calendarSources.name, name));
      const text = file.toString('utf8');
      const sourceId =
        existing?.id ?? (await db.insert(calendarSources).values({ name }).returning({ id: calendarSources.id }))[0]?.id ?? 0;
      try {
        await importCalendar(poll, sourceId, text);
      } catch (err) {
        // A broken first file leaves no empty source behind; a known source keeps its ideas.
        if (!existing) await db.delete(calendarSources).where(eq(calendarSources.id, sourceId));
        throw err;
      }
      return reply.redirect('/redaktion/kalender/quellen?hinweis=gelesen', 303);
    } catch (err) {
      return refusedHere(request, reply, err);
    }
  });

  app.post('/redaktion/kalender/quellen', guarded, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    try {
      const url = httpUrl(str(body.url));
      const [row] = await db
        .insert(calendarSources)
        .values({ name: str(body.name).slice(0, 200) || new URL(url).host, url })
        .returning({ id: calendarSources.id });
      if (row) await pollCalendarSource(poll, row.id);
      return reply.redirect('/redaktion/kalender/quellen?hinweis=gelesen', 303);
    } catch (err) {
      return refusedHere(request, reply, err);
    }
  });

  const councilPage = async (request: FastifyRequest, reply: FastifyReply) => {
    const hinweis = str((request.query as { hinweis?: unknown }).hinweis);
    const [source] = await db.select().from(councilSources).limit(1);
    const papers = await db
      .select()
      .from(councilPapers)
      .where(eq(councilPapers.deleted, false))
      .orderBy(desc(councilPapers.date), desc(councilPapers.id))
      .limit(200);
    const meetings = await db
      .select()
      .from(councilMeetings)
      .where(eq(councilMeetings.deleted, false))
      .orderBy(desc(councilMeetings.startsAt))
      .limit(50);
    return sendPage(
      reply,
      <CouncilPage ctx={pageContext(request, reply)} source={source} papers={papers} meetings={meetings} notice={NOTICES[hinweis]} />,
    );
  };

  app.get('/redaktion/ratsdokumente', { preHandler: requireStaff }, councilPage);

  app.post('/redaktion/ratsdokumente/quelle', guarded, async (request, reply) => {
    const url = httpUrl(str(((request.body ?? {}) as Record<string, unknown>).url));
    const [existing] = await db.select().from(councilSources).limit(1);
    // A new address starts from scratch: the old cursors belong to another server.
    if (existing && existing.systemUrl !== url) {
      await db.update(councilSources).set({ systemUrl: url, cursors: {}, bodyUrl: null }).where(eq(councilSources.id, existing.id));
    }
    const id = existing?.id ?? (await db.insert(councilSources).values({ systemUrl: url }).returning({ id: councilSources.id }))[0]?.id;
    if (id) await importCouncil(council, id);
    return reply.redirect('/redaktion/ratsdokumente?hinweis=abgerufen', 303);
  });

  app.post<IdParams>('/redaktion/ratsdokumente/:id/erklaeren', guarded, async (request, reply) => {
    if (!/^\d{1,9}$/.test(request.params.id)) throw notFound();
    const postId = await draftFromPaper(council, staff(request), Number(request.params.id));
    return reply.redirect(`/redaktion/${postId}`, 303);
  });
};
