import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../http/deps.ts';
import { requireAdmin } from '../../http/guards.ts';
import { pageContext, sendPage } from '../../http/page.ts';
import { AppError } from '../../infra/errors.ts';
import { formBody, idParam, str } from '../admin/http.ts';
import { createApiKey, type KeyDeps, listApiKeys, revokeApiKey } from './api-keys.ts';
import { categoryExtras, extrasFormOf, formOfStored, saveCategoryExtras, servicesOverview } from './service-extras.ts';
import { ApiKeysPage, keyNoticeFrom } from './views/api-keys.tsx';
import { ServiceExtrasPage } from './views/service-extras.tsx';

/** /admin/schnittstellen: the Open311 keys; a new key is shown once, on the answer to its creation. */
export function registerApiKeyRoutes(app: FastifyInstance, deps: AppDeps): void {
  const service: KeyDeps = { db: deps.database.db, log: deps.log.child({ module: 'open311' }) };
  const publicUrl = deps.config.publicUrl;

  app.get('/admin/schnittstellen', { preHandler: requireAdmin }, async (request, reply) =>
    sendPage(
      reply,
      <ApiKeysPage
        ctx={pageContext(request, reply)}
        keys={await listApiKeys(service.db)}
        publicUrl={publicUrl}
        notice={keyNoticeFrom(request.query)}
        services={await servicesOverview(service.db)}
      />,
    ),
  );

  app.post('/admin/schnittstellen', { preHandler: [requireAdmin, app.csrfProtection] }, async (request, reply) => {
    const body = formBody(request);
    const values = { name: str(body.name), requestsPerMinute: str(body.requestsPerMinute) };
    try {
      const { row, key } = await createApiKey(service, request.user?.id ?? null, {
        name: values.name,
        ...(values.requestsPerMinute.trim() ? { requestsPerMinute: values.requestsPerMinute.trim() } : {}),
      });
      // The key is in this page only: no cache may keep it, and a reload does not show it again.
      reply.header('cache-control', 'no-store');
      return sendPage(
        reply,
        <ApiKeysPage
          ctx={pageContext(request, reply)}
          keys={await listApiKeys(service.db)}
          publicUrl={publicUrl}
          created={{ name: row.name, key }}
        />,
        201,
      );
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'Invalid') throw err;
      return sendPage(
        reply,
        <ApiKeysPage
          ctx={pageContext(request, reply)}
          keys={await listApiKeys(service.db)}
          publicUrl={publicUrl}
          values={values}
          errors={err.fields}
        />,
        400,
      );
    }
  });

  app.post('/admin/schnittstellen/:id/widerrufen', { preHandler: [requireAdmin, app.csrfProtection] }, async (request, reply) => {
    await revokeApiKey(service, request.user?.id ?? null, idParam(request), deps.clock.now());
    return reply.redirect('/admin/schnittstellen?hinweis=widerrufen', 303);
  });

  app.get('/admin/schnittstellen/kategorien/:id', { preHandler: requireAdmin }, async (request, reply) => {
    const category = await categoryExtras(service.db, idParam(request));
    return sendPage(
      reply,
      <ServiceExtrasPage
        ctx={pageContext(request, reply)}
        category={category}
        form={formOfStored(category.keywords, category.attributes)}
        saved={(request.query as Record<string, unknown>).hinweis === 'gespeichert'}
      />,
    );
  });

  app.post('/admin/schnittstellen/kategorien/:id', { preHandler: [requireAdmin, app.csrfProtection] }, async (request, reply) => {
    const id = idParam(request);
    const form = extrasFormOf(formBody(request));
    try {
      await saveCategoryExtras(service, request.user?.id ?? null, id, form);
      return reply.redirect(`/admin/schnittstellen/kategorien/${id}?hinweis=gespeichert`, 303);
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'Invalid') throw err;
      const category = await categoryExtras(service.db, id);
      return sendPage(
        reply,
        <ServiceExtrasPage ctx={pageContext(request, reply)} category={category} form={form} errors={err.fields} />,
        400,
      );
    }
  });
}
