import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { posts } from './amtsblatt.ts';
import { users } from './org.ts';

/** The town's own Behördendeutsch terms (beside the shipped list of writing/plain-language-list.ts). */
export const plainLanguageTerms = pgTable(
  'plain_language_terms',
  {
    id: serial('id').primaryKey(),
    /** As written; unique case-insensitively. */
    term: text('term').notNull(),
    suggestion: text('suggestion').notNull(),
    createdById: integer('created_by_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('plain_language_terms_term_idx').on(sql`lower(${t.term})`)],
);

/** The last HEAD of a link found in a post waiting for approval (the dead-link check). */
export const linkChecks = pgTable('link_checks', {
  url: text('url').primaryKey(),
  ok: boolean('ok').notNull(),
  httpStatus: integer('http_status'),
  /** A German reason when not ok ("keine Antwort in 10 Sekunden"). */
  reason: text('reason'),
  checkedAt: timestamp('checked_at', { withTimezone: true }).notNull(),
});

/** An iCalendar source: a URL polled by a job (with its ETag/Last-Modified) or an uploaded file (url null). */
export const calendarSources = pgTable('calendar_sources', {
  id: serial('id').primaryKey(),
  name: text('name').notNull(),
  url: text('url'),
  etag: text('etag'),
  lastModified: text('last_modified'),
  lastPolledAt: timestamp('last_polled_at', { withTimezone: true }),
  /** The German reason the last import failed; null after a good one. */
  lastError: text('last_error'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const postIdeaStatuses = ['new', 'taken', 'dismissed'] as const;
export type PostIdeaStatus = (typeof postIdeaStatuses)[number];

/** One appointment of a calendar source (an occurrence of a recurring one): "Nix los im Dorf? Dann ab ins Netz!" */
export const postIdeas = pgTable(
  'post_ideas',
  {
    id: serial('id').primaryKey(),
    sourceId: integer('source_id')
      .notNull()
      .references(() => calendarSources.id, { onDelete: 'cascade' }),
    uid: text('uid').notNull(),
    /** The occurrence's RECURRENCE-ID (its original start, ISO) for recurring events; '' for a single one. */
    recurrenceId: text('recurrence_id').notNull().default(''),
    title: text('title').notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }),
    allDay: boolean('all_day').notNull().default(false),
    place: text('place'),
    description: text('description'),
    status: text('status', { enum: postIdeaStatuses }).notNull().default('new'),
    postId: integer('post_id').references(() => posts.id, { onDelete: 'set null' }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('post_ideas_occurrence_idx').on(t.sourceId, t.uid, t.recurrenceId), index('post_ideas_starts_idx').on(t.startsAt)],
);

/** The town's OParl 1.1 endpoint and how far each list has been read (modified_since, the page to resume at). */
export const councilSources = pgTable('council_sources', {
  id: serial('id').primaryKey(),
  systemUrl: text('system_url').notNull().unique(),
  bodyUrl: text('body_url'),
  /** Per list ('paper', 'meeting'): { since: ISO of the last complete run's start, resume: the next page's URL }. */
  cursors: jsonb('cursors').$type<Partial<Record<'paper' | 'meeting', { since?: string; resume?: string }>>>().notNull().default({}),
  lastRunAt: timestamp('last_run_at', { withTimezone: true }),
  lastError: text('last_error'),
});

/** Vorlage (OParl Paper). */
export const councilPapers = pgTable(
  'council_papers',
  {
    id: serial('id').primaryKey(),
    /** The object's OParl id (its URL). */
    oparlId: text('oparl_id').notNull().unique(),
    name: text('name').notNull(),
    reference: text('reference'),
    paperType: text('paper_type'),
    date: text('date'),
    webUrl: text('web_url'),
    mainFileUrl: text('main_file_url'),
    modified: timestamp('modified', { withTimezone: true }),
    deleted: boolean('deleted').notNull().default(false),
    postId: integer('post_id').references(() => posts.id, { onDelete: 'set null' }),
  },
  (t) => [index('council_papers_date_idx').on(t.date)],
);

/** Sitzung (OParl Meeting). */
export const councilMeetings = pgTable(
  'council_meetings',
  {
    id: serial('id').primaryKey(),
    oparlId: text('oparl_id').notNull().unique(),
    name: text('name').notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }),
    endsAt: timestamp('ends_at', { withTimezone: true }),
    place: text('place'),
    webUrl: text('web_url'),
    cancelled: boolean('cancelled').notNull().default(false),
    modified: timestamp('modified', { withTimezone: true }),
    deleted: boolean('deleted').notNull().default(false),
  },
  (t) => [index('council_meetings_starts_idx').on(t.startsAt)],
);
