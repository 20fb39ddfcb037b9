import type { Config } from '../config.ts';
import type { MailIntake } from '../features/channels/email/intake-types.ts';
import type { ChannelRegistry } from '../features/channels/registry.ts';
import type { PublisherRegistry } from '../features/channels/types.ts';
import type { Clock } from '../infra/clock.ts';
import type { Database } from '../infra/db.ts';
import type { Logger } from '../infra/log.ts';
import type { Queue } from '../infra/queue.ts';
import type { SecretBox } from '../infra/secrets.ts';
import type { Storage } from '../infra/storage.ts';

/** Everything buildApp receives. Only main.ts and the test helpers construct these. */
export interface AppDeps {
  config: Config;
  database: Database;
  queue: Queue;
  storage: Storage;
  clock: Clock;
  log: Logger;
  /** Picks the outbound adapter for a case: answers go back the way the message came. */
  channels: ChannelRegistry;
  /** The publishing sides of the town's social accounts, by kind (the Amtsblatt posts through them). */
  publishers: PublisherRegistry;
  /** Seals and opens the stored passwords of channel accounts. */
  secrets: SecretBox;
  /** Fetches the e-mail accounts ("Jetzt abrufen"); absent when MAIL_INTAKE=off or no mail handler is wired. */
  mailIntake?: MailIntake | null | undefined;
}
