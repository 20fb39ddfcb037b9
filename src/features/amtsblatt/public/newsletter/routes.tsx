import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../../../../http/deps.ts';
import { pageContext, sendPage } from '../../../../http/page.ts';
import { invalid, notFound } from '../../../../infra/errors.ts';
import { LINK_TOKEN_PATTERN as TOKEN_PATTERN } from '../../../../infra/opt-in.ts';
import { postKinds } from '../../../../infra/schema/index.ts';
import { emailField } from '../../../../infra/text-input.ts';
import { NEWSLETTER_PATH } from '../links.ts';
import { tagsInUse } from '../queries.ts';
import { confirmPath, unsubscribePath } from './links.ts';
import { confirm, type NewsletterDeps, subscribe, subscriptionOf, unsubscribe } from './service.ts';
import { choiceLabel } from './texts.ts';
import {
  CheckYourMailPage,
  ConfirmedPage,
  ConfirmPage,
  EndedPage,
  SignupPage,
  type SignupValues,
  UnsubscribedPage,
  UnsubscribePage,
} from './views.tsx';

const SENT = '/amtsblatt/newsletter/gesendet';
const BODY_LIMIT = 8 * 1024;
type TokenParams = { Params: { token: string } };

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' && v ? [v] : []);
const signupSchema = z.object({
  email: emailField,
  art: z.array(z.enum(postKinds, { message: 'Diese Art von Beiträgen gibt es nicht.' })).max(postKinds.length),
  schlagwort: z.array(z.string().max(60)).max(50, 'Bitte wählen Sie höchstens 50 Schlagwörter.'),
});

/** The link is the secret: no Referer to other sites, no search engine. */
const privatePage = (reply: FastifyReply) => reply.header('referrer-policy', 'no-referrer').header('x-robots-tag', 'noindex, nofollow');
const unknownLink = () =>
  notFound('Zu diesem Link finden wir keinen Newsletter. Vielleicht ist er unvollständig, oder die Anmeldung wurde nie bestätigt.');

export function newsletterRoutes(app: FastifyInstance, appDeps: AppDeps): void {
  const deps: NewsletterDeps = { db: appDeps.database.db, clock: appDeps.clock, config: appDeps.config };
  // Per client address; the per-address limit sits in the service (it answers the same either way).
  const limits = { rateLimit: { max: 20, timeWindow: '10 minutes' } };
  const tagChoices = async () => (await tagsInUse(deps.db)).map((t) => t.tag);

  app.get(NEWSLETTER_PATH, async (request, reply) =>
    sendPage(
      reply,
      <SignupPage ctx={pageContext(request, reply)} values={{ email: '', kinds: [], tags: [] }} errors={{}} tags={await tagChoices()} />,
    ),
  );

  app.post(NEWSLETTER_PATH, { bodyLimit: BODY_LIMIT, config: limits, preHandler: app.csrfProtection }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const values: SignupValues = {
      email: typeof body.email === 'string' ? body.email : '',
      kinds: list(body.art),
      tags: list(body.schlagwort),
    };
    const parsed = signupSchema.safeParse({ email: values.email, art: values.kinds, schlagwort: values.tags });
    if (!parsed.success) {
      const errors: Record<string, string> = {};
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? 'email');
        errors[field] ??= issue.message;
      }
      return sendPage(
        reply,
        <SignupPage ctx={pageContext(request, reply)} values={values} errors={errors} tags={await tagChoices()} />,
        400,
      );
    }
    await subscribe(deps, parsed.data.email, { kinds: parsed.data.art, tags: parsed.data.schlagwort });
    return reply.redirect(SENT, 303);
  });

  app.get(SENT, async (request, reply) => sendPage(reply, <CheckYourMailPage ctx={pageContext(request, reply)} />));

  const subscriptionAt = async (token: string) => {
    const sub = TOKEN_PATTERN.test(token) ? await subscriptionOf(deps, token) : null;
    if (!sub) throw unknownLink();
    return sub;
  };

  // GET never changes anything: mail scanners open every link of a mail before its reader does.
  app.get<TokenParams>('/amtsblatt/newsletter/bestaetigen/:token', async (request, reply) => {
    const sub = await subscriptionAt(request.params.token);
    const ctx = pageContext(request, reply);
    privatePage(reply);
    if (sub.unsubscribedAt) return sendPage(reply, <EndedPage ctx={ctx} />, 410);
    if (sub.confirmedAt) return sendPage(reply, <ConfirmedPage ctx={ctx} unsubscribePath={unsubscribePath(sub.token)} />);
    return sendPage(reply, <ConfirmPage ctx={ctx} action={confirmPath(sub.token)} choice={choiceLabel(sub.kinds, sub.tags)} />);
  });

  app.post<TokenParams>(
    '/amtsblatt/newsletter/bestaetigen/:token',
    { bodyLimit: BODY_LIMIT, config: limits, preHandler: app.csrfProtection },
    async (request, reply) => {
      const { token } = request.params;
      const outcome = TOKEN_PATTERN.test(token) ? await confirm(deps, token) : 'unknown';
      if (outcome === 'unknown') throw unknownLink();
      const ctx = pageContext(request, reply);
      privatePage(reply);
      if (outcome === 'ended') return sendPage(reply, <EndedPage ctx={ctx} />, 410);
      request.log.info('newsletter subscription confirmed');
      return sendPage(reply, <ConfirmedPage ctx={ctx} unsubscribePath={unsubscribePath(token)} />);
    },
  );

  app.get<TokenParams>('/amtsblatt/newsletter/abmelden/:token', async (request, reply) => {
    const sub = await subscriptionAt(request.params.token);
    privatePage(reply);
    return sendPage(
      reply,
      <UnsubscribePage ctx={pageContext(request, reply)} action={unsubscribePath(sub.token)} ended={sub.unsubscribedAt !== null} />,
    );
  });

  /**
   * RFC 8058 one-click: the mail program POSTs `List-Unsubscribe=One-Click` without cookies, so
   * neither CSRF token nor origin is asked for: the unguessable token in the URL is the authority
   * (as for the follow mails). Our own button sends the same body.
   */
  app.post<TokenParams>(
    '/amtsblatt/newsletter/abmelden/:token',
    { bodyLimit: BODY_LIMIT, config: { ...limits, cookieless: true } },
    async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      if (body['List-Unsubscribe'] !== 'One-Click')
        throw invalid('Bitte nutzen Sie den Knopf „Newsletter abbestellen“ auf der Seite dieses Links.');
      const { token } = request.params;
      if (!TOKEN_PATTERN.test(token) || !(await unsubscribe(deps, token))) throw unknownLink();
      request.log.info('newsletter subscription ended');
      privatePage(reply);
      return sendPage(reply, <UnsubscribedPage ctx={pageContext(request, reply)} />);
    },
  );
}
