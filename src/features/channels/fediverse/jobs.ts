import type { Message } from '@fedify/fedify';
import type { AppDeps } from '../../../http/deps.ts';
import { defineJob, type JobDefinition } from '../../../infra/queue.ts';
import { fediverseOf } from './federation.ts';
import { fediverseTaskJob } from './message-queue.ts';

/**
 * Runs Fedify's queued tasks (an incoming activity, a delivery to one inbox, a fan-out to the
 * followers). A failed delivery is not thrown: Fedify has already enqueued its retry with back-off.
 */
export function fediverseJobs(deps: AppDeps): JobDefinition[] {
  return [
    defineJob({
      ...fediverseTaskJob,
      handler: async ({ message }) => {
        await fediverseOf(deps).federation.processQueuedTask(undefined, message as unknown as Message);
      },
    }),
  ] as JobDefinition[];
}
