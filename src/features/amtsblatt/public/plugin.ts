import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../../../http/deps.ts';
import { feedRoutes } from './feed-routes.ts';
import { newsletterRoutes } from './newsletter/routes.tsx';
import { noticeRoutes } from './notice-routes.tsx';
import { pageRoutes } from './page-routes.tsx';

/**
 * The public Amtsblatt: /amtsblatt (timeline, search, archive, filters), a permanent page per post,
 * official notices with their hash check, print view and PDF, the feeds, the events calendar and
 * the newsletter (double opt-in, one-click unsubscribe; sent in batches by newsletter/send.ts).
 * Reads published posts straight from `posts`; only the desk writes them.
 */
export const amtsblattPublicPlugin: FastifyPluginAsync<{ deps: AppDeps }> = async (app, { deps }) => {
  const routeDeps = { db: deps.database.db, storage: deps.storage, publicUrl: deps.config.publicUrl };
  pageRoutes(app, routeDeps);
  noticeRoutes(app, routeDeps);
  feedRoutes(app, routeDeps, deps.clock);
  newsletterRoutes(app, deps);
};
