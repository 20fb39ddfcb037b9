import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../http/deps.ts';
import { requireStaff } from '../../http/guards.ts';
import { pageContext, sendPage } from '../../http/page.ts';
import { AppError } from '../../infra/errors.ts';
import { originalMessageOf } from './case-view.ts';
import { OriginalPage } from './views/original-page.tsx';

type Params = { Params: { number: string; messageId: string } };

/**
 * The frame's own policy: a sandbox (no scripts, no forms, an origin of its own), nothing loaded but
 * pictures inlined as data: (remote images would tell the sender who read the mail and when), and
 * framed only by our page.
 */
export const ORIGINAL_HTML_CSP = "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'self'";

const idOf = (raw: string) => (/^\d{1,9}$/.test(raw) ? Number(raw) : 0);

function viewer(request: FastifyRequest) {
  if (!request.user) throw new AppError('Unauthorized', 'Bitte melden Sie sich an.');
  return request.user;
}

/** "Originalansicht" of a mail on the case page: staff who may see the case, nobody else. */
export function registerOriginalRoutes(app: FastifyInstance, deps: AppDeps): void {
  const db = deps.database.db;
  app.get<Params>('/staff/faelle/:number/nachrichten/:messageId/original', { preHandler: requireStaff }, async (request, reply) => {
    const found = await originalMessageOf(db, viewer(request), request.params.number, idOf(request.params.messageId));
    reply.header('cache-control', 'private, no-store');
    return sendPage(reply, <OriginalPage ctx={pageContext(request, reply)} number={found.number} message={found.message} />);
  });

  app.get<Params>('/staff/faelle/:number/nachrichten/:messageId/original.html', { preHandler: requireStaff }, async (request, reply) => {
    const found = await originalMessageOf(db, viewer(request), request.params.number, idOf(request.params.messageId));
    const html = found.message.originalHtml ?? '';
    return reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', ORIGINAL_HTML_CSP)
      .header('x-frame-options', 'SAMEORIGIN')
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header('cache-control', 'private, no-store')
      .send(`<!doctype html><html lang="de"><head><meta charset="utf-8"><title>HTML-Fassung</title></head><body>${html}</body></html>`);
  });
}
