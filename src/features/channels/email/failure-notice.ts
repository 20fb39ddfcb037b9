import { and, eq } from 'drizzle-orm';
import type { Config } from '../../../config.ts';
import type { Db } from '../../../infra/db.ts';
import { subscribe } from '../../../infra/events.ts';
import { enqueueMail, newMessageId } from '../../../infra/outbox-mail.ts';
import { users } from '../../../infra/schema/index.ts';
import { WARN_AFTER_FAILURES } from './intake-status.ts';

declare module '../../../infra/events.ts' {
  interface DomainEvents {
    /** A mailbox failed WARN_AFTER_FAILURES rounds in a row (emitted once per outage). */
    'channel.failing': { accountId: number; name: string; error: string };
  }
}

/** Tells every active admin by mail that a mailbox stopped working; the banner says it on the admin pages. */
export function subscribeFailureNotice(db: Db, config: Pick<Config, 'publicUrl' | 'townName'>): void {
  subscribe(db, 'channel.failing', async ({ accountId, name, error }) => {
    await db.transaction(async (tx) => {
      const admins = await tx
        .select({ email: users.email, name: users.displayName })
        .from(users)
        .where(and(eq(users.role, 'admin'), eq(users.active, true)));
      for (const admin of admins) {
        await enqueueMail(tx, {
          caseId: null,
          to: admin.email,
          subject: `Postfach „${name}“ ist gestört`,
          text: [
            `Hallo ${admin.name},`,
            '',
            `das Postfach „${name}“ ließ sich ${WARN_AFTER_FAILURES}-mal hintereinander nicht abrufen. Zuletzt: ${error}`,
            '',
            'Solange das so bleibt, kommen Mails an dieses Postfach nicht als Anliegen an. Sobald der Server wieder antwortet, holt der Abruf alles nach; Sie müssen dafür nichts tun.',
            `Status und „Jetzt abrufen“: ${config.publicUrl}/admin/kanaele/${accountId}`,
            '',
            `Ihr Amtsblatt 2.0 für ${config.townName}`,
          ].join('\n'),
          messageId: newMessageId(config.publicUrl, null),
          automatic: true,
        });
      }
    });
  });
}
