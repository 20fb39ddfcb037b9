import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgTable, primaryKey, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { followupsAfterClose } from './enums.ts';

/** Team / Stelle: Leitstelle, Innovationsmanagement, a Fachamt or an external utility. */
export const teams = pgTable('teams', {
  id: serial('id').primaryKey(),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  email: text('email'),
  /** A citizen writes again about a closed case: reopen it, or open a new case linked to it. */
  followupAfterClose: text('followup_after_close', { enum: followupsAfterClose }).notNull().default('reopen'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const userRoles = ['admin', 'staff'] as const;
export type UserRole = (typeof userRoles)[number];

export const users = pgTable(
  'users',
  {
    id: serial('id').primaryKey(),
    email: text('email').notNull(),
    displayName: text('display_name').notNull(),
    passwordHash: text('password_hash').notNull(),
    role: text('role', { enum: userRoles }).notNull().default('staff'),
    active: boolean('active').notNull().default(true),
    lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('users_email_lower_idx').using('btree', sql`lower(${t.email})`)],
);

export const teamMembers = pgTable(
  'team_members',
  {
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    teamId: integer('team_id')
      .notNull()
      .references(() => teams.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.userId, t.teamId] })],
);

/** Server-side sessions, so a log-out or a locked account ends them on every app process. */
export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('sessions_user_idx').on(t.userId), index('sessions_expires_idx').on(t.expiresAt)],
);

export const throttleScopes = ['pair', 'account', 'address'] as const;
export type ThrottleScope = (typeof throttleScopes)[number];

/**
 * Failed sign-ins, counted per (account, client address), per account and per client address
 * (see features/auth/throttle-policy.ts). Keys are HMAC-SHA256 hashes, never e-mails or addresses in
 * clear; `user_id` is set only when the account exists, so admins can name whose throttle it is.
 * Rows go 24 hours after their last failure (auth.sweep-throttles).
 */
export const loginThrottles = pgTable(
  'login_throttles',
  {
    id: serial('id').primaryKey(),
    scope: text('scope', { enum: throttleScopes }).notNull(),
    keyHash: text('key_hash').notNull(),
    userId: integer('user_id').references(() => users.id, { onDelete: 'cascade' }),
    failures: integer('failures').notNull(),
    firstFailureAt: timestamp('first_failure_at', { withTimezone: true }).notNull(),
    lastFailureAt: timestamp('last_failure_at', { withTimezone: true }).notNull(),
    /** Set once the free attempts are used up: no attempt is checked before this instant. */
    blockedUntil: timestamp('blocked_until', { withTimezone: true }),
    /** Account rows: when the holder was last told about the failures (at most once an hour). */
    notifiedAt: timestamp('notified_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('login_throttles_key_idx').on(t.scope, t.keyHash),
    index('login_throttles_user_idx').on(t.userId),
    index('login_throttles_last_failure_idx').on(t.lastFailureAt),
  ],
);
