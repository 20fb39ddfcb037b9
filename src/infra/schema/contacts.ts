import { sql } from 'drizzle-orm';
import { type AnyPgColumn, index, integer, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * How a citizen can be reached: one row per channel address. A postal address is stored only when a
 * letter has to be written; the others arrive with the message itself.
 */
export const contactKinds = ['email', 'phone', 'postal', 'fediverse', 'bluesky', 'telegram'] as const;
export type ContactKind = (typeof contactKinds)[number];

/**
 * Kontakt: a citizen identity per channel address (an e-mail address, a phone number, a Fediverse
 * handle …) with the name they gave. Cases and messages point to the contact they came from, replies
 * are addressed to it, and data-protection reports and erasure start from it.
 *
 * One person may have several: staff link them, and `personId` then names the contact that stands
 * for the person (the first one); "weitere Anliegen dieser Person" follows it. A contact alone is
 * its own person (`personId` null).
 */
export const contacts = pgTable(
  'contacts',
  {
    id: serial('id').primaryKey(),
    kind: text('kind', { enum: contactKinds }).notNull(),
    /** Normalised per kind (mail lower-cased, phone digits with +49, handle without the leading @). */
    address: text('address').notNull(),
    displayName: text('display_name'),
    personId: integer('person_id').references((): AnyPgColumn => contacts.id, { onDelete: 'set null' }),
    /** Set when a mail to this address bounced (RFC 3464) or a network says the account is gone. */
    undeliverableAt: timestamp('undeliverable_at', { withTimezone: true }),
    undeliverableReason: text('undeliverable_reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('contacts_kind_address_idx').on(t.kind, t.address),
    index('contacts_person_idx').on(t.personId),
    index('contacts_name_idx').using('btree', sql`lower(${t.displayName})`),
  ],
);
