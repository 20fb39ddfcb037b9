import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../../http/deps.ts';
import { requireStaff } from '../../http/guards.ts';
import { pageContext, sendPage } from '../../http/page.ts';
import { AppError, invalid, notFound } from '../../infra/errors.ts';
import { CASE_NUMBER, visibleCase } from '../cases/case-view.ts';
import { formValues, reportFormSchema } from '../intake/form.ts';
import { describeHistory } from '../transparency/history.ts';
import { finalCase, publicHistory, publicNames } from '../transparency/queries.ts';
import { duplicatesDeps } from './deps.ts';
import { followCase, unfollow } from './follow-service.ts';
import { mergeCases } from './merge-service.ts';
import { followUrl } from './notify.ts';
import { followerByToken } from './queries.ts';
import { FollowerPage, UnfollowedPage } from './views/follower.tsx';
import { DuplicateOfferPage } from './views/offer.tsx';
import { MergeFailedPage } from './views/staff-panel.tsx';

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;
type TokenParams = { Params: { token: string } };
type NumberParams = { Params: { number: string } };

const mergeSchema = z.object({
  version: z.coerce.number({ message: 'Die Seite ist unvollständig angekommen. Bitte laden Sie sie neu.' }).int().positive(),
  other: z.string().regex(CASE_NUMBER, 'Bitte wählen Sie ein Anliegen aus der Liste.'),
  otherVersion: z.coerce.number({ message: 'Die Seite ist unvollständig angekommen. Bitte laden Sie sie neu.' }).int().positive(),
  /** Sent by the confirmation of a merge by hand: this case goes into the other one. */
  into: z.enum(['other'], { message: 'Die Seite ist unvollständig angekommen. Bitte laden Sie sie neu.' }).optional(),
});

/** The URL is the secret: no Referer to other sites, no search engine. */
const privatePage = (reply: FastifyReply) => reply.header('referrer-policy', 'no-referrer').header('x-robots-tag', 'noindex, nofollow');

export function duplicatesRoutes(app: FastifyInstance, appDeps: AppDeps): void {
  const deps = duplicatesDeps(appDeps);
  const db = deps.db;

  app.post(
    '/melden/folgen',
    {
      preHandler: app.csrfProtection,
      config: { rateLimit: { max: appDeps.config.reportsPerIpPer10Min, timeWindow: '10 minutes' } },
    },
    async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const parsed = reportFormSchema.safeParse(body);
      const number = typeof body.follow === 'string' && CASE_NUMBER.test(body.follow) ? body.follow : null;
      // The offer page sends back what was validated before; anything else was not sent by it.
      if (!parsed.success || !number)
        throw invalid('Das Formular ist unvollständig angekommen. Bitte melden Sie Ihr Anliegen noch einmal.');
      // The nonce keys the follow (and the photo draft): from another browser it would hand over
      // the follow link made with it, so only the browser it was issued to may use it.
      if (!request.ownsFormNonce(parsed.data.nonce))
        throw invalid('Dieses Formular wurde nicht in diesem Browser geöffnet. Bitte melden Sie Ihr Anliegen noch einmal.');
      const outcome = await followCase(deps, parsed.data, number);
      if (outcome.outcome === 'following') {
        request.log.info({ case: number }, 'citizen follows an existing report');
        return reply.redirect(`/folgen/${outcome.token}?neu=1`, 303);
      }
      return sendPage(
        reply,
        <DuplicateOfferPage
          ctx={pageContext(request, reply)}
          values={formValues(body, parsed.data.nonce)}
          candidates={outcome.candidates}
          photoCount={0}
          locationFromPhoto={parsed.data.lat === null}
          staleMessage={`Die Meldung ${number} ist inzwischen abgeschlossen oder mit einer anderen zusammengeführt worden.`}
        />,
        409,
      );
    },
  );

  const unknownFollowLink = () =>
    notFound('Zu diesem Link finden wir nichts. Vielleicht haben Sie das Folgen beendet, oder der Link ist unvollständig.');
  const follower = async (request: FastifyRequest<TokenParams>) => {
    const { token } = request.params;
    const row = TOKEN_PATTERN.test(token) ? await followerByToken(db, token) : null;
    if (!row) throw unknownFollowLink();
    return row;
  };

  app.get<TokenParams>('/folgen/:token', async (request, reply) => {
    const row = await follower(request);
    // The followed case may itself have been merged on: show the one that carries on.
    const item = await finalCase(db, row.caseId);
    if (!item) throw notFound();
    const [events, names] = await Promise.all([publicHistory(db, item.id), publicNames(db)]);
    privatePage(reply);
    return sendPage(
      reply,
      <FollowerPage
        ctx={pageContext(request, reply)}
        url={followUrl(appDeps.config.publicUrl, request.params.token)}
        item={item}
        history={describeHistory(events, names)}
        followingSince={row.createdAt}
        hasEmail={row.email !== null}
        justFollowed={(request.query as Record<string, unknown>).neu === '1'}
      />,
    );
  });

  app.post<TokenParams>('/folgen/:token/beenden', { preHandler: app.csrfProtection }, async (request, reply) => {
    const { token } = request.params;
    // unfollow deletes by token and says whether there was anything to delete: no read before it.
    if (!TOKEN_PATTERN.test(token) || !(await unfollow(deps, token))) throw unknownFollowLink();
    privatePage(reply);
    return sendPage(reply, <UnfollowedPage ctx={pageContext(request, reply)} />);
  });

  app.post<NumberParams>(
    '/staff/faelle/:number/zusammenfuehren',
    { preHandler: [requireStaff, app.csrfProtection] },
    async (request, reply) => {
      const user = request.user;
      if (!user) throw new AppError('Unauthorized', 'Bitte melden Sie sich an.');
      const here = await visibleCase(db, user, request.params.number);
      const failed = (status: number, message: string) =>
        sendPage(
          reply,
          <MergeFailedPage ctx={pageContext(request, reply)} number={here.number} message={message} status={status} />,
          status,
        );
      const parsed = mergeSchema.safeParse(request.body ?? {});
      if (!parsed.success) return failed(400, parsed.error.issues[0]?.message ?? 'Bitte laden Sie die Seite neu.');
      try {
        const other = await visibleCase(db, user, parsed.data.other);
        const merged = await mergeCases(deps, user, {
          caseId: here.id,
          version: parsed.data.version,
          otherId: other.id,
          otherVersion: parsed.data.otherVersion,
          ...(parsed.data.into ? { into: parsed.data.into } : {}),
        });
        request.log.info({ from: merged.sourceNumber, into: merged.targetNumber }, 'cases merged');
        return reply.redirect(`/staff/faelle/${merged.targetNumber}?ok=zusammengefuehrt`, 303);
      } catch (err) {
        if (err instanceof AppError && (err.code === 'Invalid' || err.code === 'Conflict' || err.code === 'NotFound')) {
          return failed(err.status, err.message);
        }
        throw err;
      }
    },
  );
}
