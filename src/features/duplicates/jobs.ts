import { z } from 'zod';
import { defineJob, type JobDefinition } from '../../infra/queue.ts';
import type { DuplicatesDeps } from './deps.ts';
import { sweepDrafts } from './drafts.ts';

/** Hourly: abandoned report drafts (and their photos) older than a day are deleted. */
export function duplicatesJobs(deps: Pick<DuplicatesDeps, 'db' | 'storage' | 'log' | 'clock'>): JobDefinition[] {
  return [
    defineJob({
      name: 'duplicates.sweep-drafts',
      schema: z.object({}).passthrough(),
      cron: '17 * * * *',
      async handler() {
        const removed = await sweepDrafts(deps);
        if (removed > 0) deps.log.info({ removed }, 'stale report drafts removed');
      },
    }),
  ];
}
