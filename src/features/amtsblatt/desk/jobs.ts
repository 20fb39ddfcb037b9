import { z } from 'zod';
import { defineJob } from '../../../infra/queue.ts';
import type { DeskDeps } from './posts.ts';
import { publishDue, syncTargets } from './publish.ts';

/**
 * The desk's jobs: `amtsblatt.publish-due` publishes at the minute what is due (each post claimed
 * once, so a second worker or a retried run finds nothing to do); `amtsblatt.sync-targets` reads
 * back what the outbox delivered and sets each social target's status. Both are idempotent.
 */
export function deskJobs(deps: DeskDeps) {
  const publish = defineJob({
    name: 'amtsblatt.publish-due',
    schema: z.object({}).passthrough(),
    cron: '* * * * *',
    handler: async () => {
      const ids = await publishDue(deps);
      if (ids.length) deps.log.info({ posts: ids }, 'amtsblatt posts published');
      await syncTargets(deps);
    },
  });
  const sync = defineJob({
    name: 'amtsblatt.sync-targets',
    schema: z.object({}).passthrough(),
    cron: '* * * * *',
    handler: async () => {
      await syncTargets(deps);
    },
  });
  return [publish, sync] as const;
}
