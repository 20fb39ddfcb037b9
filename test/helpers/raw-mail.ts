import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type Mail from 'nodemailer/lib/mailer/index.js';

/** Inbound mails for tests, built the way a mail client would send them. */
export function composeMail(options: Mail.Options): Promise<Buffer> {
  return new MailComposer({ from: 'Erika Mustermann <erika@example.org>', to: 'buergerservice@musterstadt.de', ...options })
    .compile()
    .build();
}

/** A hand-written raw mail: "\n" becomes CRLF, as on the wire; `latin1` writes one byte per character (8-bit charsets). */
export function rawMail(text: string, encoding: 'utf8' | 'latin1' = 'utf8'): Buffer {
  return Buffer.from(text.replace(/\r?\n/g, '\r\n'), encoding);
}

export const OWN = { ownDomains: ['musterstadt.de'] };
