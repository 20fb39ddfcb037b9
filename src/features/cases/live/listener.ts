import pg from 'pg';
import type { Database } from '../../../infra/db.ts';
import type { Logger } from '../../../infra/log.ts';
import { CASE_CHANNEL, type CaseChange, parseCaseChange } from './notify.ts';

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
export async function listenForCaseChanges(database: Database, log: Logger, onChange: (c: CaseChange) => void): Promise<ChangeListener> {
  const deliver = (payload: string | undefined) => {
    const change = parseCaseChange(payload ?? '');
    if (change) onChange(change);
    else log.warn({ payload }, 'malformed case change notice ignored');
  };
  if (database.kind === 'pglite') {
    const unlisten = await database.pglite.listen(CASE_CHANNEL, deliver);
    return { close: () => unlisten() };
  }

  const { connectionString } = database.pool.options as { connectionString?: string };
  let client: pg.Client | null = null;
  let closed = false;
  let retryMs = RETRY_MIN_MS;
  let timer: NodeJS.Timeout | null = null;

  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString });
    c.on('notification', (n) => {
      if (n.channel === CASE_CHANNEL) deliver(n.payload);
    });
    c.on('error', (err) => {
      log.warn({ err }, 'live update connection lost');
      reconnect(c);
    });
    c.on('end', () => reconnect(c));
    await c.connect();
    await c.query(`listen ${CASE_CHANNEL}`);
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
