import { boolean, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { postKinds } from './amtsblatt.ts';
import { users } from './org.ts';

/** editor: writes and submits posts; approver: also approves other people's posts. */
export const amtsblattRoleNames = ['editor', 'approver'] as const;
export type AmtsblattRoleName = (typeof amtsblattRoleNames)[number];

/**
 * Who works on the Amtsblatt: an editor writes and submits posts, an approver also approves the
 * posts of others (never their own). Admins may always do both. A row per staff member keeps the
 * users table untouched: most staff answer cases and never write for the Amtsblatt.
 */
export const amtsblattRoles = pgTable('amtsblatt_roles', {
  userId: integer('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  role: text('role', { enum: amtsblattRoleNames }).notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Whether a kind needs a second person's approval. Official notices always do, whatever this says. */
export const postKindSettings = pgTable('post_kind_settings', {
  kind: text('kind', { enum: postKinds }).primaryKey(),
  requiresApproval: boolean('requires_approval').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * The last number given to an official notice per year. Incremented in the publishing transaction
 * (a row lock), so numbers come without gaps: a rolled-back publication gives its number back.
 */
export const noticeCounters = pgTable('notice_counters', {
  year: integer('year').primaryKey(),
  lastNumber: integer('last_number').notNull(),
});
