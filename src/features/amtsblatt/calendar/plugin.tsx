import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../../http/deps.ts';
import { requireStaff, type SessionUser } from '../../../http/guards.ts';
import { pageContext, sendPage } from '../../../http/page.ts';
import { AppError, notFound } from '../../../infra/errors.ts';
import { dismissIdea, takeIdea } from '../imports/ideas.ts';
import { type CalendarView, periodOf } from './period.ts';
import { ideasBetween, postsBetween } from './queries.ts';
import { type CalendarDeps, isFormError, type MoveForm, movePost } from './service.ts';
import { CalendarPage } from './view.tsx';

type IdParams = { Params: { id: string } };

const NOTICES: Record<string, string> = {
  verschoben: 'Der Beitrag ist verschoben.',
  verworfen: 'Die Idee ist verworfen.',
};

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const idOf = (request: FastifyRequest<IdParams>): number => {
  if (!/^\d{1,9}$/.test(request.params.id)) throw notFound();
  return Number(request.params.id);
};
const staff = (request: FastifyRequest): SessionUser => {
  if (!request.user) throw new AppError('Unauthorized', 'Bitte melden Sie sich an.');
  return request.user;
};

/** Redaktionskalender: /redaktion/kalender (month and week), moving posts, ideas from the town's calendars. */
export const calendarPlugin: FastifyPluginAsync<{ deps: AppDeps }> = async (app, { deps }) => {
  const db = deps.database.db;
  const service: CalendarDeps = { db, clock: deps.clock };
  const guarded = { preHandler: [requireStaff, app.csrfProtection] };

  const page = async (
    request: FastifyRequest,
    reply: FastifyReply,
    q: { ansicht?: string; datum?: string; hinweis?: string },
    status = 200,
    failure?: { error: string; form?: MoveForm },
  ) => {
    const view: CalendarView = q.ansicht === 'woche' ? 'woche' : 'monat';
    const period = periodOf(view, q.datum, deps.clock.now());
    const [posts, ideas] = await Promise.all([postsBetween(db, period.from, period.to), ideasBetween(db, period.from, period.to)]);
    return sendPage(
      reply,
      <CalendarPage
        ctx={pageContext(request, reply)}
        period={period}
        posts={posts}
        ideas={ideas}
        notice={status === 200 && q.hinweis ? NOTICES[q.hinweis] : undefined}
        error={failure?.error}
        form={failure?.form}
      />,
      status,
    );
  };

  app.get('/redaktion/kalender', { preHandler: requireStaff }, (request, reply) =>
    page(request, reply, request.query as Record<string, string | undefined>),
  );

  app.post<IdParams>('/redaktion/kalender/:id/verschieben', guarded, async (request, reply) => {
    const postId = idOf(request);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const back = /^\/redaktion\/kalender\?ansicht=(monat|woche)&datum=[\d-]{10}$/.test(str(body.zurueck))
      ? str(body.zurueck)
      : '/redaktion/kalender';
    const query = Object.fromEntries(new URL(back, 'http://x').searchParams);
    try {
      const version = Number(str(body.version));
      if (!Number.isInteger(version))
        throw new AppError('Conflict', 'Bitte laden Sie den Kalender neu und verschieben Sie den Beitrag dann noch einmal.');
      await movePost(service, staff(request), { postId, version, at: str(body.at) });
      return reply.redirect(`${back}${back.includes('?') ? '&' : '?'}hinweis=verschoben`, 303);
    } catch (err) {
      if (!isFormError(err)) throw err;
      return page(request, reply, query, err.status, {
        error: err.message,
        form: { postId, at: str(body.at), error: err.fields.at ?? err.message },
      });
    }
  });

  app.post<IdParams>('/redaktion/ideen/:id/beitrag', guarded, async (request, reply) => {
    const postId = await takeIdea(service, staff(request), idOf(request));
    return reply.redirect(`/redaktion/${postId}`, 303);
  });

  app.post<IdParams>('/redaktion/ideen/:id/verwerfen', guarded, async (request, reply) => {
    await dismissIdea(service, idOf(request));
    return reply.redirect('/redaktion/kalender?hinweis=verworfen', 303);
  });
};
