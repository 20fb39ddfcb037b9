import { z } from 'zod';
import type { JobDefinition } from '../../../infra/queue.ts';
import { checkLinksOfPostsInReview, type LinkCheckDeps } from './link-check.ts';

/** Every 20 minutes the links of posts waiting for approval are HEADed (read-only, so safe to repeat). */
export function linkCheckJobs(deps: LinkCheckDeps): JobDefinition[] {
  return [
    {
      name: 'editorial.link-check',
      schema: z.object({}).passthrough(),
      cron: '*/20 * * * *',
      async handler() {
        await checkLinksOfPostsInReview(deps);
      },
    },
  ];
}
