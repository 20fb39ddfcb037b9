import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { teams, users } from './org.ts';

/**
 * Textbaustein: a reply template with {{variables}}, for one team or (team_id null) for everyone.
 * Deleting a team deletes its templates; a global one survives any team.
 */
export const replyTemplates = pgTable(
  'reply_templates',
  {
    id: serial('id').primaryKey(),
    teamId: integer('team_id').references(() => teams.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    body: text('body').notNull(),
    updatedBy: integer('updated_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('reply_templates_team_idx').on(t.teamId), index('reply_templates_title_idx').using('btree', sql`lower(${t.title})`)],
);

/**
 * How a team works its queue: the closing of its reply mails (instead of the generic one) and
 * round-robin assignment of new cases, with the member who got the last one as the pointer.
 */
export const teamSettings = pgTable('team_settings', {
  teamId: integer('team_id')
    .primaryKey()
    .references(() => teams.id, { onDelete: 'cascade' }),
  signature: text('signature'),
  roundRobin: boolean('round_robin').notNull().default(false),
  roundRobinLastUserId: integer('round_robin_last_user_id').references(() => users.id, { onDelete: 'set null' }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
