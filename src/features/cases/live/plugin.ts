import { fastifySSE } from '@fastify/sse';
import { eq } from 'drizzle-orm';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../../http/deps.ts';
import { requireStaff } from '../../../http/guards.ts';
import { AppError } from '../../../infra/errors.ts';
import { cases } from '../../../infra/schema/index.ts';
import { visibleCase } from '../case-view.ts';
import { type LiveEvent, LiveHub } from './hub.ts';
import { listenForChanges } from './listener.ts';
import type { CaseChange } from './notify.ts';

const HEARTBEAT_MS = 25_000;
/**
 * A stream ends after this long and the browser reconnects by itself (EventSource does), so the
 * session is checked again: a session that simply expired stops hearing. Changes made by an admin
 * (teams, deactivation, password reset) close the user's streams at once (publishAccessChange).
 */
const MAX_STREAM_MS = 15 * 60_000;

/**
 * Live updates of inbox and case page over server-sent events. Changes arrive from every app
 * process through PostgreSQL NOTIFY; this process forwards each to its own open streams.
 */
export const livePlugin: FastifyPluginAsync<{ deps: AppDeps }> = async (app, { deps }) => {
  const db = deps.database.db;
  const log = deps.log.child({ module: 'live' });
  const hub = new LiveHub();

  const forward = async (change: CaseChange) => {
    if (hub.size === 0) return;
    const [kase] = await db
      .select({ id: cases.id, number: cases.number, teamId: cases.teamId })
      .from(cases)
      .where(eq(cases.id, change.caseId));
    if (kase) hub.dispatch(kase, change);
  };
  const listener = await listenForChanges(deps.database, log, {
    onCaseChange: (change) => {
      forward(change).catch((err) => log.warn({ err, caseId: change.caseId }, 'live update not forwarded'));
    },
    onAccessChange: (userId) => {
      const closed = hub.closeFor(userId);
      if (closed > 0) log.info({ userId, closed }, 'live streams closed after an access change');
    },
  });
  // Open streams would keep the server from closing; end them first, then stop listening.
  app.addHook('preClose', async () => hub.closeAll());
  app.addHook('onClose', async () => listener.close());

  await app.register(fastifySSE, { heartbeatInterval: HEARTBEAT_MS });

  app.get('/staff/live', { preHandler: requireStaff, sse: 'only' }, async (request: FastifyRequest, reply) => {
    const user = request.user;
    if (!user) throw new AppError('Unauthorized', 'Bitte melden Sie sich an.');
    const number = (request.query as { fall?: unknown }).fall;
    const caseId = typeof number === 'string' ? (await visibleCase(db, user, number)).id : null;
    const sse = reply.sse;
    const id = hub.add({
      viewer: user,
      caseId,
      send: (event: LiveEvent) => {
        if (sse.isConnected) sse.send({ event: 'case', data: event }).catch(() => sse.close());
      },
      close: () => sse.close(),
    });
    if (id === null) {
      return reply
        .code(429)
        .type('application/json')
        .send({ error: 'Zu viele offene Live-Verbindungen. Bitte schließen Sie einige Fenster.' });
    }
    sse.keepAlive();
    const timer = setTimeout(() => sse.close(), MAX_STREAM_MS);
    timer.unref();
    sse.onClose(() => {
      clearTimeout(timer);
      hub.remove(id);
    });
    // The first message opens the stream and tells the browser how long to wait before reconnecting.
    await sse.send({ event: 'ready', data: { caseNumber: typeof number === 'string' ? number : null }, retry: 5000 });
  });
};
