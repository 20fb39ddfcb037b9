import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../../http/deps.ts';
import { pageContext, sendPage } from '../../http/page.ts';
import { ping } from '../../infra/db.ts';
import { HomePage } from './views/home.tsx';
import { AccessibilityPage, ImprintPage, PrivacyPage } from './views/legal.tsx';

/**
 * For search engines: the public pages may be indexed; staff, admin, sign-in and every page whose
 * URL carries a private token stay out. Those pages send `noindex` too, for crawlers that come
 * by a link and ignore this file; the prefixes named here are no secret, the tokens are.
 */
const ROBOTS_TXT = `User-agent: *
Allow: /
Disallow: /staff
Disallow: /admin
Disallow: /anmelden
Disallow: /abmelden
Disallow: /verfolgen/
Disallow: /folgen/
Disallow: /melden/danke/
Disallow: /melden/folgen
Disallow: /health
`;

/** Public pages that are not a feature of their own: home, privacy, accessibility, imprint, robots.txt, health. */
export const pagesPlugin: FastifyPluginAsync<{ deps: AppDeps }> = async (app, { deps }) => {
  app.get('/', (request, reply) => sendPage(reply, <HomePage ctx={pageContext(request, reply)} />));
  app.get('/datenschutz', (request, reply) => sendPage(reply, <PrivacyPage ctx={pageContext(request, reply)} />));
  app.get('/barrierefreiheit', (request, reply) => sendPage(reply, <AccessibilityPage ctx={pageContext(request, reply)} />));
  app.get('/impressum', (request, reply) => sendPage(reply, <ImprintPage ctx={pageContext(request, reply)} />));

  app.get('/robots.txt', (_request, reply) =>
    reply.type('text/plain; charset=utf-8').header('cache-control', 'public, max-age=86400').send(ROBOTS_TXT),
  );

  // For load balancers and monitoring: 200 when the database answers, 503 otherwise. Anyone may
  // ask, so it says nothing more (no engine, no version): the start-up log names those.
  app.get('/health', async (_request, reply) => {
    try {
      await ping(deps.database.db);
      return { status: 'ok' };
    } catch {
      return reply.status(503).send({ status: 'unavailable' });
    }
  });
};
