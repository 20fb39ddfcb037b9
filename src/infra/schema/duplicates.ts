import { doublePrecision, index, integer, jsonb, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { cases, messages } from './cases.ts';
import { contacts } from './contacts.ts';

export const reporterKinds = ['follower', 'merged'] as const;
export type ReporterKind = (typeof reporterKinds)[number];

/**
 * Everyone besides a case's own reporter who wants to hear how it ends: citizens who chose "Dieser
 * Meldung folgen" instead of reporting the same thing again, and the reporters of cases merged into
 * it. `case_id` moves along when the case itself is merged further, so one lookup finds them all.
 */
export const caseReporters = pgTable(
  'case_reporters',
  {
    id: serial('id').primaryKey(),
    caseId: integer('case_id')
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: reporterKinds }).notNull(),
    /** For 'merged': the case this person reported; their own tracking link stays that case's link. */
    originCaseId: integer('origin_case_id').references(() => cases.id, { onDelete: 'set null' }),
    name: text('name'),
    email: text('email'),
    /** The follower as a contact, so notices, the daily cap and data-protection reports find them. */
    contactId: integer('contact_id').references(() => contacts.id, { onDelete: 'set null' }),
    /** For 'follower': a token of their own, so the followed case's private link is never handed out. */
    trackingToken: text('tracking_token').unique(),
    /** The form nonce of a follow, so a double click follows once. */
    externalId: text('external_id').unique(),
    consentAt: timestamp('consent_at', { withTimezone: true }),
    /** For 'follower': what they wrote and photographed, on the followed case; goes when they stop following. */
    messageId: integer('message_id').references(() => messages.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('case_reporters_case_idx').on(t.caseId),
    index('case_reporters_origin_idx').on(t.originCaseId),
    index('case_reporters_contact_idx').on(t.contactId),
  ],
);

/** The shape of a photo already processed and stored (mirrors intake's StoredPhoto; the schema imports no feature). */
export interface DraftPhoto {
  storageKey: string;
  thumbKey: string;
  mimeType: 'image/jpeg' | 'image/png' | 'image/webp';
  width: number;
  height: number;
  bytes: number;
}

/**
 * Photos of a web report that was paused to offer an existing report to follow, keyed by the
 * form nonce: a browser cannot refill a file field, so "Trotzdem neu melden" takes them from here.
 * Rows older than a day are swept (with their files) whenever a new draft is written.
 */
export const reportDrafts = pgTable(
  'report_drafts',
  {
    nonce: text('nonce').primaryKey(),
    photos: jsonb('photos').$type<DraftPhoto[]>().notNull().default([]),
    /** The first GPS position found in the photos, used when the citizen set no pin. */
    gpsLat: doublePrecision('gps_lat'),
    gpsLon: doublePrecision('gps_lon'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('report_drafts_created_idx').on(t.createdAt)],
);
