import { sql } from 'drizzle-orm';
import { boolean, doublePrecision, index, integer, jsonb, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { cases, categories, districts } from './cases.ts';
import { contacts } from './contacts.ts';
import { caseTypes } from './enums.ts';
import { users } from './org.ts';

/**
 * The statuses the public sees, the same on every page, feed and API (mapped from the internal
 * status, the team and the merge by the transparency feature).
 */
export const publicStatuses = ['new', 'reviewing', 'in_progress', 'resolved', 'not_responsible', 'rejected', 'duplicate'] as const;
export type PublicStatus = (typeof publicStatuses)[number];

/**
 * pending: not decided yet (waiting for the category's delay or for a person); published: shown;
 * withheld: decided not to show (or the category says never); withdrawn: was shown, taken down.
 */
export const publicationStates = ['pending', 'published', 'withheld', 'withdrawn'] as const;
export type PublicationState = (typeof publicationStates)[number];

/** One personal datum found in a text and masked, as staff see it (never public). */
export interface TextMask {
  kind: 'email' | 'phone' | 'iban' | 'plate' | 'house_number' | 'name' | 'url';
  /** Offsets into the source text. */
  start: number;
  end: number;
  /** Staff said it is no personal datum: it stays in the public text. */
  unmasked?: boolean;
}

/**
 * The decision to publish a case, and the public text staff approved (staff side: holds what was
 * masked, so it is never read by a public route). A case without a row is undecided.
 */
export const casePublications = pgTable(
  'case_publications',
  {
    caseId: integer('case_id')
      .primaryKey()
      .references(() => cases.id, { onDelete: 'cascade' }),
    state: text('state', { enum: publicationStates }).notNull().default('pending'),
    /** For the category policy "auto": shown from this instant unless someone stops it. */
    publishAfter: timestamp('publish_after', { withTimezone: true }),
    /** The text the public text was made from, and what was masked in it. */
    sourceText: text('source_text').notNull(),
    masks: jsonb('masks').$type<TextMask[]>().notNull().default([]),
    /** The public text: the masked source, or what staff wrote instead. */
    publicText: text('public_text').notNull(),
    editedBy: integer('edited_by').references(() => users.id, { onDelete: 'set null' }),
    decidedBy: integer('decided_by').references(() => users.id, { onDelete: 'set null' }),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    /** Why it is withheld or withdrawn (staff only). */
    reason: text('reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('case_publications_due_idx').on(t.publishAfter).where(sql`${t.state} = 'pending'`)],
);

/**
 * The one public projection of a case: a row exists exactly while the case is published, and it
 * holds nothing personal (no reporter, follower, staff name, internal note or raw text). Every
 * public page, feed, statistic and the Open311 API read only this table and
 * `public_case_updates`; only the transparency feature's projector writes them.
 */
export const publicCases = pgTable(
  'public_cases',
  {
    caseId: integer('case_id')
      .primaryKey()
      .references(() => cases.id, { onDelete: 'cascade' }),
    number: text('number').notNull().unique(),
    status: text('status', { enum: publicStatuses }).notNull(),
    type: text('type', { enum: caseTypes }),
    categoryId: integer('category_id').references(() => categories.id, { onDelete: 'set null' }),
    categorySlug: text('category_slug'),
    categoryName: text('category_name'),
    districtId: integer('district_id').references(() => districts.id, { onDelete: 'set null' }),
    districtName: text('district_name'),
    /** The team responsible (a public body's name, never a person). */
    teamName: text('team_name'),
    text: text('text').notNull(),
    /** The place as text, masked like the text. */
    locationText: text('location_text'),
    lat: doublePrecision('lat'),
    lon: doublePrecision('lon'),
    /** "nicht zuständig — weitergeleitet an …": where it went. */
    forwardedTo: text('forwarded_to'),
    /** "abgelehnt" with the reason, as staff wrote it for the public. */
    statusNote: text('status_note'),
    /** "Duplikat von …": the public case it was merged into (null when that one is not public). */
    duplicateOfNumber: text('duplicate_of_number'),
    /** Ids of the released photos (attachments), in order. */
    photoIds: integer('photo_ids').array().notNull().default(sql`'{}'::int[]`),
    /** Followers and supporters, counted, never named. */
    followerCount: integer('follower_count').notNull().default(0),
    /** "Ist es wirklich behoben?": the reporter's answer, when given. */
    confirmedFixed: boolean('confirmed_fixed'),
    reportedAt: timestamp('reported_at', { withTimezone: true }).notNull(),
    firstAnswerAt: timestamp('first_answer_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    publishedAt: timestamp('published_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('public_cases_location_idx').on(t.lat, t.lon),
    index('public_cases_updated_idx').on(t.updatedAt.desc(), t.caseId.desc()),
    index('public_cases_reported_idx').on(t.reportedAt.desc(), t.caseId.desc()),
    // Area alerts ask what was published in a window (public-follow/notify.ts).
    index('public_cases_published_idx').on(t.publishedAt),
    index('public_cases_status_reported_idx').on(t.status, t.reportedAt.desc()),
    index('public_cases_category_idx').on(t.categoryId, t.reportedAt.desc()),
    index('public_cases_district_idx').on(t.districtId, t.reportedAt.desc()),
  ],
);

/**
 * The public history of a published case: status steps and public answers, with dates. Also what
 * Open311's servicerequestupdates and the follower mails are made of.
 */
export const publicCaseUpdates = pgTable(
  'public_case_updates',
  {
    id: serial('id').primaryKey(),
    caseId: integer('case_id')
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    status: text('status', { enum: publicStatuses }).notNull(),
    /** A public answer or status note (masked); null for a plain status step. */
    text: text('text'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('public_case_updates_case_idx').on(t.caseId, t.createdAt), index('public_case_updates_created_idx').on(t.createdAt)],
);

export const subscriptionKinds = ['case', 'area'] as const;
export type SubscriptionKind = (typeof subscriptionKinds)[number];

/**
 * A citizen's e-mail subscription: to one public case, or to new public reports in a district or
 * around a point (optionally of one category). Double opt-in: nothing is sent before
 * `confirmedAt`; the token confirms and unsubscribes in one click.
 */
export const publicSubscriptions = pgTable(
  'public_subscriptions',
  {
    id: serial('id').primaryKey(),
    kind: text('kind', { enum: subscriptionKinds }).notNull(),
    contactId: integer('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    caseId: integer('case_id').references(() => cases.id, { onDelete: 'cascade' }),
    districtId: integer('district_id').references(() => districts.id, { onDelete: 'cascade' }),
    categoryId: integer('category_id').references(() => categories.id, { onDelete: 'cascade' }),
    lat: doublePrecision('lat'),
    lon: doublePrecision('lon'),
    radiusM: integer('radius_m'),
    token: text('token').notNull().unique(),
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
    unsubscribedAt: timestamp('unsubscribed_at', { withTimezone: true }),
    /** The last public update already mailed (digests pick up after it). */
    notifiedUntil: timestamp('notified_until', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('public_subscriptions_case_idx').on(t.caseId),
    index('public_subscriptions_contact_idx').on(t.contactId),
    index('public_subscriptions_area_idx').on(t.districtId, t.categoryId).where(sql`${t.kind} = 'area'`),
  ],
);

/** "Ist es wirklich behoben?": asked a few days after "erledigt"; one row per case and round. */
export const fixChecks = pgTable(
  'fix_checks',
  {
    id: serial('id').primaryKey(),
    caseId: integer('case_id')
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    token: text('token').notNull().unique(),
    askAt: timestamp('ask_at', { withTimezone: true }).notNull(),
    askedAt: timestamp('asked_at', { withTimezone: true }),
    answer: text('answer', { enum: ['yes', 'no'] }),
    comment: text('comment'),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('fix_checks_case_idx').on(t.caseId), index('fix_checks_due_idx').on(t.askAt).where(sql`${t.askedAt} is null`)],
);

/** Open311 clients: a key is shown once, stored as a SHA-256 hash, rate-limited and revocable. */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: serial('id').primaryKey(),
    name: text('name').notNull(),
    /** The first characters of the key, so admins can tell keys apart. */
    prefix: text('prefix').notNull(),
    keyHash: text('key_hash').notNull(),
    requestsPerMinute: integer('requests_per_minute').notNull().default(60),
    createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('api_keys_hash_idx').on(t.keyHash)],
);

/** Another town's GeoReport v2 endpoint that we import requests from, with where we stopped. */
export const open311Sources = pgTable('open311_sources', {
  id: serial('id').primaryKey(),
  name: text('name').notNull(),
  url: text('url').notNull().unique(),
  serviceCode: text('service_code'),
  jurisdictionId: text('jurisdiction_id'),
  enabled: boolean('enabled').notNull().default(true),
  /** The newest `updated_datetime` imported: the next poll asks `updated_after` it. */
  cursor: timestamp('cursor', { withTimezone: true }),
  settings: jsonb('settings').notNull().default({}),
  lastRunAt: timestamp('last_run_at', { withTimezone: true }),
  lastError: text('last_error'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
