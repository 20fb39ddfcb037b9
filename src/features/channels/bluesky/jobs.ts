import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { defineJob, type JobDefinition } from '../../../infra/queue.ts';
import { channelAccounts } from '../../../infra/schema/index.ts';
import type { IntakeDeps } from '../../intake/service.ts';
import { type BlueskyDeps, loadBlueskyAccount } from './client.ts';
import { pollBlueskyAccount } from './intake.ts';

/** Every minute, each enabled Bluesky account's new notifications (an account waiting out a 429 or a back-off is left alone). */
export function blueskyJobs(deps: IntakeDeps & BlueskyDeps): JobDefinition[] {
  return [
    defineJob({
      name: 'bluesky.poll',
      schema: z.object({}).passthrough(),
      cron: '* * * * *',
      handler: async () => {
        const rows = await deps.db
          .select({ id: channelAccounts.id })
          .from(channelAccounts)
          .where(and(eq(channelAccounts.kind, 'bluesky'), eq(channelAccounts.enabled, true)));
        for (const { id } of rows) {
          const account = await loadBlueskyAccount(deps, id);
          // Failures are recorded on the account and retried next round: the job itself does not fail.
          if (account) await pollBlueskyAccount(deps, account);
        }
      },
    }),
  ];
}
