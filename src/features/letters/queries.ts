import { and, desc, eq, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { DbOrTx } from '../../infra/db.ts';
import { cases, contacts, messages, users } from '../../infra/schema/index.ts';

/** A staff reply of this case with its author, or null when the message is not one. */
export async function replyOfCase(db: DbOrTx, caseId: number, messageId: number) {
  const [row] = await db
    .select({ id: messages.id, body: messages.body, createdAt: messages.createdAt, authorName: users.displayName })
    .from(messages)
    .leftJoin(users, eq(users.id, messages.authorUserId))
    .where(and(eq(messages.id, messageId), eq(messages.caseId, caseId), eq(messages.kind, 'reply')))
    .limit(1);
  return row ?? null;
}

const caseContact = alias(contacts, 'case_contact');

/**
 * Where a letter for this case goes: the case's contact when it is a postal address, else the
 * newest postal address of the same person (contacts linked by `person_id`, the person being the
 * case contact's `person_id` or the contact itself). Null when there is none.
 */
export async function postalAddressOfCase(db: DbOrTx, caseId: number) {
  const person = sql`coalesce(${caseContact.personId}, ${caseContact.id})`;
  const [row] = await db
    .select({ name: contacts.displayName, address: contacts.address })
    .from(cases)
    .innerJoin(caseContact, eq(caseContact.id, cases.contactId))
    .innerJoin(
      contacts,
      and(
        eq(contacts.kind, 'postal'),
        or(eq(contacts.id, caseContact.id), sql`${contacts.id} = ${person}`, sql`${contacts.personId} = ${person}`),
      ),
    )
    .where(eq(cases.id, caseId))
    .orderBy(sql`${contacts.id} = ${caseContact.id} desc`, desc(contacts.id))
    .limit(1);
  return row ?? null;
}
