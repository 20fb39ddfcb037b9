import { deskJobs } from './features/amtsblatt/desk/jobs.ts';
import { importJobs } from './features/amtsblatt/imports/jobs.ts';
import { newsletterJobs } from './features/amtsblatt/public/newsletter/send.ts';
import { linkCheckJobs } from './features/amtsblatt/writing/jobs.ts';
import { authJobs } from './features/auth/jobs.ts';
import { blueskyJobs } from './features/channels/bluesky/jobs.ts';
import { blueskyTransport } from './features/channels/bluesky/transport.ts';
import { intakeDepsOf } from './features/channels/email/receive-mail.ts';
import { mailTransport } from './features/channels/email/transport.ts';
import { fediverseJobs } from './features/channels/fediverse/jobs.ts';
import { fediverseTransport } from './features/channels/fediverse/transport.ts';
import { mastodonJobs, mastodonTransportOf } from './features/channels/mastodon/jobs.ts';
import { telegramJobs } from './features/channels/telegram/poll.ts';
import { telegramTransport } from './features/channels/telegram/transport.ts';
import { telegramDepsOf } from './features/channels/telegram/webhook.ts';
import { duplicatesJobs } from './features/duplicates/jobs.ts';
import { fixCheckJobs } from './features/fix-check/jobs.ts';
import { importDepsOf } from './features/open311-import/commands.ts';
import { open311ImportJobs } from './features/open311-import/jobs.ts';
import { publicFollowJobs } from './features/public-follow/jobs.ts';
import { classifierJobs } from './features/routing/classifier/jobs.ts';
import { slaJobs } from './features/sla/jobs.ts';
import { publicationJobs } from './features/transparency/publication/jobs.ts';
import type { AppDeps } from './http/deps.ts';
import type { Mailer } from './infra/mailer.ts';
import { outboxJobs } from './infra/outbox.ts';
import type { JobDefinition } from './infra/queue.ts';

export interface JobDeps extends AppDeps {
  mailer: Mailer;
}

/** The one registry of background jobs; the worker starts all of them. */
export function allJobs(deps: JobDeps): JobDefinition[] {
  const db = deps.database.db;
  return [
    ...outboxJobs({
      db,
      queue: deps.queue,
      clock: deps.clock,
      log: deps.log.child({ module: 'outbox' }),
      transports: [
        mailTransport({
          db,
          mailer: deps.mailer,
          mailFrom: deps.config.mailFrom,
          secrets: deps.secrets,
          log: deps.log.child({ module: 'mail' }),
        }),
        mastodonTransportOf(deps),
        blueskyTransport({
          db,
          secrets: deps.secrets,
          clock: deps.clock,
          storage: deps.storage,
          log: deps.log.child({ module: 'bluesky' }),
        }),
        fediverseTransport(deps),
        telegramTransport({
          db,
          secrets: deps.secrets,
          storage: deps.storage,
          clock: deps.clock,
          log: deps.log.child({ module: 'telegram' }),
        }),
      ],
    }),
    ...deskJobs({
      db,
      clock: deps.clock,
      log: deps.log.child({ module: 'amtsblatt-desk' }),
      storage: deps.storage,
      publishers: deps.publishers,
      publicUrl: deps.config.publicUrl,
    }),
    ...mastodonJobs(deps),
    ...blueskyJobs({ ...intakeDepsOf(deps), secrets: deps.secrets }),
    ...fediverseJobs(deps),
    ...authJobs({ db, clock: deps.clock, log: deps.log.child({ module: 'auth' }) }),
    ...newsletterJobs({ db, queue: deps.queue, clock: deps.clock, config: deps.config, log: deps.log.child({ module: 'newsletter' }) }),
    ...importJobs({ db, clock: deps.clock, log: deps.log.child({ module: 'editorial-imports' }) }),
    ...linkCheckJobs({ db, clock: deps.clock, log: deps.log.child({ module: 'link-check' }) }),
    ...classifierJobs({ db, log: deps.log.child({ module: 'classifier' }) }),
    ...duplicatesJobs({ db, storage: deps.storage, clock: deps.clock, log: deps.log.child({ module: 'duplicates' }) }),
    ...fixCheckJobs({
      db,
      clock: deps.clock,
      log: deps.log.child({ module: 'fix-check' }),
      channels: deps.channels,
      config: deps.config,
    }),
    ...open311ImportJobs(importDepsOf(deps)),
    ...publicFollowJobs({ db, clock: deps.clock, config: deps.config, log: deps.log.child({ module: 'public-follow' }) }),
    ...publicationJobs({ db, clock: deps.clock, log: deps.log.child({ module: 'publication' }) }),
    ...telegramJobs(telegramDepsOf(deps)),
    ...slaJobs({ db, queue: deps.queue, clock: deps.clock, log: deps.log.child({ module: 'sla' }), config: deps.config }),
  ];
}
