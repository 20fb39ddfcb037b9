import { and, desc, eq, ne, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../infra/db.ts';
import { type ContactKind, cases, contacts } from '../../infra/schema/index.ts';
import { type Viewer, visibleCasesWhere } from './access.ts';
import { addressOfCase } from './contacts.ts';
import type { CaseDetail } from './queries.ts';

export const OTHER_CASES_SHOWN = 10;

/** Who a case is from and how to reach them, for the panel "Kontakt" of the case page. */
export interface ContactPanelData {
  contact: {
    kind: ContactKind;
    address: string;
    displayName: string | null;
    undeliverableAt: Date | null;
    undeliverableReason: string | null;
  } | null;
  /** The number to call back when the case was taken with "Rückruf erwünscht" (null: none wanted or none stored). */
  callbackPhone: string | null;
  callbackRequested: boolean;
  /** Whether a reply can go out as a letter: the same question the letter routes ask. */
  letterLinks: boolean;
  /** The newest other cases of the same person that this viewer may see. */
  otherCases: { number: string; status: CaseDetail['status']; createdAt: Date }[];
}

export async function contactPanel(db: DbOrTx, viewer: Viewer, kase: CaseDetail): Promise<ContactPanelData> {
  const [found] =
    kase.contactId === null
      ? []
      : await db
          .select({
            contact: {
              kind: contacts.kind,
              address: contacts.address,
              displayName: contacts.displayName,
              undeliverableAt: contacts.undeliverableAt,
              undeliverableReason: contacts.undeliverableReason,
            },
            person: sql<number>`coalesce(${contacts.personId}, ${contacts.id})`,
          })
          .from(contacts)
          .where(eq(contacts.id, kase.contactId));
  const phone = kase.callbackRequested ? await addressOfCase(db, kase.id, 'phone') : null;
  const postal = await addressOfCase(db, kase.id, 'postal');
  return {
    contact: found?.contact ?? null,
    callbackPhone: phone?.address ?? null,
    callbackRequested: kase.callbackRequested,
    letterLinks: postal !== null,
    otherCases: found ? await otherCasesOfPerson(db, viewer, kase.id, found.person) : [],
  };
}

/**
 * Cases whose contact belongs to the person (`coalesce(person_id, id)`), written as `id = p or
 * person_id = p` so the primary key and `contacts_person_idx` find the contacts.
 */
async function otherCasesOfPerson(db: DbOrTx, viewer: Viewer, caseId: number, person: number) {
  return db
    .select({ number: cases.number, status: cases.status, createdAt: cases.createdAt })
    .from(cases)
    .innerJoin(contacts, eq(contacts.id, cases.contactId))
    .where(and(or(eq(contacts.id, person), eq(contacts.personId, person)), ne(cases.id, caseId), visibleCasesWhere(viewer)))
    .orderBy(desc(cases.createdAt), desc(cases.id))
    .limit(OTHER_CASES_SHOWN);
}
