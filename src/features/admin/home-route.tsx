import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../http/deps.ts';
import { requireAdmin } from '../../http/guards.ts';
import { pageContext, sendPage } from '../../http/page.ts';
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
