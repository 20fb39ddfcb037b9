import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../http/deps.ts';
import { requireAdmin } from '../../http/guards.ts';
import { pageContext, sendPage } from '../../http/page.ts';
import { notFound } from '../../infra/errors.ts';
import { checkedTeams, formBody, idParam, isFormError, str } from './http.ts';
import { findUser, listTeams, listUsers, type UserRow } from './queries.ts';
import { type AdminActor, type AdminDeps, createUser, resetPassword, setUserActive, updateUser } from './users-service.ts';
import { noticeFrom } from './views/common.tsx';
import { EditUserPage, NewUserPage, PasswordOncePage, type TeamChoice, type UserFormValues, UsersPage } from './views/users.tsx';

export function registerUserRoutes(app: FastifyInstance, deps: AppDeps): void {
  const db = deps.database.db;
  const service: AdminDeps = { db, log: deps.log.child({ module: 'admin' }) };
  const guarded = { preHandler: [requireAdmin, app.csrfProtection] };
  const actorOf = (request: FastifyRequest): AdminActor =>
    request.user ? { userId: request.user.id, sessionId: request.user.sessionId } : null;
  const teamChoices = async (): Promise<TeamChoice[]> => (await listTeams(db)).map(({ slug, name }) => ({ slug, name }));
  const loadUser = async (id: number): Promise<UserRow> => {
    const user = await findUser(db, id);
    if (!user) throw notFound('Diesen Zugang gibt es nicht (mehr).');
    return user;
  };
  const valuesOf = (user: UserRow): UserFormValues => ({
    displayName: user.displayName,
    role: user.role,
    teams: user.teams.map((t) => t.slug),
  });

  app.get('/admin/benutzer', { preHandler: requireAdmin }, async (request, reply) => {
    const users = await listUsers(db);
    return sendPage(reply, <UsersPage ctx={pageContext(request, reply)} users={users} notice={noticeFrom(request.query)} />);
  });

  app.get('/admin/benutzer/neu', { preHandler: requireAdmin }, async (request, reply) =>
    sendPage(reply, <NewUserPage ctx={pageContext(request, reply)} teams={await teamChoices()} values={{ role: 'staff' }} />),
  );

  app.post('/admin/benutzer', guarded, async (request, reply) => {
    const body = formBody(request);
    const values = { email: str(body.email), displayName: str(body.displayName), role: str(body.role), teams: checkedTeams(body) };
    try {
      const password = str(body.password);
      const { user, generatedPassword } = await createUser(service, actorOf(request), {
        email: body.email as string,
        displayName: body.displayName as string,
        role: (body.role ?? undefined) as 'admin' | 'staff' | undefined,
        teams: values.teams,
        ...(password ? { password } : {}),
      });
      if (generatedPassword)
        return sendPage(
          reply,
          <PasswordOncePage ctx={pageContext(request, reply)} user={user} password={generatedPassword} created />,
          201,
        );
      return reply.redirect(`/admin/benutzer/${user.id}?hinweis=angelegt`, 303);
    } catch (err) {
      if (!isFormError(err)) throw err;
      const errors = Object.keys(err.fields).length ? err.fields : { email: err.message };
      return sendPage(
        reply,
        <NewUserPage ctx={pageContext(request, reply)} teams={await teamChoices()} values={values} errors={errors} />,
        err.status,
      );
    }
  });

  app.get('/admin/benutzer/:id', { preHandler: requireAdmin }, async (request, reply) => {
    const user = await loadUser(idParam(request));
    return sendPage(
      reply,
      <EditUserPage
        ctx={pageContext(request, reply)}
        user={user}
        teams={await teamChoices()}
        values={valuesOf(user)}
        notice={noticeFrom(request.query)}
        isSelf={user.id === request.user?.id}
      />,
    );
  });

  app.post('/admin/benutzer/:id', guarded, async (request, reply) => {
    const id = idParam(request);
    const body = formBody(request);
    const teams = checkedTeams(body);
    try {
      await updateUser(service, actorOf(request), id, {
        displayName: body.displayName as string,
        role: body.role as 'admin' | 'staff',
        teams,
      });
      return reply.redirect(`/admin/benutzer/${id}?hinweis=gespeichert`, 303);
    } catch (err) {
      if (!isFormError(err)) throw err;
      const user = await loadUser(id);
      const values = { displayName: str(body.displayName), role: str(body.role), teams };
      const errors = Object.keys(err.fields).length ? err.fields : { displayName: err.message };
      return sendPage(
        reply,
        <EditUserPage
          ctx={pageContext(request, reply)}
          user={user}
          teams={await teamChoices()}
          values={values}
          errors={errors}
          isSelf={user.id === request.user?.id}
        />,
        err.status,
      );
    }
  });

  /** Actions outside the main form come back to the edit page with their message at the top. */
  const action = (path: string, run: (request: FastifyRequest, id: number) => Promise<string>) =>
    app.post(`/admin/benutzer/:id/${path}`, guarded, async (request, reply) => {
      const id = idParam(request);
      try {
        return reply.redirect(await run(request, id), 303);
      } catch (err) {
        if (!isFormError(err)) throw err;
        const user = await loadUser(id);
        const page = (
          <EditUserPage
            ctx={pageContext(request, reply)}
            user={user}
            teams={await teamChoices()}
            values={valuesOf(user)}
            errors={err.fields.password ? { password: err.fields.password } : {}}
            problem={err.fields.password ? undefined : err.message}
            isSelf={user.id === request.user?.id}
          />
        );
        return sendPage(reply, page, err.status);
      }
    });

  action('deaktivieren', async (request, id) => {
    await setUserActive(service, actorOf(request), id, false);
    return `/admin/benutzer/${id}?hinweis=deaktiviert`;
  });
  action('aktivieren', async (request, id) => {
    await setUserActive(service, actorOf(request), id, true);
    return `/admin/benutzer/${id}?hinweis=aktiviert`;
  });

  app.post('/admin/benutzer/:id/passwort', guarded, async (request, reply) => {
    const id = idParam(request);
    const password = str(formBody(request).password);
    try {
      const { user, generatedPassword } = await resetPassword(service, actorOf(request), id, password || undefined);
      if (generatedPassword)
        return sendPage(
          reply,
          <PasswordOncePage ctx={pageContext(request, reply)} user={user} password={generatedPassword} created={false} />,
        );
      return reply.redirect(`/admin/benutzer/${id}?hinweis=passwort`, 303);
    } catch (err) {
      if (!isFormError(err)) throw err;
      const user = await loadUser(id);
      return sendPage(
        reply,
        <EditUserPage
          ctx={pageContext(request, reply)}
          user={user}
          teams={await teamChoices()}
          values={valuesOf(user)}
          errors={{ password: err.fields.password ?? err.message }}
          isSelf={user.id === request.user?.id}
        />,
        err.status,
      );
    }
  });
}
