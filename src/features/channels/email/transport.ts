import type { Db } from '../../../infra/db.ts';
import type { Logger } from '../../../infra/log.ts';
import { type Mailer, smtpMailer } from '../../../infra/mailer.ts';
import type { Transport } from '../../../infra/outbox.ts';
import { type MailPayload, mailPayload } from '../../../infra/outbox-mail.ts';
import type { SecretBox } from '../../../infra/secrets.ts';
import { smtpOptions } from '../accounts/connection-test.ts';
import { findAccount, sealedSecretsOf } from '../accounts/queries.ts';
import { openSecrets } from '../accounts/service.ts';

const SEND_TIMEOUT_MS = 30_000;

/**
 * Delivers the outbox's mail rows. A row written for a town mailbox leaves through that mailbox's
 * SMTP server with its sender address, so the citizen's answer comes back into the same box; every
 * other mail (staff notices, the platform's own) through the platform's mailer. Automatic rows carry
 * `Auto-Submitted: auto-replied` (RFC 3834), so other robots do not answer them.
 */
export function mailTransport(deps: { db: Db; mailer: Mailer; mailFrom: string; secrets: SecretBox; log: Logger }): Transport<MailPayload> {
  // One SMTP connection pool per mailbox, rebuilt when the account's settings change.
  const mailers = new Map<number, { version: number; mailer: Mailer; from: string }>();
  async function accountMailer(id: number) {
    const account = await findAccount(deps.db, id);
    const sealed = await sealedSecretsOf(deps.db, id);
    if (!account || sealed === undefined) throw new Error('Das Postfach, über das diese Mail gehen sollte, gibt es nicht mehr.');
    if (!account.enabled) throw new Error(`Das Postfach „${account.name}“ ist abgeschaltet; die Mail wartet, bis es wieder an ist.`);
    const version = account.updatedAt.getTime();
    const known = mailers.get(id);
    if (known?.version === version) return known;
    known?.mailer.close();
    const fresh = {
      version,
      mailer: smtpMailer(smtpOptions(account.settings, openSecrets(deps.secrets, sealed), SEND_TIMEOUT_MS)),
      from: account.settings.from,
    };
    mailers.set(id, fresh);
    return fresh;
  }
  return {
    kind: 'email',
    payload: mailPayload,
    async deliver(row, payload) {
      if (!row.externalRef) throw new Error('mail row without Message-ID');
      const via = row.channelAccountId ? await accountMailer(row.channelAccountId) : { mailer: deps.mailer, from: deps.mailFrom };
      await via.mailer.send({
        from: via.from,
        to: row.address,
        subject: payload.subject,
        text: payload.text,
        messageId: row.externalRef,
        ...(payload.inReplyTo ? { inReplyTo: payload.inReplyTo } : {}),
        references: payload.references,
        autoSubmitted: row.automatic,
        headers: payload.headers,
      });
      return { status: via.mailer.mode === 'smtp' ? 'sent' : 'stored' };
    },
  };
}
