import { type ConnectionOptions, getCACertificates } from 'node:tls';
import type { EmailSettings } from './email-settings.ts';

/**
 * The TLS options of every connection an account makes (IMAP and SMTP, intake, sending and the
 * connection test): certificates are always verified, at TLS 1.2 or newer. The town's own
 * certificate authority is trusted beside the usual ones (Node's `ca` would replace them), so a
 * box on an internal server and a sender at a public provider both work from one account.
 */
export function tlsOptions(settings: Pick<EmailSettings, 'caCertificate'>): ConnectionOptions {
  return {
    rejectUnauthorized: true,
    minVersion: 'TLSv1.2',
    ...(settings.caCertificate ? { ca: [...getCACertificates('default'), settings.caCertificate] } : {}),
  };
}
