import { and, desc, eq, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { DbOrTx } from '../../infra/db.ts';
import { type ContactKind, cases, contacts } from '../../infra/schema/index.ts';

/** One spelling per address, so the same person on the same channel is one contact. */
export function normaliseAddress(kind: ContactKind, address: string): string {
  const trimmed = address.trim().normalize('NFC');
  switch (kind) {
    case 'email':
      return trimmed.toLowerCase();
    case 'phone': {
      // "0751 123-45" and "+49 751 12345" are the same line: digits only, German trunk prefix as +49.
      const digits = trimmed.replace(/[^\d+]/g, '');
      if (digits.startsWith('00')) return `+${digits.slice(2)}`;
      if (digits.startsWith('0')) return `+49${digits.slice(1)}`;
      return digits;
    }
    case 'fediverse':
    case 'bluesky':
      return trimmed.replace(/^@/, '').toLowerCase();
    default:
      return trimmed;
  }
}

export type ContactRow = typeof contacts.$inferSelect;

/** The contact as an adapter needs it (who an answer goes to); null when there is none. */
export async function contactRef(db: DbOrTx, contactId: number | null) {
  if (contactId === null) return null;
  const [row] = await db.select().from(contacts).where(eq(contacts.id, contactId));
  if (!row) return null;
  return { id: row.id, kind: row.kind, address: row.address, displayName: row.displayName, undeliverable: row.undeliverableAt !== null };
}

/**
 * Finds or makes a contact and, when `personOf` is given, links it to that contact's person (a
 * phone number and a postal address taken with an e-mail address belong to the same person).
 */
export async function upsertContact(
  db: DbOrTx,
  c: { kind: ContactKind; address: string; displayName: string | null },
  personOf: number | null = null,
): Promise<number> {
  const person = personOf === null ? null : sql`(select coalesce(person_id, id) from contacts where id = ${personOf})`;
  const [row] = await db
    .insert(contacts)
    .values({ kind: c.kind, address: normaliseAddress(c.kind, c.address), displayName: c.displayName, personId: person ?? null })
    .onConflictDoUpdate({
      target: [contacts.kind, contacts.address],
      set: {
        displayName: sql`coalesce(excluded.display_name, ${contacts.displayName})`,
        ...(person ? { personId: sql`coalesce(${contacts.personId}, ${person})` } : {}),
        updatedAt: sql`now()`,
      },
    })
    .returning({ id: contacts.id });
  if (!row) throw new Error('contact upsert returned nothing');
  return row.id;
}

const caseContact = alias(contacts, 'case_contact');

/**
 * The address of this kind a case can be reached at: the case's contact when it is of that kind,
 * else the newest one of the same person (contacts linked by `person_id`, the person being the case
 * contact's `person_id` or the contact itself). Null when there is none. Letters ask it for 'postal',
 * the case page for 'postal' (letter links) and 'phone' (the number to call back).
 */
export async function addressOfCase(db: DbOrTx, caseId: number, kind: ContactKind) {
  const person = sql`coalesce(${caseContact.personId}, ${caseContact.id})`;
  const [row] = await db
    .select({ name: contacts.displayName, address: contacts.address })
    .from(cases)
    .innerJoin(caseContact, eq(caseContact.id, cases.contactId))
    .innerJoin(
      contacts,
      and(
        eq(contacts.kind, kind),
        or(eq(contacts.id, caseContact.id), sql`${contacts.id} = ${person}`, sql`${contacts.personId} = ${person}`),
      ),
    )
    .where(eq(cases.id, caseId))
    .orderBy(sql`${contacts.id} = ${caseContact.id} desc`, desc(contacts.id))
    .limit(1);
  return row ?? null;
}

/** Where a letter for this case goes (see addressOfCase). */
export const postalAddressOfCase = (db: DbOrTx, caseId: number) => addressOfCase(db, caseId, 'postal');
