import { z } from 'zod';
import type { Db } from '../../../infra/db.ts';
import type { Logger } from '../../../infra/log.ts';
import { defineJob, type JobDefinition, type Queue } from '../../../infra/queue.ts';
import { retrainFromCases } from './service.ts';

const retrainPayload = z.object({ reason: z.enum(['nightly', 'requested']).default('nightly') });

/**
 * Nightly (and on request) the classifier learns again from the town's closed cases. Running it
 * twice is harmless: the second run stores an equal model and activates it; a singleton key keeps
 * concurrent requests from queueing more than one run.
 */
export function classifierJobs(deps: { db: Db; log: Logger }): JobDefinition[] {
  return [
    defineJob({
      name: 'classifier.retrain',
      schema: retrainPayload,
      retryLimit: 2,
      // 02:30 every night, when no one is waiting for the inbox.
      cron: '30 2 * * *',
      async handler(payload) {
        const result = await retrainFromCases(deps);
        deps.log.info(
          { reason: payload.reason, ...('skipped' in result ? { skipped: result.skipped } : { id: result.id }) },
          'classifier retrain done',
        );
      },
    }),
  ];
}

export const retrainJob = { name: 'classifier.retrain', schema: retrainPayload, retryLimit: 2 };

/** On-demand retraining (e.g. after a large correction sweep), one at a time. */
export async function requestRetrain(queue: Queue): Promise<void> {
  await queue.send(retrainJob, { reason: 'requested' }, { singletonKey: 'classifier.retrain' });
}
