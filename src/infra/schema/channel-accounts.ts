import { sql } from 'drizzle-orm';
import { boolean, integer, jsonb, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { caseTypes } from './enums.ts';
import { teams } from './org.ts';

export const channelAccountKinds = ['email', 'mastodon', 'fediverse', 'bluesky', 'telegram'] as const;
export type ChannelAccountKind = (typeof channelAccountKinds)[number];

/**
 * A mailbox (later: a fax gateway, a social media account …) the town receives and answers on.
 * `settings` holds what may be shown (hosts, ports, user names), validated per kind by the
 * accounts feature; `secrets` holds the sealed JSON of passwords and tokens (infra/secrets.ts),
 * never shown again. The status columns record the last contact with the server.
 */
export const channelAccounts = pgTable(
  'channel_accounts',
  {
    id: serial('id').primaryKey(),
    kind: text('kind', { enum: channelAccountKinds }).notNull(),
    name: text('name').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    defaultTeamId: integer('default_team_id').references(() => teams.id, { onDelete: 'set null' }),
    defaultType: text('default_type', { enum: caseTypes }),
    signature: text('signature'),
    settings: jsonb('settings').notNull(),
    secrets: text('secrets').notNull(),
    lastSuccessAt: timestamp('last_success_at', { withTimezone: true }),
    lastError: text('last_error'),
    lastErrorAt: timestamp('last_error_at', { withTimezone: true }),
    consecutiveFailures: integer('consecutive_failures').notNull().default(0),
    /** Where intake stopped, per kind (IMAP: UIDVALIDITY and the last UID taken in), so it resumes there. */
    cursor: jsonb('cursor').notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('channel_accounts_name_lower_idx').using('btree', sql`lower(${t.name})`)],
);
