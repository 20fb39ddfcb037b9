import pg from 'pg';
import type { Database } from '../../../infra/db.ts';
import type { Logger } from '../../../infra/log.ts';
import { ACCESS_CHANNEL, CASE_CHANNEL, type CaseChange, parseAccessChange, parseCaseChange } from './notify.ts';

export interface ChangeListener {
  close(): Promise<void>;
}

const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 30_000;

/**
 * Receives the case-change notices of all app processes. PGlite delivers them in-process; on
 * PostgreSQL a dedicated connection (outside the pool, which would reassign it) LISTENs and
 * reconnects with back-off when the server goes away, so a database restart does not end live updates.
 */
export interface ChangeHandlers {
  onCaseChange(change: CaseChange): void;
  onAccessChange(userId: number): void;
}

export async function listenForChanges(database: Database, log: Logger, handlers: ChangeHandlers): Promise<ChangeListener> {
  const deliver = (channel: string, payload: string | undefined) => {
    if (channel === ACCESS_CHANNEL) {
      const userId = parseAccessChange(payload ?? '');
      if (userId !== null) handlers.onAccessChange(userId);
      else log.warn({ payload }, 'malformed access change notice ignored');
      return;
    }
    const change = parseCaseChange(payload ?? '');
    if (change) handlers.onCaseChange(change);
    else log.warn({ payload }, 'malformed case change notice ignored');
  };
  if (database.kind === 'pglite') {
    const unlisten = [
      await database.pglite.listen(CASE_CHANNEL, (p) => deliver(CASE_CHANNEL, p)),
      await database.pglite.listen(ACCESS_CHANNEL, (p) => deliver(ACCESS_CHANNEL, p)),
    ];
    return { close: async () => void (await Promise.all(unlisten.map((u) => u()))) };
  }

  const { connectionString } = database.pool.options as { connectionString?: string };
  let client: pg.Client | null = null;
  let closed = false;
  let retryMs = RETRY_MIN_MS;
  let timer: NodeJS.Timeout | null = null;

  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString });
    c.on('notification', (n) => {
      if (n.channel === CASE_CHANNEL || n.channel === ACCESS_CHANNEL) deliver(n.channel, n.payload);
    });
    c.on('error', (err) => {
      log.warn({ err }, 'live update connection lost');
      reconnect(c);
    });
    c.on('end', () => reconnect(c));
    await c.connect();
    await c.query(`listen ${CASE_CHANNEL}`);
    await c.query(`listen ${ACCESS_CHANNEL}`);
    if (closed) {
      await c.end().catch(() => {});
      return;
    }
    client = c;
    retryMs = RETRY_MIN_MS;
  };

  const reconnect = (from: pg.Client) => {
    if (closed || client !== from || timer) return;
    client = null;
    from.end().catch(() => {});
    const attempt = () => {
      timer = null;
      connect().catch((err) => {
        log.warn({ err, retryMs }, 'live update connection failed, retrying');
        retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
        timer = setTimeout(attempt, retryMs);
        timer.unref();
      });
    };
    timer = setTimeout(attempt, retryMs);
    timer.unref();
  };

  await connect();
  return {
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      const c = client;
      client = null;
      await c?.end().catch(() => {});
    },
  };
}
