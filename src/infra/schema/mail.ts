import { index, integer, jsonb, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { cases } from './cases.ts';
import { outboxStatuses } from './outbox.ts';

/**
 * Every outgoing mail is written here first, in the same transaction as the change that caused it;
 * a job then delivers it (SMTP) or stores it as .eml (no SMTP configured). So a reply is never lost
 * and never sent twice.
 */
export const outboxMails = pgTable(
  'outbox_mails',
  {
    id: serial('id').primaryKey(),
    caseId: integer('case_id').references(() => cases.id, { onDelete: 'set null' }),
    toAddress: text('to_address').notNull(),
    subject: text('subject').notNull(),
    text: text('text').notNull(),
    messageId: text('message_id').notNull().unique(),
    inReplyTo: text('in_reply_to'),
    references: jsonb('references').$type<string[]>().notNull().default([]),
    status: text('status', { enum: outboxStatuses }).notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    claimedAt: timestamp('claimed_at', { withTimezone: true }),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [index('outbox_created_idx').on(t.createdAt.desc()), index('outbox_status_idx').on(t.status)],
);
