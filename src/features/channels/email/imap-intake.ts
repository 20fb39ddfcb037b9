import { and, eq } from 'drizzle-orm';
import type { Clock } from '../../../infra/clock.ts';
import type { Db } from '../../../infra/db.ts';
import { conflict, notFound } from '../../../infra/errors.ts';
import type { Logger } from '../../../infra/log.ts';
import { channelAccounts } from '../../../infra/schema/index.ts';
import type { SecretBox } from '../../../infra/secrets.ts';
import { findAccount } from '../accounts/queries.ts';
import { AccountWatcher, oneOffRound, type WatcherContext } from './imap-supervisor.ts';
import type { FetchRoundResult, MailHandler, MailIntake, MailIntakeOptions, TooLargeHook } from './intake-types.ts';

export const DEFAULT_MAX_MESSAGE_BYTES = 30 * 1024 * 1024;

export interface MailIntakeDeps {
  db: Db;
  log: Logger;
  clock: Clock;
  /** Opens the account's sealed IMAP password, as the accounts service does. */
  secrets: SecretBox;
  handler: MailHandler;
  onTooLarge?: TooLargeHook;
  options?: MailIntakeOptions;
}

const enabledEmailAccountIds = async (db: Db): Promise<number[]> =>
  (
    await db
      .select({ id: channelAccounts.id })
      .from(channelAccounts)
      .where(and(eq(channelAccounts.enabled, true), eq(channelAccounts.kind, 'email')))
  ).map((r) => r.id);

/**
 * The IMAP intake: one watched connection per enabled e-mail account, every fetched message handed
 * to `handler` (see MailHandler and ADR 0008). The list of accounts is looked at again every
 * `pollMs`, so an account added, disabled or removed on /admin/kanaele is picked up or let go.
 */
export function createMailIntake(deps: MailIntakeDeps): MailIntake {
  const o = deps.options ?? {};
  const ctx: WatcherContext = {
    db: deps.db,
    log: deps.log,
    clock: deps.clock,
    secrets: deps.secrets,
    handler: deps.handler,
    onTooLarge: deps.onTooLarge,
    options: {
      idle: o.idle ?? true,
      pollMs: o.pollMs ?? 60_000,
      maxMessageBytes: o.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
      maxFailures: o.maxFailures ?? 5,
      batchSize: o.batchSize ?? 50,
      reconnectMinMs: o.reconnectMinMs ?? 1000,
      reconnectMaxMs: o.reconnectMaxMs ?? 5 * 60_000,
      timeoutMs: o.timeoutMs ?? 30_000,
    },
  };
  const watchers = new Map<number, AccountWatcher>();
  let running = false;
  let syncTimer: NodeJS.Timeout | undefined;
  let syncing: Promise<void> = Promise.resolve();

  async function sync(): Promise<void> {
    const wanted = new Set(await enabledEmailAccountIds(deps.db));
    const starting: Promise<void>[] = [];
    for (const id of wanted) {
      if (watchers.has(id) || !running) continue;
      const watcher = new AccountWatcher(ctx, id);
      watchers.set(id, watcher);
      starting.push(watcher.start());
    }
    const leaving = [...watchers].filter(([id]) => !wanted.has(id));
    for (const [id] of leaving) watchers.delete(id);
    await Promise.all([...starting, ...leaving.map(([, w]) => w.stop())]);
  }

  const syncOnce = () => {
    syncing = syncing.then(sync).catch((err) => deps.log.error({ err }, 'mail intake: account list not read'));
    return syncing;
  };

  return {
    async start() {
      if (running) return;
      running = true;
      await syncOnce();
      syncTimer = setInterval(() => void syncOnce(), ctx.options.pollMs);
      deps.log.info({ accounts: watchers.size }, 'mail intake started');
    },

    async stop() {
      running = false;
      clearInterval(syncTimer);
      await syncing;
      const all = [...watchers.values()];
      watchers.clear();
      await Promise.all(all.map((w) => w.stop()));
    },

    async fetchNow(accountId: number): Promise<FetchRoundResult> {
      const account = await findAccount(deps.db, accountId);
      if (!account) throw notFound('Dieses Postfach gibt es nicht (mehr).');
      if (!account.enabled) throw conflict('Das Postfach ist deaktiviert. Aktivieren Sie es wieder, um Mails abzurufen.');
      const watcher = watchers.get(accountId);
      if (watcher?.connected) {
        const result = await watcher.round(true);
        if (result) return result;
      }
      const result = await oneOffRound(ctx, accountId);
      if (result.ok) watcher?.reconnectNow();
      return result;
    },
  };
}
