import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../http/deps.ts';
import { requireStaff, type SessionUser } from '../../http/guards.ts';
import { pageContext, sendPage } from '../../http/page.ts';
import { AppError, invalid, notFound } from '../../infra/errors.ts';
import { findOutboxMail, listOutbox } from './outbox-queries.ts';
import { OutboxMailPage, OutboxPage } from './views/outbox.tsx';

const ID = /^\d{1,9}$/;

function staff(request: FastifyRequest): SessionUser {
  if (!request.user) throw new AppError('Unauthorized', 'Bitte melden Sie sich an.');
  return request.user;
}

/** Postausgang: what was sent (or stored, without SMTP), with headers to follow a thread. */
export function registerOutboxRoutes(app: FastifyInstance, deps: AppDeps): void {
  const db = deps.database.db;
  const mode = deps.config.smtpUrl ? 'smtp' : 'file';

  app.get<{ Querystring: { nach?: string } }>('/staff/outbox', { preHandler: requireStaff }, async (request, reply) => {
    const nach = request.query.nach;
    if (nach !== undefined && !ID.test(nach)) throw invalid('Dieser Blätter-Link ist ungültig.');
    const { rows, nextBefore } = await listOutbox(db, staff(request), nach ? Number(nach) : null);
    return sendPage(reply, <OutboxPage ctx={pageContext(request, reply)} rows={rows} nextBefore={nextBefore} mode={mode} />);
  });

  app.get<{ Params: { id: string } }>('/staff/outbox/:id', { preHandler: requireStaff }, async (request, reply) => {
    const mail = ID.test(request.params.id) ? await findOutboxMail(db, staff(request), Number(request.params.id)) : null;
    if (!mail) throw notFound('Diese Mail gibt es nicht, oder Sie haben keinen Zugriff darauf.');
    return sendPage(reply, <OutboxMailPage ctx={pageContext(request, reply)} mail={mail} from={deps.config.mailFrom} />);
  });
}
