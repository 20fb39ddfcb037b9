import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../http/deps.ts';
import { requireAdmin } from '../../http/guards.ts';
import { pageContext, sendPage } from '../../http/page.ts';
import { notFound } from '../../infra/errors.ts';
import { formBody, idParam, isFormError, str } from './http.ts';
import { findTeam, listTeams, type TeamRow } from './queries.ts';
import type { TeamInput } from './schemas.ts';
import { createTeam, updateTeam } from './teams-service.ts';
import type { AdminActor, AdminDeps } from './users-service.ts';
import { noticeFrom } from './views/common.tsx';
import { EditTeamPage, TeamsPage } from './views/teams.tsx';

export function registerTeamRoutes(app: FastifyInstance, deps: AppDeps): void {
  const db = deps.database.db;
  const service: AdminDeps = { db, log: deps.log.child({ module: 'admin' }) };
  const guarded = { preHandler: [requireAdmin, app.csrfProtection] };
  const actorOf = (request: FastifyRequest): AdminActor =>
    request.user ? { userId: request.user.id, sessionId: request.user.sessionId } : null;
  const loadTeam = async (id: number): Promise<TeamRow> => {
    const team = await findTeam(db, id);
    if (!team) throw notFound('Dieses Team gibt es nicht (mehr).');
    return team;
  };

  app.get('/admin/teams', { preHandler: requireAdmin }, async (request, reply) =>
    sendPage(reply, <TeamsPage ctx={pageContext(request, reply)} teams={await listTeams(db)} notice={noticeFrom(request.query)} />),
  );

  app.post('/admin/teams', guarded, async (request, reply) => {
    const body = formBody(request);
    try {
      await createTeam(service, actorOf(request), { name: body.name as string, email: body.email as string | undefined });
      return reply.redirect('/admin/teams?hinweis=team', 303);
    } catch (err) {
      if (!isFormError(err)) throw err;
      const values = { name: str(body.name), email: str(body.email) };
      const errors = Object.keys(err.fields).length ? err.fields : { name: err.message };
      return sendPage(
        reply,
        <TeamsPage ctx={pageContext(request, reply)} teams={await listTeams(db)} values={values} errors={errors} />,
        err.status,
      );
    }
  });

  app.get('/admin/teams/:id', { preHandler: requireAdmin }, async (request, reply) => {
    const team = await loadTeam(idParam(request));
    const values = { name: team.name, email: team.email ?? '', followupAfterClose: team.followupAfterClose };
    return sendPage(
      reply,
      <EditTeamPage ctx={pageContext(request, reply)} team={team} values={values} notice={noticeFrom(request.query)} />,
    );
  });

  app.post('/admin/teams/:id', guarded, async (request, reply) => {
    const id = idParam(request);
    const body = formBody(request);
    try {
      await updateTeam(service, actorOf(request), id, {
        name: body.name as string,
        email: body.email as string | undefined,
        followupAfterClose: body.followupAfterClose as TeamInput['followupAfterClose'],
      });
      return reply.redirect(`/admin/teams/${id}?hinweis=gespeichert`, 303);
    } catch (err) {
      if (!isFormError(err)) throw err;
      const team = await loadTeam(id);
      const values = { name: str(body.name), email: str(body.email), followupAfterClose: str(body.followupAfterClose) };
      const errors = Object.keys(err.fields).length ? err.fields : { name: err.message };
      return sendPage(reply, <EditTeamPage ctx={pageContext(request, reply)} team={team} values={values} errors={errors} />, err.status);
    }
  });
}
