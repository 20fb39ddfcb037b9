import type { Clock } from '../../../infra/clock.ts';
import type { Db } from '../../../infra/db.ts';
import { subscribe, subscribeInTransaction } from '../../../infra/events.ts';
import type { Queue } from '../../../infra/queue.ts';
import '../../fix-check/events.ts';
import { refreshPublicCase } from '../projection/write.ts';
import { ensurePublication, followCase } from './decide.ts';
import { schedulePublication } from './jobs.ts';

/**
 * The public projection follows every change of a case inside the change's transaction, so a
 * change and its public row commit together; a new case gets its publication decision right after
 * its commit, and automatic publications are queued once their decision committed.
 */
export function subscribeTransparency(db: Db, deps: { queue: Queue; clock: Clock }): void {
  subscribe(db, 'case.created', ({ caseId }) => db.transaction((tx) => ensurePublication(tx, caseId)).then(() => undefined));
  subscribeInTransaction(db, 'case.changed', (change, tx) =>
    followCase(tx, change.caseId, change.at, change.before.categoryId !== change.after.categoryId),
  );
  subscribeInTransaction(db, 'case.merged', async ({ sourceId, targetId, at }, tx) => {
    await followCase(tx, sourceId, at, false);
    await refreshPublicCase(tx, targetId, at);
  });
  // "Ist es wirklich behoben?" answered: the public row shows the confirmation (or that it was not fixed).
  subscribeInTransaction(db, 'fix_check.answered', ({ caseId, at }, tx) => refreshPublicCase(tx, caseId, at));
  subscribe(db, 'publication.due', ({ caseId, at }) => schedulePublication(deps.queue, caseId, at));
}
