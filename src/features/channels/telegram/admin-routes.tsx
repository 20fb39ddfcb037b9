import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../../http/deps.ts';
import { requireAdmin } from '../../../http/guards.ts';
import { pageContext, sendPage } from '../../../http/page.ts';
import { AppError, invalid, notFound } from '../../../infra/errors.ts';
import { allTeams, teamIdBySlug } from '../accounts/queries.ts';
import {
  createTelegramAccount,
  listTelegramAccounts,
  setTelegramAccountEnabled,
  type TelegramAccountDeps,
  testTelegramAccount,
} from './accounts.ts';
import { type BotFormValues, TelegramBotsPage } from './admin-views.tsx';

const notices: Record<string, string> = {
  verbunden: 'Der Bot ist verbunden. Nachrichten an ihn kommen jetzt in den Posteingang.',
  aktiviert: 'Der Bot ist wieder aktiv.',
  deaktiviert: 'Der Bot ist deaktiviert: Es wird nichts mehr abgerufen oder gesendet.',
};

function idParam(request: FastifyRequest): number {
  const raw = (request.params as { id?: string }).id ?? '';
  if (!/^\d{1,9}$/.test(raw) || Number(raw) < 1) throw notFound();
  return Number(raw);
}

const field = (body: unknown, key: string) => {
  const value = (body as Record<string, unknown> | undefined)?.[key];
  return typeof value === 'string' ? value : '';
};

/** /admin/kanaele/telegram: the same service as `amtsblatt channel add telegram`. */
export function registerTelegramAdminRoutes(app: FastifyInstance, deps: AppDeps): void {
  const db = deps.database.db;
  const service: TelegramAccountDeps = { db, secrets: deps.secrets, clock: deps.clock, log: deps.log.child({ module: 'telegram' }) };
  const guarded = { preHandler: [requireAdmin, app.csrfProtection] };
  const page = async (
    request: FastifyRequest,
    reply: Parameters<typeof sendPage>[0],
    extra: {
      values?: BotFormValues;
      errors?: Record<string, string>;
      test?: { id: number; ok: boolean; text: string };
      status?: number;
    } = {},
  ) => {
    const hint = (request.query as { hinweis?: string } | undefined)?.hinweis;
    return sendPage(
      reply,
      <TelegramBotsPage
        ctx={pageContext(request, reply)}
        bots={await listTelegramAccounts(db)}
        teams={await allTeams(db)}
        values={extra.values}
        errors={extra.errors}
        test={extra.test}
        notice={hint ? notices[hint] : undefined}
      />,
      extra.status,
    );
  };

  app.get('/admin/kanaele/telegram', { preHandler: requireAdmin }, (request, reply) => page(request, reply));

  app.post('/admin/kanaele/telegram', guarded, async (request, reply) => {
    const values: BotFormValues = {
      name: field(request.body, 'name'),
      channel: field(request.body, 'channel'),
      team: field(request.body, 'team'),
      apiRoot: field(request.body, 'apiRoot'),
    };
    try {
      const teamId = values.team ? await teamIdBySlug(db, values.team) : null;
      if (teamId === undefined) throw invalid('Dieses Team gibt es nicht.', { team: 'Dieses Team gibt es nicht.' });
      await createTelegramAccount(service, {
        name: values.name ?? '',
        token: field(request.body, 'token'),
        channel: values.channel || undefined,
        apiRoot: values.apiRoot || undefined,
        teamId,
      });
      return reply.redirect('/admin/kanaele/telegram?hinweis=verbunden', 303);
    } catch (err) {
      if (!(err instanceof AppError) || !['Invalid', 'Conflict', 'Unavailable'].includes(err.code)) throw err;
      const errors = Object.keys(err.fields).length ? err.fields : { token: err.message };
      return page(request, reply, { values, errors, status: err.code === 'Unavailable' ? 502 : err.status });
    }
  });

  app.post('/admin/kanaele/telegram/:id/test', guarded, async (request, reply) => {
    const id = idParam(request);
    return page(request, reply, { test: { id, ...(await testTelegramAccount(service, id)) } });
  });

  app.post('/admin/kanaele/telegram/:id/aktiv', guarded, async (request, reply) => {
    const enabled = field(request.body, 'aktiv') === 'ja';
    await setTelegramAccountEnabled(service, idParam(request), enabled);
    return reply.redirect(`/admin/kanaele/telegram?hinweis=${enabled ? 'aktiviert' : 'deaktiviert'}`, 303);
  });
}
