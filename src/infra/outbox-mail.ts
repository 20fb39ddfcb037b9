import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { DbOrTx } from './db.ts';
import { type Enqueued, enqueueOutbound } from './outbox.ts';

/**
 * The extra header fields a mail may carry, by name. Only these: a mail's headers are ours to
 * choose (From, Auto-Submitted, Message-ID are set by the transport), and RFC 8058 one-click
 * unsubscribe needs exactly this pair.
 */
export const extraMailHeaders = ['List-Unsubscribe', 'List-Unsubscribe-Post'] as const;
export type ExtraMailHeader = (typeof extraMailHeaders)[number];

/** One line of printable ASCII: a header value can never start a header of its own. */
const headerValue = z
  .string()
  .max(900)
  .regex(/^[\x20-\x7e]*$/);

/** What a mail row of the outbox carries; the mail transport checks it before sending. */
export const mailPayload = z.object({
  subject: z.string().max(998),
  text: z.string(),
  inReplyTo: z.string().nullable().default(null),
  references: z.array(z.string()).default([]),
  headers: z.partialRecord(z.enum(extraMailHeaders), headerValue).default({}),
});
export type MailPayload = z.infer<typeof mailPayload>;

/** A Message-ID in our own domain; stored before sending, so replies to it can be threaded. */
export function newMessageId(publicUrl: string, caseNumber: string | null): string {
  const host = new URL(publicUrl).hostname || 'amtsblatt.local';
  return `<${caseNumber ? `anliegen-${caseNumber}.` : ''}${randomBytes(9).toString('base64url')}@${host}>`;
}

/** The thread key a mail's Message-ID gets on a message (intake looks answers up by it). */
export const mailThreadKey = (messageId: string) => `email:${messageId}`;

export interface MailDraft {
  caseId: number | null;
  to: string;
  subject: string;
  text: string;
  messageId: string;
  inReplyTo?: string | null;
  references?: string[];
  /** Written by the system (acknowledgement, notice): marked Auto-Submitted, capped per citizen address. */
  automatic?: boolean;
  contactId?: number | null;
  /** The town mailbox it leaves from; null: the platform's own sender. */
  channelAccountId?: number | null;
  /** Default: the Message-ID, so the same mail is never written twice. */
  idempotencyKey?: string;
  /** Allow-listed extra header fields (one-click unsubscribe). */
  headers?: Partial<Record<ExtraMailHeader, string>>;
}

/** Writes a mail to the one outbox inside the caller's transaction; it is delivered after commit. */
export function enqueueMail(tx: DbOrTx, draft: MailDraft): Promise<Enqueued> {
  const payload: MailPayload = {
    subject: draft.subject,
    text: draft.text,
    inReplyTo: draft.inReplyTo ?? null,
    references: draft.references ?? [],
    headers: mailPayload.shape.headers.parse(draft.headers ?? {}),
  };
  return enqueueOutbound(tx, {
    kind: 'email',
    address: draft.to,
    caseId: draft.caseId,
    contactId: draft.contactId ?? null,
    channelAccountId: draft.channelAccountId ?? null,
    payload,
    threadRef: draft.inReplyTo ?? null,
    externalRef: draft.messageId,
    idempotencyKey: draft.idempotencyKey ?? `mail:${draft.messageId}`,
    automatic: draft.automatic ?? false,
  });
}
