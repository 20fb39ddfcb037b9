import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../../infra/db.ts';
import { type ContactKind, contacts } from '../../infra/schema/index.ts';
import type { Viewer } from './access.ts';
import {
  CONTACT_HITS_SHOWN,
  type ContactSummary,
  casesOfPerson,
  contactsOfPerson,
  type PersonCase,
  personIdOf,
  searchContacts,
} from './contact-queries.ts';
import { addressOfCase } from './contacts.ts';
import type { CaseDetail } from './queries.ts';

export const OTHER_CASES_SHOWN = 10;

/** A contact search of the panel: what was typed and, when it was usable, what it found. */
export interface ContactSearch {
  text: string;
  /** German, when the text cannot be searched (too short, too long). */
  error: string | null;
  hits: (ContactSummary & { samePerson: boolean })[];
}

/** Who a case is from and how to reach them, for the panel "Kontakt" of the case page. */
export interface ContactPanelData {
  contact: {
    id: number;
    kind: ContactKind;
    address: string;
    displayName: string | null;
    undeliverableAt: Date | null;
    undeliverableReason: string | null;
  } | null;
  /** The other contacts of the same person (staff linked them, or intake took them together). */
  linked: ContactSummary[];
  /** The number to call back when the case was taken with "Rückruf erwünscht" (null: none wanted or none stored). */
  callbackPhone: string | null;
  callbackRequested: boolean;
  /** Whether a reply can go out as a letter: the same question the letter routes ask. */
  letterLinks: boolean;
  /** The newest other cases of the same person (any of its contacts) that this viewer may see. */
  otherCases: PersonCase[];
  search: ContactSearch | null;
}

export const SEARCH_MIN = 2;
export const SEARCH_MAX = 200;

/** `search`: the panel's "Kontakt suchen" text (?kontakt=…), checked here so the page shows why a search did not run. */
export async function contactPanel(db: DbOrTx, viewer: Viewer, kase: CaseDetail, search?: string): Promise<ContactPanelData> {
  const [found] =
    kase.contactId === null
      ? []
      : await db
          .select({
            contact: {
              id: contacts.id,
              kind: contacts.kind,
              address: contacts.address,
              displayName: contacts.displayName,
              undeliverableAt: contacts.undeliverableAt,
              undeliverableReason: contacts.undeliverableReason,
            },
            person: personIdOf,
          })
          .from(contacts)
          .where(eq(contacts.id, kase.contactId));
  const phone = kase.callbackRequested ? await addressOfCase(db, kase.id, 'phone') : null;
  const postal = await addressOfCase(db, kase.id, 'postal');
  const group = found ? await contactsOfPerson(db, found.person) : [];
  return {
    contact: found?.contact ?? null,
    linked: group.filter((c) => c.id !== found?.contact.id),
    callbackPhone: phone?.address ?? null,
    callbackRequested: kase.callbackRequested,
    letterLinks: postal !== null,
    otherCases: found ? await casesOfPerson(db, found.person, { viewer, exceptCaseId: kase.id, limit: OTHER_CASES_SHOWN }) : [],
    search: found && search !== undefined ? await runSearch(db, search, found.contact.id, found.person) : null,
  };
}

async function runSearch(db: DbOrTx, raw: string, ownId: number, person: number): Promise<ContactSearch> {
  const text = raw.trim();
  if (text.length < SEARCH_MIN)
    return { text, error: `Bitte geben Sie mindestens ${SEARCH_MIN} Zeichen ein: eine Adresse oder den Anfang eines Namens.`, hits: [] };
  if (text.length > SEARCH_MAX) return { text, error: `Bitte geben Sie höchstens ${SEARCH_MAX} Zeichen ein.`, hits: [] };
  const hits = (await searchContacts(db, text, CONTACT_HITS_SHOWN + 1)).filter((h) => h.id !== ownId).slice(0, CONTACT_HITS_SHOWN);
  return { text, error: null, hits: hits.map((h) => ({ ...h, samePerson: h.personId === person })) };
}
