import type { Config } from '../../config.ts';
import type { Db } from '../../infra/db.ts';
import { emit, subscribe, subscribeInTransaction } from '../../infra/events.ts';
import type { Queue } from '../../infra/queue.ts';
import { scheduleSlaChecks } from './jobs.ts';
import { applyPolicy, type SlaTimer, slaAfterChange } from './service.ts';

declare module '../../infra/events.ts' {
  interface DomainEvents {
    /** Deadlines to check at their time (warning, response, resolution); queued after commit. */
    'sla.timers': { timers: SlaTimer[] };
  }
}

/**
 * The clock follows every change of a case in the change's own transaction (pause, resume, a new
 * policy for a new team, the policy a routing rule named), and the checks at the new deadlines are
 * queued once it committed.
 */
export function subscribeSla(db: Db, deps: { queue: Queue; config: Pick<Config, 'bundesland'> }): void {
  subscribeInTransaction(db, 'case.changed', async (change, tx) => {
    const state = deps.config.bundesland;
    const timers = change.deadlinePolicy
      ? await applyPolicy(tx, change.caseId, change.deadlinePolicy.id, { now: change.at, state, actor: change.deadlinePolicy.actor })
      : await slaAfterChange(tx, change, change.at, state);
    if (timers.length > 0) await emit(tx, 'sla.timers', { timers });
  });
  subscribe(db, 'sla.timers', ({ timers }) => scheduleSlaChecks(deps.queue, timers));
}
