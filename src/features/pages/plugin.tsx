import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../../http/deps.ts';
import { pageContext, sendPage } from '../../http/page.ts';
import { ping } from '../../infra/db.ts';
import { HomePage } from './views/home.tsx';
import { AccessibilityPage, ImprintPage, PrivacyPage } from './views/legal.tsx';

/** Public pages that are not a feature of their own: home, privacy, accessibility, imprint, health. */
export const pagesPlugin: FastifyPluginAsync<{ deps: AppDeps }> = async (app, { deps }) => {
  app.get('/', (request, reply) => sendPage(reply, <HomePage ctx={pageContext(request, reply)} />));
  app.get('/datenschutz', (request, reply) => sendPage(reply, <PrivacyPage ctx={pageContext(request, reply)} />));
  app.get('/barrierefreiheit', (request, reply) => sendPage(reply, <AccessibilityPage ctx={pageContext(request, reply)} />));
  app.get('/impressum', (request, reply) => sendPage(reply, <ImprintPage ctx={pageContext(request, reply)} />));

  // For load balancers and monitoring: 200 when the database answers, 503 otherwise.
  app.get('/health', async (_request, reply) => {
    try {
      await ping(deps.database.db);
      return { status: 'ok', database: deps.database.kind };
    } catch {
      return reply.status(503).send({ status: 'unavailable', database: deps.database.kind });
    }
  });
};
