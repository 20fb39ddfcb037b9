import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../../http/deps.ts';
import { requireAdmin } from '../../../http/guards.ts';
import { pageContext, sendPage } from '../../../http/page.ts';
import { AppError, notFound } from '../../../infra/errors.ts';
import type { AccountDeps } from '../accounts/service.ts';
import { createMastodonAccount, findMastodonAccount, listMastodonAccounts, testMastodonAccount } from './accounts.ts';
import { type MastodonFormValues, MastodonPage } from './views.tsx';

const fields = ['name', 'instanceUrl', 'handle', 'accessToken', 'team'] as const;

/** /admin/kanaele/mastodon: connect the town's account, see its status, test the connection. Admins only. */
export function registerMastodonRoutes(app: FastifyInstance, deps: AppDeps): void {
  const db = deps.database.db;
  const service: AccountDeps = { db, log: deps.log.child({ module: 'channel-accounts' }), secrets: deps.secrets, clock: deps.clock };
  const guarded = { preHandler: [requireAdmin, app.csrfProtection] };
  const posted = (request: FastifyRequest) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    return Object.fromEntries(fields.map((k) => [k, typeof body[k] === 'string' ? body[k] : ''])) as Record<
      (typeof fields)[number],
      string
    >;
  };

  app.get('/admin/kanaele/mastodon', { preHandler: requireAdmin }, async (request, reply) =>
    sendPage(
      reply,
      <MastodonPage
        ctx={pageContext(request, reply)}
        accounts={await listMastodonAccounts(db)}
        created={(request.query as { hinweis?: unknown }).hinweis === 'verbunden'}
      />,
    ),
  );

  app.post('/admin/kanaele/mastodon', guarded, async (request, reply) => {
    const values = posted(request);
    try {
      await createMastodonAccount(service, request.user ? { userId: request.user.id } : null, values);
      return reply.redirect('/admin/kanaele/mastodon?hinweis=verbunden', 303);
    } catch (err) {
      if (!(err instanceof AppError && (err.code === 'Invalid' || err.code === 'Conflict'))) throw err;
      const { accessToken: _never, ...refill } = values;
      return sendPage(
        reply,
        <MastodonPage
          ctx={pageContext(request, reply)}
          accounts={await listMastodonAccounts(db)}
          values={refill as MastodonFormValues}
          errors={Object.keys(err.fields).length ? err.fields : { name: err.message }}
        />,
        err.status,
      );
    }
  });

  app.post('/admin/kanaele/mastodon/:id/test', guarded, async (request, reply) => {
    const raw = (request.params as { id?: string }).id ?? '';
    const account = /^\d{1,9}$/.test(raw) ? await findMastodonAccount(db, Number(raw)) : undefined;
    if (!account) throw notFound('Dieses Mastodon-Konto gibt es nicht (mehr).');
    const result = await testMastodonAccount(service, account.id);
    return sendPage(
      reply,
      <MastodonPage ctx={pageContext(request, reply)} accounts={await listMastodonAccounts(db)} test={{ name: account.name, result }} />,
    );
  });
}
