import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Config } from '../config.ts';
import { createPublisherRegistry } from '../features/channels/publishers.ts';
import { createChannelRegistry } from '../features/channels/registry.ts';
import type { AppDeps } from '../http/deps.ts';
import { subscribeAll } from '../subscribers.ts';
import { systemClock } from './clock.ts';
import { type Database, openDatabase, runMigrations } from './db.ts';
import type { Logger } from './log.ts';
import { fileMailer, type Mailer, smtpMailer } from './mailer.ts';
import { createQueue } from './queue.ts';
import { createSecretBox, localSecretKey } from './secrets.ts';
import { fileStorage } from './storage.ts';

export interface Infrastructure extends AppDeps {
  mailer: Mailer;
  sessionSecret: string;
  close(): Promise<void>;
}

/**
 * Opens everything a process needs, in order, from the configuration. Used by main.ts only.
 * `purpose` ("amtsblatt serve") is what a second opener of the embedded database is told; it is
 * refused with DataDirBusyError while this process runs.
 */
export async function createInfrastructure(config: Config, log: Logger, opts: { purpose?: string } = {}): Promise<Infrastructure> {
  const dataDir = resolve(config.dataDir);
  const database: Database = await openDatabase({ url: config.databaseUrl, dataDir, log, purpose: opts.purpose });
  await runMigrations(database);
  const queue = await createQueue(database, log.child({ module: 'queue' }));
  const mailer = config.smtpUrl ? smtpMailer(config.smtpUrl) : fileMailer(join(dataDir, 'outbox'));
  const channels = createChannelRegistry({ publicUrl: config.publicUrl, townName: config.townName });
  subscribeAll({ database, queue, log, clock: systemClock, config, channels });
  return {
    config,
    database,
    queue,
    mailer,
    storage: fileStorage(join(dataDir, 'uploads')),
    clock: systemClock,
    log,
    channels,
    publishers: createPublisherRegistry(),
    secrets: createSecretBox(config.secretKey ?? localSecretKey(dataDir)),
    sessionSecret: config.sessionSecret ?? localSessionSecret(dataDir),
    async close() {
      await queue.stop();
      mailer.close();
      await database.close();
    },
  };
}

/** Without SESSION_SECRET (the demo) a random secret is kept in the data folder, so restarts keep sessions. */
function localSessionSecret(dataDir: string): string {
  const file = join(dataDir, 'session-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
