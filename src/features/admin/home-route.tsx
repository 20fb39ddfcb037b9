import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../http/deps.ts';
import { pageContext, sendPage } from '../../http/page.ts';
import { requireAdmin } from '../auth/session.ts';
import { adminCounts } from './queries.ts';
import { AdminHomePage } from './views/home.tsx';

export function registerAdminHome(app: FastifyInstance, deps: AppDeps): void {
  app.get('/admin', { preHandler: requireAdmin }, async (request, reply) =>
    sendPage(
      reply,
      <AdminHomePage
        ctx={pageContext(request, reply)}
        counts={await adminCounts(deps.database.db)}
        proxyWithoutTrust={app.proxyNotice.forwardedWithoutTrust}
      />,
    ),
  );
}
