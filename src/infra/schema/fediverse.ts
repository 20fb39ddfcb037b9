import { index, jsonb, pgTable, primaryKey, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * Fedify's key–value store (its caches of remote keys and documents, inbox idempotence): one row
 * per key, the key as Fedify gives it (a list of strings), so a prefix listing is one comparison.
 */
export const fediverseKv = pgTable(
  'fediverse_kv',
  {
    key: text('key').array().notNull(),
    value: jsonb('value').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.key] }), index('fediverse_kv_expires_idx').on(t.expiresAt)],
);

/** The actors that follow the town's own actor; deliveries to "followers" go to their inboxes. */
export const fediverseFollowers = pgTable('fediverse_followers', {
  actorUri: text('actor_uri').primaryKey(),
  handle: text('handle'),
  inboxUri: text('inbox_uri').notNull(),
  sharedInboxUri: text('shared_inbox_uri'),
  followId: text('follow_id').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * The Notes the town's actor has written (answers to citizens, published posts), so that the
 * object and outbox dispatchers can serve them and Update/Delete can name them. `to`/`cc` are the
 * addressing exactly as sent; `attachments` the images with their descriptions.
 */
export const fediverseNotes = pgTable(
  'fediverse_notes',
  {
    id: serial('id').primaryKey(),
    uuid: text('uuid').notNull(),
    contentHtml: text('content_html').notNull(),
    to: jsonb('to').$type<string[]>().notNull(),
    cc: jsonb('cc').$type<string[]>().notNull(),
    /** Actor URIs and handles named in Mention tags. */
    mentions: jsonb('mentions').$type<{ href: string; name: string }[]>().notNull().default([]),
    inReplyTo: text('in_reply_to'),
    attachments: jsonb('attachments').$type<{ url: string; mediaType: string; alt: string }[]>().notNull().default([]),
    publishedAt: timestamp('published_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('fediverse_notes_uuid_idx').on(t.uuid), index('fediverse_notes_published_idx').on(t.publishedAt)],
);
