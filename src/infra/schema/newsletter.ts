import { sql } from 'drizzle-orm';
import { index, integer, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { contacts } from './contacts.ts';

/**
 * Newsletter of the Amtsblatt: one row per address and choice, confirmed by double opt-in. Empty
 * `kinds`/`tags` mean "all"; a post is mailed when it matches a chosen kind (or any) and a chosen tag
 * (or any). The token confirms, manages and unsubscribes (RFC 8058 one click).
 */
export const newsletterSubscriptions = pgTable(
  'newsletter_subscriptions',
  {
    id: serial('id').primaryKey(),
    contactId: integer('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    kinds: text('kinds').array().notNull().default(sql`'{}'::text[]`),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    token: text('token').notNull().unique(),
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
    unsubscribedAt: timestamp('unsubscribed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('newsletter_subscriptions_contact_idx').on(t.contactId),
    // The sending job walks the live subscribers by id in batches.
    index('newsletter_subscriptions_live_idx').on(t.id).where(sql`${t.confirmedAt} is not null and ${t.unsubscribedAt} is null`),
  ],
);
