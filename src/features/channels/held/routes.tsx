import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../../http/deps.ts';
import { requireStaff, type SessionUser } from '../../../http/guards.ts';
import { pageContext, sendPage } from '../../../http/page.ts';
import { AppError, invalid, notFound } from '../../../infra/errors.ts';
import { intakeDepsOf } from '../email/receive-mail.ts';
import { listHeld } from './queries.ts';
import { discardHeldMessage, takeOverHeld } from './service.ts';
import { type HeldNotice, HeldPage } from './views/held-page.tsx';

const ID = /^\d{1,9}$/;
const CASE_NUMBER = /^\d{4}-\d{5,}$/;
type IdParams = { Params: { id: string } };
type ListQuery = { Querystring: { nach?: string; ok?: string; anliegen?: string } };

function staff(request: FastifyRequest): SessionUser {
  if (!request.user) throw new AppError('Unauthorized', 'Bitte melden Sie sich an.');
  return request.user;
}

function heldId(raw: string): number {
  if (!ID.test(raw)) throw notFound('Diese Nachricht gibt es nicht (mehr) in „Nicht zugeordnet“.');
  return Number(raw);
}

function noticeOf(query: ListQuery['Querystring']): HeldNotice | undefined {
  if (query.ok === 'verworfen') return { kind: 'success', title: 'Die Nachricht ist verworfen.' };
  if (query.ok === 'uebernommen' && query.anliegen && CASE_NUMBER.test(query.anliegen)) {
    return {
      kind: 'info',
      title: `Die Nachricht ist jetzt Anliegen ${query.anliegen}. Es liegt bei einem Team, dessen Anliegen Sie nicht sehen.`,
    };
  }
  return undefined;
}

/** "Nicht zugeordnet": held mails, taken over as a case or discarded by staff. */
export function registerHeldRoutes(app: FastifyInstance, deps: AppDeps): void {
  const db = deps.database.db;
  const intake = intakeDepsOf(deps);

  app.get<ListQuery>('/staff/nicht-zugeordnet', { preHandler: requireStaff }, async (request, reply) => {
    const nach = request.query.nach;
    if (nach !== undefined && !ID.test(nach)) throw invalid('Dieser Blätter-Link ist ungültig.');
    staff(request);
    const { rows, nextAfter } = await listHeld(db, nach ? Number(nach) : null);
    return sendPage(
      reply,
      <HeldPage ctx={pageContext(request, reply)} rows={rows} nextAfter={nextAfter} notice={noticeOf(request.query)} />,
    );
  });

  app.post<IdParams>(
    '/staff/nicht-zugeordnet/:id/uebernehmen',
    { preHandler: [requireStaff, app.csrfProtection] },
    async (request, reply) => {
      const taken = await takeOverHeld(intake, staff(request), heldId(request.params.id));
      const target = taken.visible
        ? `/staff/faelle/${taken.number}?ok=aus-nicht-zugeordnet`
        : `/staff/nicht-zugeordnet?ok=uebernommen&anliegen=${taken.number}`;
      return reply.redirect(target, 303);
    },
  );

  app.post<IdParams>(
    '/staff/nicht-zugeordnet/:id/verwerfen',
    { preHandler: [requireStaff, app.csrfProtection] },
    async (request, reply) => {
      await discardHeldMessage(intake, staff(request), heldId(request.params.id));
      return reply.redirect('/staff/nicht-zugeordnet?ok=verworfen', 303);
    },
  );
}
