import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../../http/deps.ts';
import { requireAdmin } from '../../../http/guards.ts';
import { pageContext, sendPage } from '../../../http/page.ts';
import { fieldErrors, notFound } from '../../../infra/errors.ts';
import { categorySettingsList, categorySettingsSchema, saveCategorySettings } from './category-settings.ts';
import { CategoriesPage } from './views/categories.tsx';

/** /admin/kategorien: the publication policy, delay and house-number masking of each category. */
export function registerCategoryRoutes(app: FastifyInstance, deps: AppDeps): void {
  const db = deps.database.db;
  const log = deps.log.child({ module: 'admin' });

  app.get('/admin/kategorien', { preHandler: requireAdmin }, async (request, reply) => {
    const saved = (request.query as { hinweis?: unknown } | undefined)?.hinweis === 'gespeichert';
    return sendPage(reply, <CategoriesPage ctx={pageContext(request, reply)} rows={await categorySettingsList(db)} saved={saved} />);
  });

  app.post<{ Params: { id: string } }>(
    '/admin/kategorien/:id',
    { preHandler: [requireAdmin, app.csrfProtection] },
    async (request, reply) => {
      const id = /^\d{1,9}$/.test(request.params.id) ? Number(request.params.id) : 0;
      if (id < 1) throw notFound('Diese Kategorie gibt es nicht.');
      const body = (request.body ?? {}) as Record<string, unknown>;
      const parsed = categorySettingsSchema.safeParse(body);
      if (!parsed.success) {
        const values = Object.fromEntries(Object.entries(body).filter((e): e is [string, string] => typeof e[1] === 'string'));
        const rows = await categorySettingsList(db);
        if (!rows.some((r) => r.id === id)) throw notFound('Diese Kategorie gibt es nicht.');
        return sendPage(
          reply,
          <CategoriesPage
            ctx={pageContext(request, reply)}
            rows={rows}
            form={{ categoryId: id, values, errors: fieldErrors(parsed.error) }}
          />,
          400,
        );
      }
      await saveCategorySettings({ db, log }, request.user?.id ?? 0, id, parsed.data);
      return reply.redirect(`/admin/kategorien?hinweis=gespeichert#cat-${id}-title`, 303);
    },
  );
}
