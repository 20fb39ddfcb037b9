import type { MessageQueue, MessageQueueEnqueueOptions } from '@fedify/fedify';
import { z } from 'zod';
import type { Queue } from '../../../infra/queue.ts';

/**
 * Fedify's tasks (deliveries to each inbox, fan-out to followers, incoming activities) as pg-boss
 * jobs: they are stored in the project's database, survive a restart, and run in the worker
 * process (fediverse/jobs.ts). Fedify keeps its own retry policy with exponential back-off: a
 * failed delivery is enqueued again with a delay, which becomes the job's start time.
 */
export const fediverseTaskJob = {
  name: 'fediverse.task',
  schema: z.object({ message: z.record(z.string(), z.unknown()) }),
  // Fedify retries by enqueuing anew; a second retry layer would multiply the attempts.
  retryLimit: 0,
} as const;

export function bossMessageQueue(queue: Queue): MessageQueue {
  const send = (message: unknown, options?: MessageQueueEnqueueOptions) => {
    const delayMs = options?.delay ? Math.max(0, options.delay.total({ unit: 'millisecond' })) : 0;
    return queue.send(
      fediverseTaskJob,
      { message: message as Record<string, unknown> },
      delayMs > 0 ? { startAfter: new Date(Date.now() + delayMs) } : {},
    );
  };
  return {
    nativeRetrial: false,
    enqueue: send,
    async enqueueMany(messages, options) {
      for (const message of messages) await send(message, options);
    },
    // The worker takes the tasks through pg-boss (`manuallyStartQueue`), so Fedify never listens itself.
    listen: (_handler, options) =>
      new Promise<void>((resolve) => {
        options?.signal?.addEventListener('abort', () => resolve());
      }),
  };
}
