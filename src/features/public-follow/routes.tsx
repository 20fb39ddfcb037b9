import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppDeps } from '../../http/deps.ts';
import { pageContext, sendPage } from '../../http/page.ts';
import { invalid, notFound } from '../../infra/errors.ts';
import { LINK_TOKEN_PATTERN as TOKEN_PATTERN } from '../../infra/opt-in.ts';
import { referenceData } from '../cases/reference-data.ts';
import { publicCaseByNumber } from '../transparency/projection/read.ts';
import { areaFormValues, caseFollowSchema, FOLLOW_BODY_LIMIT, parseAreaForm } from './forms.ts';
import { confirmPath, unsubscribePath } from './links.ts';
import { confirm, type FollowDeps, noSuchCase, subscribe, subscriptionOf, topicOf, unsubscribe } from './service.ts';
import { AreaAlertPage } from './views/area.tsx';
import {
  CaseFollowPage,
  CheckYourMailPage,
  ConfirmedPage,
  ConfirmPage,
  EndedPage,
  UnsubscribedPage,
  UnsubscribePage,
} from './views/pages.tsx';

/** Case numbers look like 2026-00042; anything else cannot be one and need not reach the database. */
const NUMBER_PATTERN = /^\d{4}-\d{5,9}$/;
const SENT = '/benachrichtigungen/gesendet';

type NumberParams = { Params: { number: string } };
type TokenParams = { Params: { token: string } };

/** The link is the secret: no Referer to other sites, no search engine. */
const privatePage = (reply: FastifyReply) => reply.header('referrer-policy', 'no-referrer').header('x-robots-tag', 'noindex, nofollow');

const unknownLink = () =>
  notFound('Zu diesem Link finden wir keine Benachrichtigung. Vielleicht ist er unvollständig, oder die Anmeldung wurde nie bestätigt.');

export function followRoutes(app: FastifyInstance, appDeps: AppDeps): void {
  const deps: FollowDeps = { db: appDeps.database.db, clock: appDeps.clock, config: appDeps.config };
  const db = deps.db;
  // Per client address; the per-address limit sits in the service (it answers the same either way).
  const limits = { rateLimit: { max: 20, timeWindow: '10 minutes' } };
  const form = { bodyLimit: FOLLOW_BODY_LIMIT, config: limits };

  const publicNumber = async (number: string) => {
    const item = NUMBER_PATTERN.test(number) ? await publicCaseByNumber(db, number) : null;
    if (!item) throw noSuchCase();
    return item;
  };

  app.get<NumberParams>('/meldungen/:number/benachrichtigungen', async (request, reply) => {
    const item = await publicNumber(request.params.number);
    return sendPage(reply, <CaseFollowPage ctx={pageContext(request, reply)} number={item.number} email="" />);
  });

  app.post<NumberParams>('/meldungen/:number/benachrichtigungen', { ...form, preHandler: app.csrfProtection }, async (request, reply) => {
    const item = await publicNumber(request.params.number);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const parsed = caseFollowSchema.safeParse(body);
    if (!parsed.success) {
      const error = parsed.error.issues[0]?.message ?? 'Bitte geben Sie eine gültige E-Mail-Adresse ein.';
      const email = typeof body.email === 'string' ? body.email : '';
      return sendPage(reply, <CaseFollowPage ctx={pageContext(request, reply)} number={item.number} email={email} error={error} />, 400);
    }
    await subscribe(deps, parsed.data.email, { kind: 'case', number: item.number });
    return reply.redirect(SENT, 303);
  });

  const areaChoices = async () => {
    const ref = await referenceData(db);
    const categories = [...ref.categoriesById.values()]
      .filter((c) => c.active)
      .sort((a, b) => a.groupName.localeCompare(b.groupName, 'de') || a.name.localeCompare(b.name, 'de'))
      .map((c) => ({ value: c.slug, label: c.name, group: c.groupName }));
    const districts = [...ref.districts]
      .sort((a, b) => a.name.localeCompare(b.name, 'de'))
      .map((d) => ({ value: String(d.id), label: d.name }));
    return { ref, categories, districts };
  };

  app.get('/meldungen/benachrichtigungen', async (request, reply) => {
    const { categories, districts } = await areaChoices();
    return sendPage(
      reply,
      <AreaAlertPage
        ctx={pageContext(request, reply)}
        values={areaFormValues({})}
        errors={{}}
        categories={categories}
        districts={districts}
      />,
    );
  });

  app.post('/meldungen/benachrichtigungen', { ...form, preHandler: app.csrfProtection }, async (request, reply) => {
    const { ref, categories, districts } = await areaChoices();
    const parsed = parseAreaForm((request.body ?? {}) as Record<string, unknown>, ref, appDeps.config.map);
    if (!parsed.ok) {
      const page = (
        <AreaAlertPage
          ctx={pageContext(request, reply)}
          values={parsed.values}
          errors={parsed.errors}
          categories={categories}
          districts={districts}
        />
      );
      return sendPage(reply, page, 400);
    }
    await subscribe(deps, parsed.email, { kind: 'area', area: parsed.area });
    return reply.redirect(SENT, 303);
  });

  app.get(SENT, async (request, reply) => sendPage(reply, <CheckYourMailPage ctx={pageContext(request, reply)} />));

  const subscriptionAt = async (token: string) => {
    const sub = TOKEN_PATTERN.test(token) ? await subscriptionOf(deps, token) : null;
    if (!sub) throw unknownLink();
    return sub;
  };

  // GET never changes anything: mail scanners open every link of a mail before its reader does.
  app.get<TokenParams>('/benachrichtigungen/bestaetigen/:token', async (request, reply) => {
    const sub = await subscriptionAt(request.params.token);
    const ctx = pageContext(request, reply);
    privatePage(reply);
    if (sub.unsubscribedAt) return sendPage(reply, <EndedPage ctx={ctx} />, 410);
    const topic = await topicOf(db, sub);
    if (sub.confirmedAt) return sendPage(reply, <ConfirmedPage ctx={ctx} topic={topic} unsubscribePath={unsubscribePath(sub.token)} />);
    return sendPage(reply, <ConfirmPage ctx={ctx} action={confirmPath(sub.token)} topic={topic} />);
  });

  app.post<TokenParams>(
    '/benachrichtigungen/bestaetigen/:token',
    { bodyLimit: FOLLOW_BODY_LIMIT, config: limits, preHandler: app.csrfProtection },
    async (request, reply) => {
      const { token } = request.params;
      const outcome = TOKEN_PATTERN.test(token) ? await confirm(deps, token) : 'unknown';
      if (outcome === 'unknown') throw unknownLink();
      const ctx = pageContext(request, reply);
      privatePage(reply);
      if (outcome === 'ended') return sendPage(reply, <EndedPage ctx={ctx} />, 410);
      const sub = await subscriptionAt(token);
      request.log.info({ subscription: sub.id, kind: sub.kind }, 'follow subscription confirmed');
      return sendPage(reply, <ConfirmedPage ctx={ctx} topic={await topicOf(db, sub)} unsubscribePath={unsubscribePath(token)} />);
    },
  );

  app.get<TokenParams>('/benachrichtigungen/abmelden/:token', async (request, reply) => {
    const sub = await subscriptionAt(request.params.token);
    const ctx = pageContext(request, reply);
    privatePage(reply);
    const page = (
      <UnsubscribePage ctx={ctx} action={unsubscribePath(sub.token)} topic={await topicOf(db, sub)} ended={sub.unsubscribedAt !== null} />
    );
    return sendPage(reply, page);
  });

  /**
   * RFC 8058 one-click: the mail program (often its provider's server) POSTs
   * `List-Unsubscribe=One-Click` without cookies, so neither CSRF token nor origin is asked for:
   * the unguessable token in the URL is the whole authority, and a foreign page that posts here
   * gains nothing it could not do with the token itself. Our own button sends the same body.
   */
  app.post<TokenParams>(
    '/benachrichtigungen/abmelden/:token',
    { bodyLimit: FOLLOW_BODY_LIMIT, config: { ...limits, cookieless: true } },
    async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      if (body['List-Unsubscribe'] !== 'One-Click') throw invalid('Bitte nutzen Sie den Knopf „Abmelden“ auf der Seite dieses Links.');
      const { token } = request.params;
      if (!TOKEN_PATTERN.test(token) || !(await unsubscribe(deps, token))) throw unknownLink();
      request.log.info('follow subscription ended');
      privatePage(reply);
      return sendPage(reply, <UnsubscribedPage ctx={pageContext(request, reply)} />);
    },
  );
}
