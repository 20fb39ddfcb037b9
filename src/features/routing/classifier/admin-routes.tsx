import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../../http/deps.ts';
import { requireAdmin } from '../../../http/guards.ts';
import { pageContext, sendPage } from '../../../http/page.ts';
import { requestRetrain } from './jobs.ts';
import { listModels, trainingSupply } from './queries.ts';
import { MIN_TRAINING_CASES, whyNotTrainable } from './service.ts';
import { ClassifierAdminPage } from './views/admin.tsx';

/** /admin/klassifikator: what the active model can do, its history, and learning again on demand. */
export function registerClassifierAdminRoutes(app: FastifyInstance, deps: AppDeps): void {
  const db = deps.database.db;

  app.get('/admin/klassifikator', { preHandler: requireAdmin }, async (request, reply) => {
    const [models, supply] = [await listModels(db, undefined, 10), await trainingSupply(db)];
    const hint = (request.query as { hinweis?: unknown }).hinweis;
    const notice = hint === 'lernt' || hint === 'zuwenig' ? hint : undefined;
    return sendPage(
      reply,
      <ClassifierAdminPage
        ctx={pageContext(request, reply)}
        models={models}
        trainable={supply.cases}
        enough={whyNotTrainable(supply.cases, supply.categories) === null}
        minCases={MIN_TRAINING_CASES}
        minConfidence={deps.config.classifierMinConfidence}
        notice={notice}
      />,
    );
  });

  app.post('/admin/klassifikator/lernen', { preHandler: [requireAdmin, app.csrfProtection] }, async (request, reply) => {
    // The job would skip anyway; say so now instead of promising a model that will not come.
    const supply = await trainingSupply(db);
    if (whyNotTrainable(supply.cases, supply.categories)) return reply.redirect('/admin/klassifikator?hinweis=zuwenig', 303);
    await requestRetrain(deps.queue);
    request.log.info({ userId: request.user?.id }, 'classifier retrain requested');
    return reply.redirect('/admin/klassifikator?hinweis=lernt', 303);
  });
}
