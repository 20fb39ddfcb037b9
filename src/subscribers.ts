import { subscribeNewsletter } from './features/amtsblatt/public/newsletter/send.ts';
import { subscribeFailureNotice } from './features/channels/email/failure-notice.ts';
import { subscribeDuplicates } from './features/duplicates/subscribers.ts';
import { subscribeFixCheck } from './features/fix-check/subscribers.ts';
import { subscribeRouting } from './features/routing/subscribers.ts';
import { subscribeSla } from './features/sla/subscribers.ts';
import { subscribeTransparency } from './features/transparency/publication/subscribers.ts';
import type { AppDeps } from './http/deps.ts';
import { setEventLog } from './infra/events.ts';
import { subscribeOutbox } from './infra/outbox.ts';

/**
 * The one registry of event subscribers (infra/events.ts), as jobs.ts is of jobs. Every process
 * that writes (serve, worker, the CLI, the seed) subscribes, so a reaction never depends on which
 * process made the change.
 */
export function subscribeAll(deps: Pick<AppDeps, 'database' | 'queue' | 'log' | 'clock' | 'config' | 'channels'>): void {
  const db = deps.database.db;
  setEventLog(db, deps.log.child({ module: 'events' }));
  subscribeOutbox(db, deps.queue);
  subscribeSla(db, deps);
  subscribeDuplicates(db, deps);
  subscribeFailureNotice(db, deps.config);
  subscribeTransparency(db, deps);
  subscribeFixCheck(db, deps);
  subscribeNewsletter(db, deps.queue);
  subscribeRouting({ db, clock: deps.clock, queue: deps.queue, config: deps.config });
}
