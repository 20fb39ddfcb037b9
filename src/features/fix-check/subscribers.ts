import type { Db } from '../../infra/db.ts';
import { subscribeInTransaction } from '../../infra/events.ts';
import type { ChannelRegistry } from '../channels/registry.ts';
import { followStatus, planFixCheck } from './schedule.ts';

/**
 * Inside the resolving (or reopening) transaction, so a planned question exists exactly when the
 * resolution does, and a reopened case never gets asked about a fix that no longer stands.
 */
export function subscribeFixCheck(db: Db, deps: { channels: ChannelRegistry }): void {
  subscribeInTransaction(db, 'case.resolved', (e, tx) => planFixCheck(tx, deps.channels, e));
  subscribeInTransaction(db, 'case.changed', (change, tx) => followStatus(tx, change));
}
