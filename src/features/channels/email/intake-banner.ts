import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Db } from '../../../infra/db.ts';
import { accountsNeedingWarning } from './intake-status.ts';

/**
 * A warning on every admin page while an e-mail account keeps failing (≥ 3 rounds in a row). It
 * asks the database on each admin page view (one indexed-size query over a handful of accounts),
 * so it disappears by itself once a round succeeds, in every process.
 */
export const intakeBannerPlugin = fp<{ db: Db }>(async (app: FastifyInstance, { db }) => {
  app.decorateRequest('pageBanner', null);
  app.addHook('preHandler', async (request) => {
    if (request.user?.role !== 'admin' || request.method !== 'GET' || !/^\/admin(\/|$|\?)/.test(request.url)) return;
    const failing = await accountsNeedingWarning(db);
    const first = failing[0];
    if (!first) return;
    request.pageBanner = {
      title:
        failing.length === 1
          ? `Das Postfach „${first.name}“ lässt sich seit ${first.consecutiveFailures} Versuchen nicht abrufen.`
          : `${failing.length} Postfächer lassen sich seit mehreren Versuchen nicht abrufen.`,
      href: failing.length === 1 ? `/admin/kanaele/${first.id}` : '/admin/kanaele',
      linkText: failing.length === 1 ? 'Fehler ansehen und beheben' : 'Zu den Kanälen',
    };
  });
});
