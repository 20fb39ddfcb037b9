import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';

export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  /** Our own Message-ID, generated before sending so it can be stored for threading. */
  messageId: string;
  inReplyTo?: string;
  references?: string[];
  /** Set on automatic mails (acknowledgements) so other robots do not answer them (RFC 3834). */
  autoSubmitted?: boolean;
  /** Further header fields, already checked against the outbox's allow-list (outbox-mail.ts). */
  headers?: Record<string, string>;
}

export interface Mailer {
  /** 'sent' over SMTP, or 'stored' as an .eml file when no SMTP server is configured. */
  readonly mode: 'smtp' | 'file';
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

function toNodemailer(mail: OutgoingMail) {
  return {
    from: mail.from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    messageId: mail.messageId,
    ...(mail.inReplyTo ? { inReplyTo: mail.inReplyTo } : {}),
    ...(mail.references?.length ? { references: mail.references } : {}),
    headers: {
      ...mail.headers,
      ...(mail.autoSubmitted ? { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' } : {}),
    },
  };
}

/** Over SMTP: from a URL (the platform's SMTP_URL) or the options of a town mailbox. */
export function smtpMailer(target: string | Parameters<typeof nodemailer.createTransport>[0]): Mailer {
  const transport = nodemailer.createTransport(target);
  return {
    mode: 'smtp',
    async send(mail) {
      await transport.sendMail(toNodemailer(mail));
    },
    close: () => transport.close(),
  };
}

/** Without SMTP (the demo) mails land as .eml files in an outbox folder, listed on a staff page. */
export function fileMailer(dir: string): Mailer {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    mode: 'file',
    async send(mail) {
      const info = await transport.sendMail(toNodemailer(mail));
      await mkdir(dir, { recursive: true });
      const safeName = mail.messageId.replace(/[^a-zA-Z0-9.@-]/g, '_');
      await writeFile(join(dir, `${safeName}.eml`), info.message as Buffer);
    },
    close: () => {},
  };
}
