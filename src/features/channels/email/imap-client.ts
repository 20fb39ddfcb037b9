import { ImapFlow } from 'imapflow';
import type { EmailSettings } from '../accounts/email-settings.ts';

/**
 * One way to build an IMAP client from an account's settings, for the connection test and the
 * intake alike: the security setting says exactly what happens (STARTTLS required when chosen,
 * never attempted on "plain"), and the library never logs (its lines would hold addresses).
 */
export function createImapClient(imap: EmailSettings['imap'], password: string, opts: { timeoutMs: number; autoIdle: boolean }): ImapFlow {
  const client = new ImapFlow({
    host: imap.host,
    port: imap.port,
    secure: imap.security === 'imaps',
    doSTARTTLS: imap.security === 'starttls',
    auth: { user: imap.user, pass: password },
    logger: false,
    connectionTimeout: opts.timeoutMs,
    greetingTimeout: opts.timeoutMs,
    socketTimeout: opts.autoIdle ? undefined : opts.timeoutMs,
    disableAutoIdle: !opts.autoIdle,
    // IDLE starts after two quiet seconds (the library's default is 15), so new mail is seen within seconds.
    ...(opts.autoIdle ? { autoIdleDelay: 2000 } : {}),
  });
  return client;
}
