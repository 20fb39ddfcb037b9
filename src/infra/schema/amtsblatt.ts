import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  customType,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { channelAccounts } from './channel-accounts.ts';
import { users } from './org.ts';
import { outbox } from './outbox.ts';

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/**
 * Nachricht, Amtliche Bekanntmachung, Vorlage erklärt (a council document), Neue Regel erklärt,
 * Mitarbeiterporträt (only with the person's recorded consent), Termin/Veranstaltung.
 */
export const postKinds = ['news', 'notice', 'council', 'rule', 'portrait', 'event'] as const;
export type PostKind = (typeof postKinds)[number];

/** Entwurf → zur Freigabe → freigegeben → geplant → veröffentlicht; zurückgezogen ends a post's public life. */
export const postStatuses = ['draft', 'review', 'approved', 'scheduled', 'published', 'withdrawn'] as const;
export type PostStatus = (typeof postStatuses)[number];

/** Where a post appears. The website and the newsletter are the platform's own; the rest are channel accounts. */
export const postTargetKinds = ['website', 'newsletter', 'mastodon', 'fediverse', 'bluesky', 'telegram'] as const;
export type PostTargetKind = (typeof postTargetKinds)[number];

/** Each target of a post has its own state, error and retry. */
export const postTargetStatuses = ['pending', 'scheduled', 'publishing', 'published', 'failed', 'cancelled'] as const;
export type PostTargetStatus = (typeof postTargetStatuses)[number];

/**
 * Beitrag: one post of the town's Amtsblatt. `body` is Markdown (the website's text); the per-target
 * texts are in post_targets. An official notice gets its number (`noticeYear`/`noticeNumber`, gapless
 * per year) and its `contentSha256` when it is published; from then on it is immutable, a correction
 * is a new notice that names the one it corrects (`correctsPostId`).
 */
export const posts = pgTable(
  'posts',
  {
    id: serial('id').primaryKey(),
    /** The permanent address: /amtsblatt/<slug>. */
    slug: text('slug').notNull().unique(),
    kind: text('kind', { enum: postKinds }).notNull(),
    status: text('status', { enum: postStatuses }).notNull().default('draft'),
    title: text('title').notNull(),
    body: text('body').notNull().default(''),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    authorId: integer('author_id').references(() => users.id, { onDelete: 'set null' }),
    approvedById: integer('approved_by_id').references(() => users.id, { onDelete: 'set null' }),
    approvedAt: timestamp('approved_at', { withTimezone: true }),
    /** When it is to be published; null: as soon as it is approved (or by hand). */
    scheduledAt: timestamp('scheduled_at', { withTimezone: true }),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    locationText: text('location_text'),
    lat: doublePrecision('lat'),
    lon: doublePrecision('lon'),
    /** Termin/Veranstaltung. */
    eventStartsAt: timestamp('event_starts_at', { withTimezone: true }),
    eventEndsAt: timestamp('event_ends_at', { withTimezone: true }),
    eventPlace: text('event_place'),
    /** Vorlage erklärt: the council document's OParl id (its URL) and what it is called there. */
    councilDocumentUrl: text('council_document_url'),
    councilDocumentName: text('council_document_name'),
    /** Mitarbeiterporträt: the consent it rests on; revoking it unpublishes the post. */
    portraitConsentId: integer('portrait_consent_id').references((): AnyPgColumn => portraitConsents.id, { onDelete: 'restrict' }),
    noticeYear: integer('notice_year'),
    noticeNumber: integer('notice_number'),
    contentSha256: text('content_sha256'),
    correctsPostId: integer('corrects_post_id').references((): AnyPgColumn => posts.id, { onDelete: 'restrict' }),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    search: tsvector('search').generatedAlwaysAs(sql`to_tsvector('german'::regconfig, coalesce(title, '') || ' ' || coalesce(body, ''))`),
  },
  (t) => [
    uniqueIndex('posts_notice_number_idx').on(t.noticeYear, t.noticeNumber),
    index('posts_status_published_idx').on(t.status, t.publishedAt.desc(), t.id.desc()),
    index('posts_kind_published_idx').on(t.kind, t.publishedAt.desc()),
    index('posts_scheduled_idx').on(t.scheduledAt),
    index('posts_tags_idx').using('gin', t.tags),
    index('posts_search_idx').using('gin', t.search),
  ],
);

/** A photo of a post, metadata stripped when stored; alt text is required. */
export const postImages = pgTable(
  'post_images',
  {
    id: serial('id').primaryKey(),
    postId: integer('post_id')
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade' }),
    storageKey: text('storage_key').notNull(),
    thumbKey: text('thumb_key').notNull(),
    mimeType: text('mime_type').notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    bytes: integer('bytes').notNull(),
    alt: text('alt').notNull(),
    position: integer('position').notNull().default(0),
  },
  (t) => [index('post_images_post_idx').on(t.postId, t.position)],
);

/**
 * One target of a post with its own text (the variant within the target's length limit), state,
 * error and retry. Delivery to a social account goes through the one outbox (`outboxId`), whose
 * idempotency key per post, target and version makes sure nothing is posted twice.
 */
export const postTargets = pgTable(
  'post_targets',
  {
    id: serial('id').primaryKey(),
    postId: integer('post_id')
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade' }),
    target: text('target', { enum: postTargetKinds }).notNull(),
    /** The town's account for social targets; null for the website and the newsletter. */
    channelAccountId: integer('channel_account_id').references(() => channelAccounts.id, { onDelete: 'set null' }),
    text: text('text').notNull().default(''),
    status: text('status', { enum: postTargetStatuses }).notNull().default('pending'),
    outboxId: integer('outbox_id').references(() => outbox.id, { onDelete: 'set null' }),
    /** The network's id of the published item (a status id, an AT URI), for edits, deletes and replies. */
    externalRef: text('external_ref'),
    publicUrl: text('public_url'),
    lastError: text('last_error'),
    attempts: integer('attempts').notNull().default(0),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('post_targets_once_idx').on(t.postId, t.target, sql`coalesce(${t.channelAccountId}, 0)`),
    index('post_targets_external_idx').on(t.externalRef),
    index('post_targets_status_idx').on(t.status),
  ],
);

/** Comments of editors and approvers on a draft; never public. */
export const postComments = pgTable(
  'post_comments',
  {
    id: serial('id').primaryKey(),
    postId: integer('post_id')
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade' }),
    authorId: integer('author_id').references(() => users.id, { onDelete: 'set null' }),
    body: text('body').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('post_comments_post_idx').on(t.postId, t.createdAt)],
);

/** Every step of a post (created, submitted, approved, scheduled, published per target, edited, withdrawn). */
export const postEvents = pgTable(
  'post_events',
  {
    id: serial('id').primaryKey(),
    postId: integer('post_id')
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade' }),
    actorUserId: integer('actor_user_id').references(() => users.id, { onDelete: 'set null' }),
    action: text('action').notNull(),
    details: jsonb('details').notNull().default({}),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('post_events_post_idx').on(t.postId, t.at)],
);

/**
 * The recorded consent of a person portrayed (Mitarbeiterporträt): who, given when, recorded by whom.
 * Revoking it (`revokedAt`) unpublishes every post that rests on it.
 */
export const portraitConsents = pgTable('portrait_consents', {
  id: serial('id').primaryKey(),
  personName: text('person_name').notNull(),
  note: text('note'),
  grantedAt: timestamp('granted_at', { withTimezone: true }).notNull(),
  recordedById: integer('recorded_by_id').references(() => users.id, { onDelete: 'set null' }),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
