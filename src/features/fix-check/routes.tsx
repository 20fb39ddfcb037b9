import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../http/deps.ts';
import { pageContext, sendPage } from '../../http/page.ts';
import { fieldErrors } from '../../infra/errors.ts';
import { trackingUrl } from '../cases/links.ts';
import { answerSchema, preselected } from './forms.ts';
import { answerFixCheck, checkForPage, isExpired, unknownLink } from './service.ts';
import { AlreadyAnsweredPage, AnsweredPage, ExpiredPage, QuestionPage } from './views/pages.tsx';

/** Tokens are base64url; anything else cannot match and need not reach the database. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;
type TokenParams = { Params: { token: string } };

/** The URL is the secret: no Referer to other sites, no search engine, no shared cache. */
const privatePage = (reply: FastifyReply) =>
  reply.header('referrer-policy', 'no-referrer').header('x-robots-tag', 'noindex, nofollow').header('cache-control', 'no-store');

/**
 * /behoben/:token: the page behind the two links of the question. GET only shows (mail scanners
 * open links before people do); the buttons post, with the CSRF token every public form carries.
 */
export function fixCheckRoutes(app: FastifyInstance, appDeps: AppDeps): void {
  const deps = { db: appDeps.database.db, clock: appDeps.clock, config: appDeps.config };
  const tokenOf = (request: FastifyRequest<TokenParams>) => {
    if (!TOKEN_PATTERN.test(request.params.token)) throw unknownLink();
    return request.params.token;
  };
  const links = (caseToken: string, token: string) => ({
    trackingUrl: trackingUrl(appDeps.config.publicUrl, caseToken),
    action: `/behoben/${token}`,
  });

  app.get<TokenParams>('/behoben/:token', async (request, reply) => {
    const token = tokenOf(request);
    const check = await checkForPage(deps.db, token);
    const ctx = pageContext(request, reply);
    const { trackingUrl: tracking, action } = links(check.trackingToken, token);
    privatePage(reply);
    if (check.answer) {
      return sendPage(reply, <AlreadyAnsweredPage ctx={ctx} answer={check.answer} answeredAt={check.answeredAt} trackingUrl={tracking} />);
    }
    if (isExpired(check, deps.clock.now())) return sendPage(reply, <ExpiredPage ctx={ctx} trackingUrl={tracking} />, 410);
    return sendPage(
      reply,
      <QuestionPage ctx={ctx} number={check.number} action={action} trackingUrl={tracking} preselected={preselected(request.query)} />,
    );
  });

  app.post<TokenParams>(
    '/behoben/:token',
    { preHandler: app.csrfProtection, config: { rateLimit: { max: 30, timeWindow: '10 minutes' } } },
    async (request, reply) => {
      const token = tokenOf(request);
      const check = await checkForPage(deps.db, token);
      const { trackingUrl: tracking, action } = links(check.trackingToken, token);
      privatePage(reply);
      const body = (request.body ?? {}) as Record<string, unknown>;
      const parsed = answerSchema.safeParse(body);
      if (!parsed.success) {
        const comment = typeof body.comment === 'string' ? body.comment : '';
        return sendPage(
          reply,
          <QuestionPage
            ctx={pageContext(request, reply)}
            number={check.number}
            action={action}
            trackingUrl={tracking}
            preselected={null}
            values={{ comment }}
            errors={fieldErrors(parsed.error)}
          />,
          400,
        );
      }
      const outcome = await answerFixCheck(deps, token, parsed.data);
      const ctx = pageContext(request, reply);
      if (outcome.kind === 'expired') return sendPage(reply, <ExpiredPage ctx={ctx} trackingUrl={tracking} />, 410);
      if (outcome.kind === 'already') {
        return sendPage(
          reply,
          <AlreadyAnsweredPage ctx={ctx} answer={outcome.answer} answeredAt={outcome.answeredAt} trackingUrl={tracking} />,
        );
      }
      request.log.info({ case: check.number, answer: outcome.answer }, 'fix check answered');
      return sendPage(reply, <AnsweredPage ctx={ctx} answer={outcome.answer} reopened={outcome.reopened} trackingUrl={tracking} />);
    },
  );
}
