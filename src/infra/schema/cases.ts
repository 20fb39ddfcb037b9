import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  boolean,
  customType,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgSequence,
  pgTable,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { channelAccounts } from './channel-accounts.ts';
import { contacts } from './contacts.ts';
import { caseStatuses, caseTypes, channels, priorities, publicationPolicies, visibilities } from './enums.ts';
import { teams, users } from './org.ts';

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

export * from './enums.ts';

/** Feeds the readable case numbers (2026-00042); a sequence never hands out a number twice. */
export const caseNumberSeq = pgSequence('case_number_seq', { startWith: 1 });

/** One further question of a category, as GeoReport v2 describes a service attribute. */
export interface ServiceAttribute {
  code: string;
  /** The question as the citizen reads it. */
  description: string;
  datatype: 'string' | 'number' | 'datetime' | 'text' | 'singlevaluelist' | 'multivaluelist';
  required: boolean;
  /** The answers of a (single|multi)valuelist: key sent by the client, name shown. */
  values?: { key: string; name: string }[];
}

/** Kategorie: what a case is about, configurable per town, with the team that usually acts. */
export const categories = pgTable('categories', {
  id: serial('id').primaryKey(),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  groupName: text('group_name').notNull(),
  defaultTeamId: integer('default_team_id').references(() => teams.id, { onDelete: 'set null' }),
  /** How close (metres) an open report of this category counts as a possible duplicate; null = 50 m. */
  duplicateRadiusM: integer('duplicate_radius_m'),
  /**
   * Whether reports of this category are shown publicly: automatically after `publishDelayMinutes`
   * (so staff can stop it), only after a person looked ("moderated"), or never (complaints about
   * staff, Ordnungsamt matters).
   */
  publication: text('publication', { enum: publicationPolicies }).notNull().default('moderated'),
  publishDelayMinutes: integer('publish_delay_minutes').notNull().default(30),
  /** Mask house numbers in the public text and place (private addresses, e.g. for noise complaints). */
  maskHouseNumbers: boolean('mask_house_numbers').notNull().default(false),
  /** "Ist es wirklich behoben?": ask the reporter this many days after "erledigt"; null = never ask. */
  fixCheckDays: integer('fix_check_days').default(5),
  /** Further words people use for it ("Lampe", "Laterne"): Open311 `keywords`. */
  keywords: text('keywords').array().notNull().default(sql`'{}'::text[]`),
  /** Further questions of this category (Open311 service attributes); checked by the open311 feature. */
  attributes: jsonb('attributes').$type<ServiceAttribute[]>().notNull().default([]),
  active: boolean('active').notNull().default(true),
});

/** Stadtteil as a GeoJSON (Multi)Polygon; point-in-polygon is tested in code (no PostGIS). */
export const districts = pgTable('districts', {
  id: serial('id').primaryKey(),
  name: text('name').notNull().unique(),
  geometry: jsonb('geometry').notNull(),
});

/** Anliegen: one citizen concern from any channel, with its thread in `messages`. */
export const cases = pgTable(
  'cases',
  {
    id: serial('id').primaryKey(),
    number: text('number').notNull().unique(),
    // Stored as is (not hashed): replies carry the tracking link, and whoever reads this table
    // already sees the whole case, so a hash would protect nothing.
    trackingToken: text('tracking_token').notNull().unique(),
    channel: text('channel', { enum: channels }).notNull(),
    externalId: text('external_id'),
    type: text('type', { enum: caseTypes }),
    categoryId: integer('category_id').references(() => categories.id, { onDelete: 'set null' }),
    teamId: integer('team_id').references(() => teams.id, { onDelete: 'set null' }),
    assigneeId: integer('assignee_id').references(() => users.id, { onDelete: 'set null' }),
    status: text('status', { enum: caseStatuses }).notNull().default('new'),
    priority: text('priority', { enum: priorities }).notNull().default('normal'),
    description: text('description').notNull(),
    locationText: text('location_text'),
    lat: doublePrecision('lat'),
    lon: doublePrecision('lon'),
    districtId: integer('district_id').references(() => districts.id, { onDelete: 'set null' }),
    reporterName: text('reporter_name'),
    reporterEmail: text('reporter_email'),
    /** Who reported it, as a contact (the address answers go to); null when they left none. */
    contactId: integer('contact_id').references(() => contacts.id, { onDelete: 'set null' }),
    /** The town account it came in on (a mailbox): answers leave from there. */
    channelAccountId: integer('channel_account_id').references(() => channelAccounts.id, { onDelete: 'set null' }),
    /** Taken on the phone with "Rückruf erwünscht": the number is the case's phone contact. */
    callbackRequested: boolean('callback_requested').notNull().default(false),
    consentAt: timestamp('consent_at', { withTimezone: true }),
    /** Free labels set by routing rules or staff (e.g. "Winterdienst"); shown in the inbox. */
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    /** Set when this case was merged as a duplicate into another; its reporters moved there. */
    mergedIntoId: integer('merged_into_id').references((): AnyPgColumn => cases.id, { onDelete: 'set null' }),
    search: tsvector('search').generatedAlwaysAs(
      sql`to_tsvector('german'::regconfig, coalesce(number, '') || ' ' || coalesce(description, '') || ' ' || coalesce(location_text, ''))`,
    ),
  },
  (t) => [
    uniqueIndex('cases_channel_external_idx').on(t.channel, t.externalId),
    index('cases_created_idx').on(t.createdAt.desc(), t.id.desc()),
    index('cases_status_created_idx').on(t.status, t.createdAt.desc(), t.id.desc()),
    index('cases_team_created_idx').on(t.teamId, t.createdAt.desc(), t.id.desc()),
    index('cases_category_idx').on(t.categoryId),
    index('cases_assignee_idx').on(t.assigneeId),
    index('cases_location_idx').on(t.lat, t.lon),
    index('cases_merged_into_idx').on(t.mergedIntoId),
    // "Weitere Anliegen dieser Person" and data-protection reports start from the contact.
    index('cases_contact_idx').on(t.contactId),
    index('cases_search_idx').using('gin', t.search),
    // Compound parts: "laterne" must find "Straßenlaterne", which the german stemmer never splits.
    index('cases_text_trgm_idx').using(
      'gin',
      sql`lower(coalesce(${t.description}, '') || ' ' || coalesce(${t.locationText}, '')) gin_trgm_ops`,
    ),
    // The inbox filter "Schlagwort" asks `tags @> array[…]`, which a GIN index answers.
    index('cases_tags_idx').using('gin', t.tags),
  ],
);

/**
 * inbound: from the reporter; reply: staff to the reporter; auto: system mails; note: internal;
 * follower: what a citizen wrote who follows the case instead of reporting it again (staff only:
 * it is not the first reporter's to see on their tracking page).
 */
export const messageKinds = ['inbound', 'reply', 'auto', 'note', 'follower'] as const;
export type MessageKind = (typeof messageKinds)[number];

/** Nachricht: an inbound item, a staff reply, an automatic acknowledgement, or an internal note (never public). */
export const messages = pgTable(
  'messages',
  {
    id: serial('id').primaryKey(),
    caseId: integer('case_id')
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: messageKinds }).notNull(),
    channel: text('channel', { enum: channels }).notNull(),
    authorUserId: integer('author_user_id').references(() => users.id, { onDelete: 'set null' }),
    body: text('body').notNull(),
    /**
     * The channel's own reference of the item that carried this message (a mail's Message-ID, a
     * status id), namespaced by channel kind ("email:<…>"): a citizen's answer naming it in its
     * thread keys joins this case, whatever the channel.
     */
    threadKey: text('thread_key'),
    contactId: integer('contact_id').references(() => contacts.id, { onDelete: 'set null' }),
    channelAccountId: integer('channel_account_id').references(() => channelAccounts.id, { onDelete: 'set null' }),
    /**
     * "Originalansicht": the whole text as it arrived (with quoted history and signature, which
     * `body` leaves out) and its HTML part, sanitised; null when the channel had nothing more.
     */
    originalText: text('original_text'),
    originalHtml: text('original_html'),
    /**
     * Social networks: who could see the item on the network (a mention is public, a DM direct).
     * An answer keeps it unless staff choose otherwise; null for channels without the notion (mail).
     */
    visibility: text('visibility', { enum: visibilities }),
    /** Social networks: the item's public address on the network (shown to staff as "öffentlich ansehen"). */
    publicUrl: text('public_url'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('messages_case_idx').on(t.caseId, t.createdAt),
    index('messages_thread_key_idx').on(t.threadKey),
    index('messages_account_created_idx').on(t.channelAccountId, t.createdAt),
  ],
);

export const attachments = pgTable(
  'attachments',
  {
    id: serial('id').primaryKey(),
    caseId: integer('case_id')
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    messageId: integer('message_id').references(() => messages.id, { onDelete: 'set null' }),
    /** photo: through the photo pipeline (metadata stripped, thumbnail); file: a PDF or office document, stored as sent. */
    kind: text('kind', { enum: ['photo', 'file'] })
      .notNull()
      .default('photo'),
    filename: text('filename'),
    storageKey: text('storage_key').notNull(),
    thumbKey: text('thumb_key'),
    mimeType: text('mime_type').notNull(),
    width: integer('width'),
    height: integer('height'),
    bytes: integer('bytes').notNull(),
    /** A photo shown publicly only once a person released it (or a detector found nothing); files never. */
    releasedAt: timestamp('released_at', { withTimezone: true }),
    releasedBy: integer('released_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('attachments_case_idx').on(t.caseId)],
);

/** Audit trail: every change to a case, by whom (a user, a rule, the system or the citizen). */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: serial('id').primaryKey(),
    caseId: integer('case_id').references(() => cases.id, { onDelete: 'cascade' }),
    actorUserId: integer('actor_user_id').references(() => users.id, { onDelete: 'set null' }),
    actorLabel: text('actor_label').notNull(),
    action: text('action').notNull(),
    details: jsonb('details').notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('audit_case_idx').on(t.caseId, t.createdAt)],
);

export const caseLinkKinds = ['related', 'follow_up'] as const;
export type CaseLinkKind = (typeof caseLinkKinds)[number];

/**
 * Two cases that belong together without being merged: linked by hand ("related") or a citizen's
 * message to a closed case that opened a new one ("follow_up", `caseId` the new case). Stored once
 * per pair; readers look at both columns.
 */
export const caseLinks = pgTable(
  'case_links',
  {
    id: serial('id').primaryKey(),
    caseId: integer('case_id')
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    linkedCaseId: integer('linked_case_id')
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: caseLinkKinds }).notNull(),
    createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('case_links_pair_idx').on(t.caseId, t.linkedCaseId), index('case_links_linked_idx').on(t.linkedCaseId)],
);

/**
 * A team handed a case on ("weitergeleitet"): the team it came from keeps read access to its status
 * and public answers ("Von uns weitergeleitet"), and notices can name the team it went to.
 */
export const caseForwards = pgTable(
  'case_forwards',
  {
    id: serial('id').primaryKey(),
    caseId: integer('case_id')
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    fromTeamId: integer('from_team_id').references(() => teams.id, { onDelete: 'set null' }),
    toTeamId: integer('to_team_id').references(() => teams.id, { onDelete: 'set null' }),
    forwardedBy: integer('forwarded_by').references(() => users.id, { onDelete: 'set null' }),
    forwardedAt: timestamp('forwarded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('case_forwards_case_idx').on(t.caseId), index('case_forwards_from_idx').on(t.fromTeamId, t.forwardedAt.desc())],
);

export const reactionKinds = ['like', 'boost'] as const;
export type ReactionKind = (typeof reactionKinds)[number];

/**
 * A like or a boost of a case's public message (or of the town's answer) on a social network: it
 * opens no case, it is counted on the case. One row per network account and kind, so a replayed
 * notification counts once; `actorRef` is the account's public handle or id as the network shows it.
 */
export const caseReactions = pgTable(
  'case_reactions',
  {
    id: serial('id').primaryKey(),
    caseId: integer('case_id')
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    channel: text('channel', { enum: channels }).notNull(),
    kind: text('kind', { enum: reactionKinds }).notNull(),
    actorRef: text('actor_ref').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('case_reactions_once_idx').on(t.caseId, t.channel, t.kind, t.actorRef)],
);
