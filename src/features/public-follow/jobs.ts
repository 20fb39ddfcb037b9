import { z } from 'zod';
import type { Logger } from '../../infra/log.ts';
import { CONFIRM_WITHIN_MS } from '../../infra/opt-in.ts';
import { defineJob } from '../../infra/queue.ts';
import { sendDueNotices } from './notify.ts';
import { deleteUnconfirmed } from './queries.ts';
import type { FollowDeps } from './service.ts';

/**
 * `public-follow.notify` (every five minutes): the follow mails, so changes close together arrive
 * as one digest. `public-follow.sweep` (hourly): subscriptions nobody confirmed within a week go.
 */
export function publicFollowJobs(deps: FollowDeps & { log: Logger }) {
  return [
    defineJob({
      name: 'public-follow.notify',
      schema: z.object({}).passthrough(),
      cron: '*/5 * * * *',
      handler: async () => {
        await sendDueNotices(deps);
      },
    }),
    defineJob({
      name: 'public-follow.sweep',
      schema: z.object({}).passthrough(),
      cron: '23 * * * *',
      handler: async () => {
        const gone = await deleteUnconfirmed(deps.db, new Date(deps.clock.now().getTime() - CONFIRM_WITHIN_MS));
        if (gone > 0) deps.log.info({ gone }, 'unconfirmed follow subscriptions deleted');
      },
    }),
  ] as const;
}
