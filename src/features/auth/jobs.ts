import { z } from 'zod';
import type { Clock } from '../../infra/clock.ts';
import type { Db } from '../../infra/db.ts';
import type { Logger } from '../../infra/log.ts';
import { defineJob, type JobDefinition } from '../../infra/queue.ts';
import { THROTTLE_ROW_TTL_MS } from './throttle-policy.ts';
import { sweepThrottles } from './throttle-queries.ts';

export const SWEEP_THROTTLES_JOB = 'auth.sweep-throttles';

/** Hourly: sign-in counters whose last failure is a day old are forgotten (idempotent: a delete). */
export function authJobs(deps: { db: Db; clock: Clock; log: Logger }): JobDefinition[] {
  return [
    defineJob({
      name: SWEEP_THROTTLES_JOB,
      schema: z.object({}).passthrough(),
      cron: '41 * * * *',
      async handler() {
        const removed = await sweepThrottles(deps.db, new Date(deps.clock.now().getTime() - THROTTLE_ROW_TTL_MS));
        if (removed > 0) deps.log.info({ removed }, 'old sign-in counters removed');
      },
    }),
  ];
}
