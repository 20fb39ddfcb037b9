import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../http/deps.ts';
import { requireStaff, type SessionUser } from '../../http/guards.ts';
import { pageContext, sendPage } from '../../http/page.ts';
import { AppError, notFound } from '../../infra/errors.ts';
import { listTemplates, settingsOf, teamsByIds } from './queries.ts';
import {
  canManage,
  createTemplate,
  deleteTemplate,
  editableTemplate,
  manageableTeams,
  readableTeams,
  saveTeamSettings,
  type TemplatesDeps,
  updateTemplate,
} from './service.ts';
import { EditTemplatePage, TeamSettingsPage, type TemplateNotice, TemplatesPage, templateNotices } from './views/templates.tsx';

type IdParams = { Params: { id: string } };

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const bodyOf = (request: FastifyRequest) => (request.body ?? {}) as Record<string, unknown>;
const formErrorOf = (err: unknown): AppError | null =>
  err instanceof AppError && (err.code === 'Invalid' || err.code === 'Conflict') ? err : null;

function idOf(request: FastifyRequest<IdParams>): number {
  const raw = request.params.id;
  if (!/^\d{1,9}$/.test(raw)) throw notFound();
  return Number(raw);
}

function noticeOf(request: FastifyRequest): TemplateNotice | undefined {
  const key = (request.query as { hinweis?: unknown } | undefined)?.hinweis;
  return typeof key === 'string' && Object.hasOwn(templateNotices, key) ? (key as TemplateNotice) : undefined;
}

function staff(request: FastifyRequest): SessionUser {
  if (!request.user) throw new AppError('Unauthorized', 'Bitte melden Sie sich an.');
  return request.user;
}

/** Textbausteine (per team and for everyone) and each team's signature and round-robin setting. */
export function registerTemplateRoutes(app: FastifyInstance, deps: AppDeps): void {
  const db = deps.database.db;
  const service: TemplatesDeps = { db, clock: deps.clock, log: deps.log.child({ module: 'templates' }) };
  const guarded = { preHandler: [requireStaff, app.csrfProtection] };

  const listPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    form?: { values: Record<string, string>; errors: Record<string, string> },
  ) => {
    const user = staff(request);
    return sendPage(
      reply,
      <TemplatesPage
        ctx={pageContext(request, reply)}
        templates={await listTemplates(db, readableTeams(user))}
        teams={await manageableTeams(db, user)}
        isAdmin={user.role === 'admin'}
        notice={status === 200 ? noticeOf(request) : undefined}
        {...(form ?? {})}
      />,
      status,
    );
  };

  app.get('/staff/textbausteine', { preHandler: requireStaff }, (request, reply) => listPage(request, reply, 200));

  app.post('/staff/textbausteine', guarded, async (request, reply) => {
    const body = bodyOf(request);
    try {
      await createTemplate(service, staff(request), body);
      return reply.redirect('/staff/textbausteine?hinweis=angelegt', 303);
    } catch (err) {
      const e = formErrorOf(err);
      if (!e) throw err;
      const values = { title: str(body.title), teamId: str(body.teamId), body: str(body.body) };
      return listPage(request, reply, e.status, { values, errors: Object.keys(e.fields).length ? e.fields : { title: e.message } });
    }
  });

  const editPage = async (
    request: FastifyRequest<IdParams>,
    reply: FastifyReply,
    status: number,
    form?: { values: Record<string, string>; errors: Record<string, string> },
  ) => {
    const user = staff(request);
    const template = await editableTemplate(db, user, idOf(request));
    const values = form?.values ?? {
      title: template.title,
      teamId: template.teamId === null ? '' : String(template.teamId),
      body: template.body,
    };
    return sendPage(
      reply,
      <EditTemplatePage
        ctx={pageContext(request, reply)}
        template={template}
        teams={await manageableTeams(db, user)}
        isAdmin={user.role === 'admin'}
        values={values}
        errors={form?.errors ?? {}}
        notice={status === 200 ? noticeOf(request) : undefined}
      />,
      status,
    );
  };

  app.get<IdParams>('/staff/textbausteine/:id', { preHandler: requireStaff }, (request, reply) => editPage(request, reply, 200));

  app.post<IdParams>('/staff/textbausteine/:id', guarded, async (request, reply) => {
    const id = idOf(request);
    const body = bodyOf(request);
    try {
      await updateTemplate(service, staff(request), id, body);
      return reply.redirect(`/staff/textbausteine/${id}?hinweis=gespeichert`, 303);
    } catch (err) {
      const e = formErrorOf(err);
      if (!e) throw err;
      const values = { title: str(body.title), teamId: str(body.teamId), body: str(body.body) };
      return editPage(request, reply, e.status, { values, errors: Object.keys(e.fields).length ? e.fields : { title: e.message } });
    }
  });

  app.post<IdParams>('/staff/textbausteine/:id/loeschen', guarded, async (request, reply) => {
    await deleteTemplate(service, staff(request), idOf(request));
    return reply.redirect('/staff/textbausteine?hinweis=geloescht', 303);
  });

  const teamPage = async (
    request: FastifyRequest<IdParams>,
    reply: FastifyReply,
    status: number,
    form?: { values: { signature: string; roundRobin: boolean }; errors: Record<string, string> },
  ) => {
    const user = staff(request);
    const teamId = idOf(request);
    const [team] = canManage(user, teamId) ? await teamsByIds(db, [teamId]) : [];
    if (!team) throw notFound('Dieses Team gibt es nicht, oder Sie gehören nicht dazu.');
    const saved = await settingsOf(db, teamId);
    const values = form?.values ?? { signature: saved.signature ?? '', roundRobin: saved.roundRobin };
    return sendPage(
      reply,
      <TeamSettingsPage
        ctx={pageContext(request, reply)}
        team={team}
        values={values}
        errors={form?.errors ?? {}}
        notice={status === 200 ? noticeOf(request) : undefined}
      />,
      status,
    );
  };

  app.get<IdParams>('/staff/textbausteine/team/:id', { preHandler: requireStaff }, (request, reply) => teamPage(request, reply, 200));

  app.post<IdParams>('/staff/textbausteine/team/:id', guarded, async (request, reply) => {
    const teamId = idOf(request);
    const body = bodyOf(request);
    try {
      await saveTeamSettings(service, staff(request), teamId, body);
      return reply.redirect(`/staff/textbausteine/team/${teamId}?hinweis=team`, 303);
    } catch (err) {
      const e = formErrorOf(err);
      if (!e) throw err;
      const values = { signature: str(body.signature), roundRobin: body.roundRobin === 'yes' };
      return teamPage(request, reply, e.status, { values, errors: e.fields });
    }
  });
}
