import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../http/deps.ts';
import { pageContext, sendPage } from '../../http/page.ts';
import { notFound } from '../../infra/errors.ts';
import { describeHistory } from './history.ts';
import { caseByToken, finalCase, photoOfCase, publicHistory, publicMessages, publicNames, publicPhotos } from './queries.ts';
import { TrackingPage } from './views/tracking.tsx';

const unknownLink = () => notFound('Zu diesem Link finden wir kein Anliegen. Bitte prüfen Sie, ob Sie den Link vollständig kopiert haben.');

/** Tokens are base64url; anything else cannot match and need not reach the database. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;

type TokenParams = { Params: { token: string } };
type PhotoParams = { Params: { token: string; attachmentId: string } };

/** The URL is the secret: no Referer to other sites, no search engine, no shared cache. */
function privatePage(reply: FastifyReply): void {
  reply.header('referrer-policy', 'no-referrer').header('x-robots-tag', 'noindex, nofollow');
}

export function trackingRoutes(app: FastifyInstance, deps: AppDeps): void {
  const db = deps.database.db;

  app.get<TokenParams>('/verfolgen/:token', async (request, reply) => {
    const { token } = request.params;
    const item = TOKEN_PATTERN.test(token) ? await caseByToken(db, token) : null;
    if (!item) throw unknownLink();
    const [events, names, messages, photos, mergedInto] = await Promise.all([
      publicHistory(db, item.id),
      publicNames(db),
      publicMessages(db, item.id),
      publicPhotos(db, item.id),
      item.mergedIntoId === null ? null : finalCase(db, item.mergedIntoId),
    ]);
    privatePage(reply);
    return sendPage(
      reply,
      <TrackingPage
        ctx={pageContext(request, reply)}
        token={token}
        item={item}
        history={describeHistory(events, names, item.reporterName ? [item.reporterName] : [])}
        messages={messages}
        photos={photos}
        mergedInto={mergedInto}
      />,
    );
  });

  const servePhoto = (variant: 'full' | 'thumb') => async (request: FastifyRequest<PhotoParams>, reply: FastifyReply) => {
    const { token, attachmentId } = request.params;
    if (!TOKEN_PATTERN.test(token) || !/^\d{1,9}$/.test(attachmentId)) throw notFound('Dieses Foto gibt es nicht.');
    const photo = await photoOfCase(db, token, Number(attachmentId));
    if (!photo) throw notFound('Dieses Foto gibt es nicht.');
    const key = variant === 'full' ? photo.storageKey : (photo.thumbKey ?? photo.storageKey);
    const data = await deps.storage.get(key).catch((err: unknown) => {
      // A file the database still names but the disk lost: tell the citizen it is gone, tell the admin why.
      request.log.warn({ err, key }, 'stored photo missing');
      return null;
    });
    if (!data) throw notFound('Dieses Foto ist leider nicht mehr vorhanden.');
    privatePage(reply);
    return reply.type(photo.mimeType).header('cache-control', 'private, max-age=3600').header('content-disposition', 'inline').send(data);
  };
  app.get<PhotoParams>('/verfolgen/:token/fotos/:attachmentId', servePhoto('full'));
  app.get<PhotoParams>('/verfolgen/:token/fotos/:attachmentId/vorschau', servePhoto('thumb'));
}
