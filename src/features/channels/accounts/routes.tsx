import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../../http/deps.ts';
import { requireAdmin } from '../../../http/guards.ts';
import { pageContext, sendPage } from '../../../http/page.ts';
import { AppError, notFound, unavailable } from '../../../infra/errors.ts';
import { intakeFigures } from '../email/intake-status.ts';
import type { FetchRoundResult } from '../email/intake-types.ts';
import type { EmailTestResult } from './connection-test.ts';
import { type EmailAccountFields, fieldsFrom } from './email-settings.ts';
import { allTeams, findAccount, listAccounts } from './queries.ts';
import {
  type AccountActor,
  type AccountDeps,
  createEmailAccount,
  removeAccount,
  setAccountEnabled,
  testAccount,
  updateEmailAccount,
} from './service.ts';
import { ChannelsPage, EditChannelPage, type FormValues, noticeFrom } from './views.tsx';

const formFields = [
  'name',
  'from',
  'team',
  'type',
  'signature',
  'imapHost',
  'imapPort',
  'imapSecurity',
  'imapUser',
  'imapPassword',
  'mailbox',
  'moveTo',
  'smtpHost',
  'smtpPort',
  'smtpSecurity',
  'smtpUser',
  'smtpPassword',
  'caCertificate',
  'faxAll',
  'faxSender',
  'faxSubject',
] as const;

/** The posted fields as strings (a repeated key or a missing one becomes empty). */
function postedFields(request: FastifyRequest): FormValues {
  const body = (request.body ?? {}) as Record<string, unknown>;
  return Object.fromEntries(formFields.map((k) => [k, typeof body[k] === 'string' ? body[k] : '']));
}

/** What the form shows again after an error: everything typed, except the passwords. */
const refill = ({ imapPassword: _i, smtpPassword: _s, ...rest }: FormValues): FormValues => rest;

function idParam(request: FastifyRequest): number {
  const raw = (request.params as { id?: string }).id ?? '';
  if (!/^\d{1,9}$/.test(raw) || Number(raw) < 1) throw notFound();
  return Number(raw);
}

const isFormError = (err: unknown): err is AppError => err instanceof AppError && (err.code === 'Invalid' || err.code === 'Conflict');

/** /admin/kanaele: mailboxes of the town, for admins only; the same service as `amtsblatt channel`. */
export function registerAccountRoutes(app: FastifyInstance, deps: AppDeps): void {
  const db = deps.database.db;
  const service: AccountDeps = { db, log: deps.log.child({ module: 'channel-accounts' }), secrets: deps.secrets, clock: deps.clock };
  const guarded = { preHandler: [requireAdmin, app.csrfProtection] };
  const actorOf = (request: FastifyRequest): AccountActor => (request.user ? { userId: request.user.id } : null);
  const load = async (id: number) => {
    const account = await findAccount(db, id);
    if (!account) throw notFound('Dieses Postfach gibt es nicht (mehr).');
    return account;
  };
  const editPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    extra: {
      values?: FormValues;
      errors?: Record<string, string>;
      test?: EmailTestResult;
      fetched?: FetchRoundResult | { refused: string };
      status?: number;
    } = {},
  ) => {
    const account = await load(id);
    const figures = await intakeFigures(db, deps.clock, [id]);
    return sendPage(
      reply,
      <EditChannelPage
        ctx={pageContext(request, reply)}
        account={account}
        teams={await allTeams(db)}
        values={extra.values ?? fieldsFrom(account, account.settings)}
        errors={extra.errors}
        test={extra.test}
        fetched={extra.fetched}
        figures={figures.get(id)}
        notice={noticeFrom(request.query)}
      />,
      extra.status,
    );
  };

  app.get('/admin/kanaele', { preHandler: requireAdmin }, async (request, reply) => {
    const accounts = await listAccounts(db);
    return sendPage(
      reply,
      <ChannelsPage
        ctx={pageContext(request, reply)}
        accounts={accounts}
        figures={
          await intakeFigures(
            db,
            deps.clock,
            accounts.map((a) => a.id),
          )
        }
        teams={await allTeams(db)}
        notice={noticeFrom(request.query)}
      />,
    );
  });

  app.post('/admin/kanaele', guarded, async (request, reply) => {
    const values = postedFields(request);
    try {
      const account = await createEmailAccount(service, actorOf(request), values as EmailAccountFields);
      return reply.redirect(`/admin/kanaele/${account.id}?hinweis=angelegt`, 303);
    } catch (err) {
      if (!isFormError(err)) throw err;
      const errors = Object.keys(err.fields).length ? err.fields : { name: err.message };
      return sendPage(
        reply,
        <ChannelsPage
          ctx={pageContext(request, reply)}
          accounts={await listAccounts(db)}
          teams={await allTeams(db)}
          values={refill(values)}
          errors={errors}
        />,
        err.status,
      );
    }
  });

  app.get('/admin/kanaele/:id', { preHandler: requireAdmin }, async (request, reply) => editPage(request, reply, idParam(request)));

  app.post('/admin/kanaele/:id', guarded, async (request, reply) => {
    const id = idParam(request);
    const values = postedFields(request);
    try {
      await updateEmailAccount(service, actorOf(request), id, values as EmailAccountFields);
      return reply.redirect(`/admin/kanaele/${id}?hinweis=gespeichert`, 303);
    } catch (err) {
      if (!isFormError(err)) throw err;
      const errors = Object.keys(err.fields).length ? err.fields : { name: err.message };
      return editPage(request, reply, id, { values: refill(values), errors, status: err.status });
    }
  });

  app.post('/admin/kanaele/:id/test', guarded, async (request, reply) => {
    const id = idParam(request);
    return editPage(request, reply, id, { test: await testAccount(service, id) });
  });

  app.post('/admin/kanaele/:id/abrufen', guarded, async (request, reply) => {
    const id = idParam(request);
    await load(id);
    if (!deps.mailIntake) throw unavailable('Der Abruf von Mails ist auf diesem Server ausgeschaltet (MAIL_INTAKE=off).');
    try {
      return await editPage(request, reply, id, { fetched: await deps.mailIntake.fetchNow(id) });
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'Conflict')) throw err;
      return editPage(request, reply, id, { fetched: { refused: err.message }, status: err.status });
    }
  });

  app.post('/admin/kanaele/:id/aktiv', guarded, async (request, reply) => {
    const id = idParam(request);
    const enabled = (request.body as { aktiv?: unknown } | undefined)?.aktiv === 'ja';
    await setAccountEnabled(service, actorOf(request), id, enabled);
    return reply.redirect(`/admin/kanaele/${id}?hinweis=${enabled ? 'aktiviert' : 'deaktiviert'}`, 303);
  });

  app.post('/admin/kanaele/:id/entfernen', guarded, async (request, reply) => {
    await removeAccount(service, actorOf(request), idParam(request));
    return reply.redirect('/admin/kanaele?hinweis=entfernt', 303);
  });
}
