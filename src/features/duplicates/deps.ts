import type { Config } from '../../config.ts';
import type { AppDeps } from '../../http/deps.ts';
import type { Clock } from '../../infra/clock.ts';
import type { Db } from '../../infra/db.ts';
import type { Logger } from '../../infra/log.ts';
import type { Queue } from '../../infra/queue.ts';
import type { Storage } from '../../infra/storage.ts';
import type { ChannelRegistry } from '../channels/registry.ts';

/** What the duplicate services use; built once per app from its infrastructure. */
export interface DuplicatesDeps {
  db: Db;
  queue: Queue;
  storage: Storage;
  clock: Clock;
  log: Logger;
  channels: ChannelRegistry;
  config: Pick<Config, 'publicUrl' | 'townName' | 'bundesland' | 'classifierMinConfidence'>;
}

export function duplicatesDeps(deps: AppDeps): DuplicatesDeps {
  return {
    db: deps.database.db,
    queue: deps.queue,
    storage: deps.storage,
    clock: deps.clock,
    log: deps.log.child({ module: 'duplicates' }),
    channels: deps.channels,
    config: deps.config,
  };
}
