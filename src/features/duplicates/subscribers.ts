import type { Config } from '../../config.ts';
import type { Db } from '../../infra/db.ts';
import { subscribeInTransaction } from '../../infra/events.ts';
import type { ChannelRegistry } from '../channels/registry.ts';
import { notifyResolution } from './notify.ts';

/** A resolved case tells everyone who reported it, with the resolution, in its own transaction. */
export function subscribeDuplicates(db: Db, deps: { channels: ChannelRegistry; config: Pick<Config, 'publicUrl'> }): void {
  subscribeInTransaction(db, 'case.resolved', (e, tx) =>
    notifyResolution(tx, deps, e.case, {
      actor: e.actor,
      staffName: e.staffName,
      teamName: e.teamName,
      ownReporterAnswered: e.ownReporterAnswered,
      now: e.at,
    }),
  );
}
