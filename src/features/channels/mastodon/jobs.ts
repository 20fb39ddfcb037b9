import { z } from 'zod';
import type { AppDeps } from '../../../http/deps.ts';
import { defineJob, type JobDefinition } from '../../../infra/queue.ts';
import { intakeDepsOf } from '../email/receive-mail.ts';
import { listMastodonAccounts } from './accounts.ts';
import { pollMastodonAccount } from './intake.ts';
import { mastodonTransport } from './transport.ts';

/**
 * `mastodon.poll` (every minute): one poll per enabled Mastodon account, one after the other.
 * pollMastodonAccount never throws on the server's errors, so a dead server or token makes no
 * retry storm; the next tick (or the end of a pause) tries again.
 */
export function mastodonJobs(deps: AppDeps): JobDefinition[] {
  const intake = { ...intakeDepsOf(deps), log: deps.log.child({ module: 'mastodon' }), secrets: deps.secrets };
  return [
    defineJob({
      name: 'mastodon.poll',
      schema: z.object({}).passthrough(),
      cron: '* * * * *',
      handler: async () => {
        for (const account of await listMastodonAccounts(intake.db)) {
          if (account.enabled) await pollMastodonAccount(intake, account.id);
        }
      },
    }),
  ] as JobDefinition[];
}

/** The transport of the outbox's `mastodon` rows (answers and publications). */
export const mastodonTransportOf = (deps: AppDeps) =>
  mastodonTransport({
    db: deps.database.db,
    secrets: deps.secrets,
    storage: deps.storage,
    log: deps.log.child({ module: 'mastodon' }),
    now: () => deps.clock.now(),
  });
