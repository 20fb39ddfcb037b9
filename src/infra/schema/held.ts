import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { cases } from './cases.ts';
import { channelAccounts } from './channel-accounts.ts';
import { users } from './org.ts';

/**
 * "Nicht zugeordnet": inbound items that did not become a case for a team, because they look like
 * spam or a newsletter, or say nothing. Staff look through them and take one over as a case or
 * discard it; nothing is thrown away unseen.
 */
export const heldMessages = pgTable(
  'held_messages',
  {
    id: serial('id').primaryKey(),
    channelAccountId: integer('channel_account_id').references(() => channelAccounts.id, { onDelete: 'set null' }),
    /** The channel's own id (Message-ID or raw hash): a replay is held once. */
    externalId: text('external_id').notNull(),
    reason: text('reason').notNull(),
    sender: text('sender'),
    subject: text('subject'),
    body: text('body').notNull(),
    /** Whatever the adapter needs to make a case of it later (thread keys, attachments' storage keys). */
    details: jsonb('details').notNull().default({}),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decidedBy: integer('decided_by').references(() => users.id, { onDelete: 'set null' }),
    caseId: integer('case_id').references(() => cases.id, { onDelete: 'set null' }),
  },
  (t) => [
    uniqueIndex('held_external_idx').on(t.channelAccountId, t.externalId),
    index('held_received_idx').on(t.receivedAt.desc()),
    // The queue and its count in the navigation read only what is still undecided.
    index('held_open_idx').on(t.receivedAt.desc(), t.id.desc()).where(sql`${t.decidedAt} is null`),
  ],
);
