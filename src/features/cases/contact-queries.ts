import { and, asc, count, desc, eq, ne, or, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../infra/db.ts';
import { cases, contactKinds, contacts, type ReporterKind } from '../../infra/schema/index.ts';
import { type Viewer, visibleCasesWhere } from './access.ts';
import { normaliseAddress } from './contacts.ts';

export const CONTACT_HITS_SHOWN = 10;

/** The person a contact belongs to: the contact that stands for it, or the contact itself. */
export const personIdOf = sql<number>`coalesce(${contacts.personId}, ${contacts.id})`;

/** The contacts of a person, written as `id = p or person_id = p` so the primary key and `contacts_person_idx` find them. */
const ofPerson = (person: number) => or(eq(contacts.id, person), eq(contacts.personId, person));

const contactFields = {
  id: contacts.id,
  kind: contacts.kind,
  address: contacts.address,
  displayName: contacts.displayName,
  personId: personIdOf,
  undeliverableAt: contacts.undeliverableAt,
};

/**
 * How many cases came from a contact (as its own reporter). Spelled out in SQL: drizzle leaves
 * columns unqualified in the fields of a one-table select, and inside a subquery they would then
 * name the subquery's own table.
 */
const caseCount = sql<number>`(select count(*)::int from cases c where c.contact_id = contacts.id)`;

export async function findContact(db: DbOrTx, id: number) {
  const [row] = await db
    .select({ ...contactFields, caseCount })
    .from(contacts)
    .where(eq(contacts.id, id));
  return row ?? null;
}
export type ContactSummary = NonNullable<Awaited<ReturnType<typeof findContact>>>;

/** Every contact of a person, the one that stands for it first. */
export function contactsOfPerson(db: DbOrTx, person: number) {
  return db
    .select({ ...contactFields, caseCount })
    .from(contacts)
    .where(ofPerson(person))
    .orderBy(asc(contacts.id));
}

/**
 * Contacts whose address is exactly `text` on any channel (each kind normalised its own way) or
 * whose name starts with it, ignoring case; address hits first. Capped, since a name prefix like
 * "M" matches half the town.
 */
export function searchContacts(db: DbOrTx, text: string, limit = CONTACT_HITS_SHOWN) {
  const byAddress: SQL[] = [];
  for (const kind of contactKinds) {
    const address = normaliseAddress(kind, text);
    if (address) byAddress.push(and(eq(contacts.kind, kind), eq(contacts.address, address)) as SQL);
  }
  const prefix = `${text
    .trim()
    .toLowerCase()
    .replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const byName = sql`lower(${contacts.displayName}) like ${prefix}`;
  const addressHit = byAddress.length > 0 ? or(...byAddress) : sql`false`;
  return db
    .select({ ...contactFields, caseCount })
    .from(contacts)
    .where(or(addressHit, byName))
    .orderBy(sql`(${addressHit}) desc`, asc(contacts.displayName), asc(contacts.id))
    .limit(limit);
}

/** Newest contacts first, for `amtsblatt contact list` without a search. */
export function latestContacts(db: DbOrTx, limit: number) {
  return db
    .select({ ...contactFields, caseCount })
    .from(contacts)
    .orderBy(desc(contacts.id))
    .limit(limit);
}

export async function contactTotal(db: DbOrTx): Promise<number> {
  const [row] = await db.select({ n: count() }).from(contacts);
  return row?.n ?? 0;
}

/** How a person is part of a case: its reporter, or a follower / merged reporter (case_reporters). */
export type PersonRole = 'reporter' | ReporterKind;

/**
 * Cases of a person: those one of its contacts reported, and those one of its contacts follows or
 * joined by a merge. `viewer` limits them to what a staff member may see (the command line sees all).
 */
export async function casesOfPerson(db: DbOrTx, person: number, opts: { viewer?: Viewer; exceptCaseId?: number; limit: number }) {
  // Raw SQL with aliases (see caseCount). Both halves of the union use an index (cases_contact_idx,
  // case_reporters_contact_idx), then the cases come by primary key: no scan of all cases per page view.
  const group = sql`select g.id from contacts g where g.id = ${person} or g.person_id = ${person}`;
  const ids = sql`(select c.id from cases c where c.contact_id in (${group})
    union select r.case_id from case_reporters r where r.contact_id in (${group}))`;
  const role = sql<PersonRole>`case when cases.contact_id in (${group}) then 'reporter' else (select r.kind from case_reporters r
    where r.case_id = cases.id and r.contact_id in (${group}) order by r.id limit 1) end`;
  const where: (SQL | undefined)[] = [sql`${cases.id} in ${ids}`];
  if (opts.exceptCaseId !== undefined) where.push(ne(cases.id, opts.exceptCaseId));
  if (opts.viewer) where.push(visibleCasesWhere(opts.viewer));
  return db
    .select({ number: cases.number, status: cases.status, createdAt: cases.createdAt, role })
    .from(cases)
    .where(and(...where))
    .orderBy(desc(cases.createdAt), desc(cases.id))
    .limit(opts.limit);
}
export type PersonCase = Awaited<ReturnType<typeof casesOfPerson>>[number];
