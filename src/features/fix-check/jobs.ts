import { z } from 'zod';
import { defineJob } from '../../infra/queue.ts';
import { type AskDeps, askDueChecks } from './ask.ts';

/**
 * `fix-check.ask` (every five minutes): sends the questions that are due. Idempotent by the
 * claim in askDueChecks, so overlapping runs and retries never ask twice.
 */
export function fixCheckJobs(deps: AskDeps) {
  return [
    defineJob({
      name: 'fix-check.ask',
      schema: z.object({}).passthrough(),
      cron: '*/5 * * * *',
      retryLimit: 3,
      handler: async () => {
        await askDueChecks(deps);
      },
    }),
  ] as const;
}
