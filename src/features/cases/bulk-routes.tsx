import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../http/deps.ts';
import { requireStaff, type SessionUser } from '../../http/guards.ts';
import { pageContext, sendPage } from '../../http/page.ts';
import { AppError } from '../../infra/errors.ts';
import { bulkSchema, runBulk } from './bulk.ts';
import { claimNext, loadQueue } from './queue.ts';
import type { CasesDeps } from './service.ts';
import { BulkResultPage, QueuePage } from './views/queue.tsx';

function staff(request: FastifyRequest): SessionUser {
  if (!request.user) throw new AppError('Unauthorized', 'Bitte melden Sie sich an.');
  return request.user;
}

const actions = ['zuweisen', 'erledigen', 'markieren'] as const;

/** Working the inbox together: my queue, "Nächstes übernehmen", bulk actions on selected cases. */
export function registerBulkRoutes(app: FastifyInstance, deps: AppDeps): void {
  const db = deps.database.db;
  const serviceDeps: CasesDeps = { db, queue: deps.queue, clock: deps.clock, channels: deps.channels, config: deps.config };

  app.get('/staff/warteschlange', { preHandler: requireStaff }, async (request, reply) => {
    const empty = (request.query as { hinweis?: unknown }).hinweis === 'leer';
    return sendPage(
      reply,
      <QueuePage ctx={pageContext(request, reply)} rows={await loadQueue(db, staff(request))} now={deps.clock.now()} empty={empty} />,
    );
  });

  app.post('/staff/warteschlange/naechstes', { preHandler: [requireStaff, app.csrfProtection] }, async (request, reply) => {
    const claimed = await claimNext(serviceDeps, staff(request));
    if (!claimed) return reply.redirect('/staff/warteschlange?hinweis=leer', 303);
    request.log.info({ case: claimed.number }, 'next case claimed');
    return reply.redirect(`/staff/faelle/${claimed.number}?ok=uebernommen`, 303);
  });

  app.post('/staff/sammelaktion', { preHandler: [requireStaff, app.csrfProtection] }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const action = actions.find((a) => a === body.aktion) ?? null;
    const parsed = bulkSchema.safeParse(body);
    if (!parsed.success) {
      const error = parsed.error.issues[0]?.message ?? 'Bitte prüfen Sie die Auswahl.';
      return sendPage(reply, <BulkResultPage ctx={pageContext(request, reply)} action={action} outcome={null} error={error} />, 400);
    }
    const outcome = await runBulk(serviceDeps, staff(request), parsed.data);
    request.log.info({ action: parsed.data.aktion, changed: outcome.changed.length, failed: outcome.failed.length }, 'bulk action');
    if (outcome.failed.length === 0) return reply.redirect('/staff?ok=sammelaktion', 303);
    return sendPage(reply, <BulkResultPage ctx={pageContext(request, reply)} action={parsed.data.aktion} outcome={outcome} />, 409);
  });
}
