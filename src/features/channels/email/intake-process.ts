import type { Config } from '../../../config.ts';
import type { Clock } from '../../../infra/clock.ts';
import type { Database } from '../../../infra/db.ts';
import type { Logger } from '../../../infra/log.ts';
import type { SecretBox } from '../../../infra/secrets.ts';
import { createMailIntake } from './imap-intake.ts';
import type { MailHandler, MailIntake, TooLargeHook } from './intake-types.ts';

/**
 * The mail intake of a process, or null when MAIL_INTAKE=off or no handler is given. Every process
 * builds it (so "Jetzt abrufen" works in a web-only process, with a connection of its own); only the
 * process that runs the jobs calls start().
 */
export function mailIntakeFor(
  infra: { config: Config; database: Database; log: Logger; clock: Clock; secrets: SecretBox },
  handler: MailHandler | undefined,
  onTooLarge?: TooLargeHook,
): MailIntake | null {
  if (!infra.config.mailIntake || !handler) return null;
  return createMailIntake({
    db: infra.database.db,
    log: infra.log.child({ module: 'mail-intake' }),
    clock: infra.clock,
    secrets: infra.secrets,
    handler,
    ...(onTooLarge ? { onTooLarge } : {}),
  });
}
