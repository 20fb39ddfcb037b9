import { boolean, index, integer, jsonb, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { cases } from './cases.ts';
import { channelAccounts } from './channel-accounts.ts';
import { contacts } from './contacts.ts';

/** Which transport delivers an outbox row; one delivery job per kind. */
export const outboxKinds = ['email', 'mastodon', 'fediverse', 'bluesky', 'telegram'] as const;
export type OutboxKind = (typeof outboxKinds)[number];

export const outboxStatuses = ['queued', 'sending', 'sent', 'stored', 'failed'] as const;
export type OutboxStatus = (typeof outboxStatuses)[number];

/**
 * The one outbox: every outbound item of every channel (a reply mail, an acknowledgement, a rule's
 * notice, later a Mastodon reply) is written here in the same transaction as the change that caused
 * it. After commit the delivery job of its kind claims the row with a conditional update, so nothing
 * is lost and nothing is sent twice (ADR 0003, ADR 0007).
 */
export const outbox = pgTable(
  'outbox',
  {
    id: serial('id').primaryKey(),
    kind: text('kind', { enum: outboxKinds }).notNull(),
    /** The account that sends (a town mailbox); null: the platform's own SMTP settings. */
    channelAccountId: integer('channel_account_id').references(() => channelAccounts.id, { onDelete: 'set null' }),
    contactId: integer('contact_id').references(() => contacts.id, { onDelete: 'set null' }),
    /** The address as it was when written (a contact may change or be erased later). */
    address: text('address').notNull(),
    caseId: integer('case_id').references(() => cases.id, { onDelete: 'set null' }),
    /** What the transport needs, validated by its adapter (mail: subject, text, references …). */
    payload: jsonb('payload').notNull(),
    /** What this item answers, in the channel's own terms (mail: the Message-ID it replies to). */
    threadRef: text('thread_ref'),
    /** Our own id of the item once known (mail: the Message-ID we gave it), for threading answers. */
    externalRef: text('external_ref'),
    /** Unique: writing the same item twice (a replayed job, a double click) stores it once. */
    idempotencyKey: text('idempotency_key').notNull().unique(),
    /** Sent by the system, not by a person: counted against the per-address daily cap, marked Auto-Submitted. */
    automatic: boolean('automatic').notNull().default(false),
    status: text('status', { enum: outboxStatuses }).notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    claimedAt: timestamp('claimed_at', { withTimezone: true }),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [
    index('outbox_items_created_idx').on(t.createdAt.desc()),
    index('outbox_items_status_idx').on(t.status, t.kind),
    index('outbox_items_case_idx').on(t.caseId),
    index('outbox_items_address_idx').on(t.address, t.createdAt),
    index('outbox_items_external_idx').on(t.externalRef),
  ],
);
