import { and, eq, gte, isNull, lte, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Clock } from '../../../infra/clock.ts';
import type { Db } from '../../../infra/db.ts';
import type { Logger } from '../../../infra/log.ts';
import { defineJob, type Queue } from '../../../infra/queue.ts';
import { casePublications, cases, categories } from '../../../infra/schema/index.ts';
import { publishIfDue } from './decide.ts';

const publishJob = { name: 'publication.publish', schema: z.object({ caseId: z.number().int().positive() }), retryLimit: 5 };

/** Cases the sweep publishes per minute; more wait for the next tick. */
const SWEEP_BATCH = 200;
/**
 * How far back the sweep looks for new cases of "auto" categories that never got their decision
 * (the process died between the report's commit and the event): older cases, e.g. from before a
 * category was switched to "auto", are not published behind anyone's back.
 */
const UNDECIDED_WINDOW_MS = 2 * 24 * 60 * 60_000;

/** After commit: the case goes public at its instant (the job re-checks; staff may have stopped it). */
export async function schedulePublication(queue: Queue, caseId: number, at: Date): Promise<void> {
  await queue.send(publishJob, { caseId }, { startAfter: at, singletonKey: `publication.publish:${caseId}:${at.getTime()}` });
}

/** Due automatic publications: pending ones past their instant, and new "auto" cases without a decision. */
export async function duePublications(db: Db, now: Date, limit: number): Promise<number[]> {
  const pending = await db
    .select({ id: casePublications.caseId })
    .from(casePublications)
    .where(and(eq(casePublications.state, 'pending'), lte(casePublications.publishAfter, now)))
    .limit(limit);
  const undecided = await db
    .select({ id: cases.id })
    .from(cases)
    .innerJoin(categories, eq(categories.id, cases.categoryId))
    .leftJoin(casePublications, eq(casePublications.caseId, cases.id))
    .where(
      and(
        eq(categories.publication, 'auto'),
        isNull(casePublications.caseId),
        gte(cases.createdAt, new Date(now.getTime() - UNDECIDED_WINDOW_MS)),
        lte(sql`${cases.createdAt} + make_interval(mins => ${categories.publishDelayMinutes})`, now),
      ),
    )
    .limit(limit);
  return [...new Set([...pending, ...undecided].map((r) => r.id))];
}

/**
 * `publication.publish` runs at a case's instant; `publication.sweep` (every minute) is the safety
 * net for a job lost in a crash. Both end in publishIfDue, which publishes at most once and never
 * against a decision staff made meanwhile.
 */
export function publicationJobs(deps: { db: Db; clock: Clock; log: Logger }) {
  const publish = async (caseId: number) => {
    const done = await deps.db.transaction((tx) => publishIfDue(tx, caseId, deps.clock.now()));
    if (done) deps.log.info({ caseId }, 'case published automatically');
  };
  return [
    defineJob({ ...publishJob, handler: ({ caseId }) => publish(caseId) }),
    defineJob({
      name: 'publication.sweep',
      schema: z.object({}).passthrough(),
      cron: '* * * * *',
      handler: async () => {
        for (const caseId of await duePublications(deps.db, deps.clock.now(), SWEEP_BATCH)) await publish(caseId);
      },
    }),
  ] as const;
}
