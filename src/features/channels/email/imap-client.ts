import { ImapFlow } from 'imapflow';
import type { EmailSettings } from '../accounts/email-settings.ts';
import { tlsOptions } from '../accounts/tls.ts';

/**
 * One way to build an IMAP client from an account's settings, for the connection test and the
 * intake alike: the security setting says exactly what happens (STARTTLS required when chosen,
 * never attempted on "plain"), certificates are verified (tls.ts), and the library never logs (its
 * lines would hold addresses).
 */
export function createImapClient(
  settings: Pick<EmailSettings, 'imap' | 'caCertificate'>,
  password: string,
  opts: { timeoutMs: number; autoIdle: boolean },
): ImapFlow {
  const { imap } = settings;
  const client = new ImapFlow({
    host: imap.host,
    port: imap.port,
    secure: imap.security === 'imaps',
    // true: no STARTTLS offered means no login (the library refuses); false: never tried on "plain".
    doSTARTTLS: imap.security === 'starttls',
    tls: tlsOptions(settings),
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
