import type { DbOrTx } from '../../infra/db.ts';
import type { Viewer } from './access.ts';
import { type ContactSummary, casesOfPerson, type PersonCase, searchContacts } from './contact-queries.ts';

/** Contacts shown above the inbox's results: a few, the search is about cases. */
export const INBOX_CONTACTS_SHOWN = 5;
const CASES_PER_CONTACT = 3;
const CONTACT_SEARCH_MIN = 2;

export interface InboxContact {
  contact: ContactSummary;
  /** The person's newest cases this viewer may see. */
  cases: PersonCase[];
}

/**
 * Contacts whose address is the search text or whose name starts with it, each with the person's
 * newest cases. A contact is shown only with a case the viewer may see: staff of one team do not
 * learn of citizens who only wrote to another team.
 */
export async function inboxContacts(db: DbOrTx, viewer: Viewer, q: string): Promise<InboxContact[]> {
  const text = q.trim();
  if (text.length < CONTACT_SEARCH_MIN) return [];
  const found: InboxContact[] = [];
  for (const contact of await searchContacts(db, text, INBOX_CONTACTS_SHOWN * 2)) {
    const cases = await casesOfPerson(db, contact.personId, { viewer, limit: CASES_PER_CONTACT });
    if (cases.length > 0) found.push({ contact, cases });
    if (found.length === INBOX_CONTACTS_SHOWN) break;
  }
  return found;
}
