import { eq } from 'drizzle-orm';
import type { Clock } from '../../infra/clock.ts';
import type { Db } from '../../infra/db.ts';
import type { Logger } from '../../infra/log.ts';
import { enqueueMail, newMessageId } from '../../infra/outbox-mail.ts';
import type { Queue } from '../../infra/queue.ts';
import { users } from '../../infra/schema/index.ts';
import { greeting } from '../channels/mail-texts.ts';
import type { ThrottleKeys } from './throttle-keys.ts';
import { claimNotice } from './throttle-queries.ts';

export interface NoticeDeps {
  db: Db;
  clock: Clock;
  queue: Queue;
  log: Logger;
  publicUrl: string;
  townName: string;
}

const dateTime = new Intl.DateTimeFormat('de-DE', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Berlin' });
const at = (d: Date) => `${dateTime.format(d)} Uhr`;

/**
 * The mail to an account holder whose sign-in got throttled. It names no client address: the
 * address may belong to someone else (a colleague behind the same router, or the guesser), it is
 * personal data of that person, and a shortened one would tell the holder nothing useful. The
 * administration sees the counters on /admin/anmeldungen.
 */
export function throttleNoticeText(p: {
  name: string;
  failures: number;
  firstFailureAt: Date;
  lastFailureAt: Date;
  publicUrl: string;
  townName: string;
}): string {
  const when =
    p.firstFailureAt.getTime() === p.lastFailureAt.getTime()
      ? `am ${at(p.lastFailureAt)}`
      : `zwischen ${at(p.firstFailureAt)} und ${at(p.lastFailureAt)}`;
  return [
    greeting(p.name),
    '',
    `bei Ihrem Zugang gab es ${when} ${p.failures} ${p.failures === 1 ? 'fehlgeschlagenen Anmeldeversuch' : 'fehlgeschlagene Anmeldeversuche'}.`,
    'Zum Schutz prüfen wir weitere Versuche jetzt nur noch mit wachsenden Pausen dazwischen.',
    '',
    'Für Sie ist nichts gesperrt: Am Gerät, an dem Sie sich sonst anmelden, geht es wie gewohnt weiter.',
    '',
    'Waren Sie das selbst, etwa mit einem vertippten Passwort? Dann ist alles in Ordnung.',
    'Wenn nicht: Diese Versuche sind gescheitert. Falls Sie Ihr Passwort auch anderswo verwenden oder unsicher sind, bitten Sie die Verwaltung, es neu zu setzen.',
    `Anmelden können Sie sich wie gewohnt: ${p.publicUrl}/anmelden`,
    '',
    'Viele Grüße',
    `Ihre Stadt ${p.townName}`,
    '',
    '--',
    'Diese Nachricht wurde automatisch verschickt, höchstens einmal pro Stunde.',
  ].join('\n');
}

/** Queues the notice for a throttled account, unless its holder heard from us within the hour. */
export async function noticeThrottledAccount(deps: NoticeDeps, keys: ThrottleKeys, userId: number): Promise<void> {
  const now = deps.clock.now();
  const queued = await deps.db.transaction(async (tx) => {
    const figures = await claimNotice(tx, keys, now);
    if (!figures) return false;
    const [user] = await tx.select({ email: users.email, name: users.displayName }).from(users).where(eq(users.id, userId));
    if (!user) return false;
    await enqueueMail(tx, {
      caseId: null,
      to: user.email,
      subject: 'Fehlgeschlagene Anmeldeversuche bei Ihrem Zugang',
      text: throttleNoticeText({ name: user.name, ...figures, publicUrl: deps.publicUrl, townName: deps.townName }),
      messageId: newMessageId(deps.publicUrl, null),
      automatic: true,
    });
    return true;
  });
  if (queued) deps.log.info({ userId }, 'sign-in throttle notice queued');
}
