import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../http/deps.ts';
import { requireAdmin } from '../../http/guards.ts';
import { pageContext, sendPage } from '../../http/page.ts';
import { listThrottles } from '../auth/throttle-queries.ts';
import { idParam } from './http.ts';
import { liftThrottle, liftThrottlesOfUser } from './throttles-service.ts';
import type { AdminActor, AdminDeps } from './users-service.ts';
import { noticeFrom } from './views/common.tsx';
import { ThrottlesPage } from './views/throttles.tsx';

/** /admin/anmeldungen: the sign-in counters whose waits run, and lifting them (whole list or one user). */
export function registerThrottleRoutes(app: FastifyInstance, deps: AppDeps): void {
  const service: AdminDeps = { db: deps.database.db, log: deps.log.child({ module: 'admin' }) };
  const guarded = { preHandler: [requireAdmin, app.csrfProtection] };
  const actorOf = (request: FastifyRequest): AdminActor =>
    request.user ? { userId: request.user.id, sessionId: request.user.sessionId } : null;

  app.get('/admin/anmeldungen', { preHandler: requireAdmin }, async (request, reply) => {
    const rows = await listThrottles(service.db);
    return sendPage(
      reply,
      <ThrottlesPage ctx={pageContext(request, reply)} rows={rows} now={deps.clock.now()} notice={noticeFrom(request.query)} />,
    );
  });

  app.post('/admin/anmeldungen/:id/aufheben', guarded, async (request, reply) => {
    await liftThrottle(service, actorOf(request), idParam(request));
    return reply.redirect('/admin/anmeldungen?hinweis=anmeldeschutz', 303);
  });

  app.post('/admin/benutzer/:id/anmeldeschutz', guarded, async (request, reply) => {
    const id = idParam(request);
    await liftThrottlesOfUser(service, actorOf(request), id);
    return reply.redirect(`/admin/benutzer/${id}?hinweis=anmeldeschutz`, 303);
  });
}
