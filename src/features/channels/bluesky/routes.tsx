import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../../http/deps.ts';
import { requireAdmin } from '../../../http/guards.ts';
import { pageContext, sendPage } from '../../../http/page.ts';
import { AppError, notFound } from '../../../infra/errors.ts';
import { noticeKeyFrom } from '../../../ui/notices.ts';
import { allTeams } from '../accounts/queries.ts';
import type { AccountDeps } from '../accounts/service.ts';
import { createBlueskyAccount, listBlueskyAccounts, testBlueskyAccount } from './accounts.ts';
import type { BlueskyAccountFields } from './settings.ts';
import { type BlueskyFormValues, BlueskyPage, blueskyNotices } from './views.tsx';

const fields = ['name', 'handle', 'service', 'appPassword', 'team', 'type'] as const;

/** /admin/kanaele/bluesky: connect the town's Bluesky account and test it; admins only. */
export function registerBlueskyRoutes(app: FastifyInstance, deps: AppDeps): void {
  const db = deps.database.db;
  const service: AccountDeps = { db, log: deps.log.child({ module: 'channel-accounts' }), secrets: deps.secrets, clock: deps.clock };
  const guarded = { preHandler: [requireAdmin, app.csrfProtection] };
  const page = async (request: FastifyRequest, extra: Omit<Parameters<typeof BlueskyPage>[0], 'ctx' | 'accounts' | 'teams'> = {}) => ({
    accounts: await listBlueskyAccounts(service),
    teams: await allTeams(db),
    ...extra,
    notice: extra.notice ?? noticeKeyFrom(request.query, blueskyNotices),
  });

  app.get('/admin/kanaele/bluesky', { preHandler: requireAdmin }, async (request, reply) =>
    sendPage(reply, <BlueskyPage ctx={pageContext(request, reply)} {...(await page(request))} />),
  );

  app.post('/admin/kanaele/bluesky', guarded, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const values: BlueskyFormValues = Object.fromEntries(fields.map((k) => [k, typeof body[k] === 'string' ? body[k] : '']));
    try {
      await createBlueskyAccount(service, request.user ? { userId: request.user.id } : null, values as BlueskyAccountFields);
      return reply.redirect('/admin/kanaele/bluesky?hinweis=angelegt', 303);
    } catch (err) {
      if (!(err instanceof AppError && (err.code === 'Invalid' || err.code === 'Conflict'))) throw err;
      const errors = Object.keys(err.fields).length ? err.fields : { name: err.message };
      // The app password is never sent back into the form.
      const { appPassword: _, ...refill } = values;
      return sendPage(
        reply,
        <BlueskyPage ctx={pageContext(request, reply)} {...(await page(request, { values: refill, errors }))} />,
        err.status,
      );
    }
  });

  app.post('/admin/kanaele/bluesky/:id/test', guarded, async (request, reply) => {
    const raw = (request.params as { id?: string }).id ?? '';
    if (!/^\d{1,9}$/.test(raw)) throw notFound();
    const id = Number(raw);
    const result = await testBlueskyAccount(service, id);
    return sendPage(
      reply,
      <BlueskyPage ctx={pageContext(request, reply)} {...(await page(request, { test: { accountId: id, result } }))} />,
      result.ok ? 200 : 502,
    );
  });
}
