import { eq, inArray, or, sql } from 'drizzle-orm';
import type { Clock } from '../../infra/clock.ts';
import type { Db, Tx } from '../../infra/db.ts';
import { invalid, notFound } from '../../infra/errors.ts';
import type { Logger } from '../../infra/log.ts';
import { cases, contacts } from '../../infra/schema/index.ts';
import { canSeeTeam, type Viewer } from './access.ts';
import { type Actor, recordAudit } from './audit.ts';

export interface ContactLinkDeps {
  db: Db;
  clock: Clock;
  log: Logger;
}

/** Who links: a staff member on a case page (the audit entry goes on that case), or the command line. */
export interface LinkOrigin {
  actor: Actor;
  caseId: number | null;
}

/** One link or unlink at a time town-wide (distinct from the other advisory locks), so two joins never split a group. */
const PERSON_LOCK = 727_341;

function underPersonLock<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${PERSON_LOCK}::bigint)`);
    return work(tx);
  });
}

const UNKNOWN_CONTACT = 'Diesen Kontakt gibt es nicht (mehr). Bitte suchen Sie ihn noch einmal.';
const NOT_FOUND = 'Dieses Anliegen gibt es nicht, oder Sie haben keinen Zugriff darauf.';

export type LinkOutcome = { outcome: 'linked'; personId: number; moved: number } | { outcome: 'already'; personId: number };
export type UnlinkOutcome = { outcome: 'unlinked'; personId: number } | { outcome: 'alone' };

async function personsOf(tx: Tx, ids: number[]) {
  return tx
    .select({ id: contacts.id, person: sql<number>`coalesce(${contacts.personId}, ${contacts.id})` })
    .from(contacts)
    .where(inArray(contacts.id, ids))
    .for('update');
}

/**
 * Every contact of the given persons becomes one person, whose id is the lowest contact id among
 * them (that contact keeps `person_id` null, all others point to it): linking two contacts that
 * already belong to different persons joins both groups.
 */
async function joinPersons(tx: Tx, persons: number[], now: Date): Promise<{ personId: number; moved: number }> {
  const members = await tx
    .select({ id: contacts.id, personId: contacts.personId })
    .from(contacts)
    .where(or(inArray(contacts.id, persons), inArray(contacts.personId, persons)))
    .for('update');
  const personId = Math.min(...members.map((m) => m.id));
  const moving = members.filter((m) => (m.id === personId ? m.personId !== null : m.personId !== personId)).map((m) => m.id);
  if (moving.length > 0) {
    await tx
      .update(contacts)
      .set({ personId: sql`case when ${contacts.id} = ${personId} then null else ${personId}::int end`, updatedAt: now })
      .where(inArray(contacts.id, moving));
  }
  return { personId, moved: moving.length };
}

/** Links `otherId` to the person of `contactId` (both groups join); in one transaction with its audit entry. */
export async function linkContacts(deps: ContactLinkDeps, origin: LinkOrigin, contactId: number, otherId: number): Promise<LinkOutcome> {
  if (contactId === otherId) throw invalid('Ein Kontakt lässt sich nicht mit sich selbst verknüpfen. Bitte wählen Sie einen anderen.');
  return underPersonLock(deps.db, async (tx) => {
    return linkInTx(tx, deps, origin, contactId, otherId);
  });
}

async function linkInTx(tx: Tx, deps: ContactLinkDeps, origin: LinkOrigin, contactId: number, otherId: number): Promise<LinkOutcome> {
  const found = await personsOf(tx, [contactId, otherId]);
  const mine = found.find((c) => c.id === contactId);
  const other = found.find((c) => c.id === otherId);
  if (!mine || !other) throw invalid(UNKNOWN_CONTACT);
  if (mine.person === other.person) return { outcome: 'already', personId: mine.person };
  const now = deps.clock.now();
  const joined = await joinPersons(tx, [mine.person, other.person], now);
  if (origin.caseId !== null) {
    await recordAudit(tx, {
      caseId: origin.caseId,
      actor: origin.actor,
      action: 'contact_linked',
      details: { contactId, otherId, personId: joined.personId, moved: joined.moved },
      at: now,
    });
  }
  deps.log.info({ contactId, otherId, personId: joined.personId, moved: joined.moved, byUserId: origin.actor.userId }, 'contacts linked');
  return { outcome: 'linked', ...joined };
}

/**
 * The contact stands for itself again. When it stood for the person, the others stay one person
 * under the lowest of their ids.
 */
export async function unlinkContact(deps: ContactLinkDeps, origin: LinkOrigin, contactId: number): Promise<UnlinkOutcome> {
  return underPersonLock(deps.db, async (tx) => {
    return unlinkInTx(tx, deps, origin, contactId);
  });
}

async function unlinkInTx(tx: Tx, deps: ContactLinkDeps, origin: LinkOrigin, contactId: number): Promise<UnlinkOutcome> {
  const [mine] = await personsOf(tx, [contactId]);
  if (!mine) throw invalid(UNKNOWN_CONTACT);
  const group = await tx
    .select({ id: contacts.id })
    .from(contacts)
    .where(or(eq(contacts.id, mine.person), eq(contacts.personId, mine.person)))
    .for('update');
  if (group.length < 2) return { outcome: 'alone' };
  const now = deps.clock.now();
  await tx.update(contacts).set({ personId: null, updatedAt: now }).where(eq(contacts.id, contactId));
  const rest = group.filter((c) => c.id !== contactId).map((c) => c.id);
  const restPerson = Math.min(...rest);
  await tx
    .update(contacts)
    .set({ personId: sql`case when ${contacts.id} = ${restPerson} then null else ${restPerson}::int end`, updatedAt: now })
    .where(inArray(contacts.id, rest));
  if (origin.caseId !== null) {
    await recordAudit(tx, {
      caseId: origin.caseId,
      actor: origin.actor,
      action: 'contact_unlinked',
      details: { contactId, personId: mine.person, restPersonId: restPerson },
      at: now,
    });
  }
  deps.log.info({ contactId, personId: mine.person, byUserId: origin.actor.userId }, 'contact unlinked');
  return { outcome: 'unlinked', personId: mine.person };
}

/** The case page's side: the case must be visible to the actor and have a contact; returns its contact id. */
async function caseContact(tx: Tx, viewer: Viewer, caseId: number): Promise<number> {
  const [row] = await tx.select({ teamId: cases.teamId, contactId: cases.contactId }).from(cases).where(eq(cases.id, caseId));
  if (!row || !canSeeTeam(viewer, row.teamId)) throw notFound(NOT_FOUND);
  if (row.contactId === null) throw invalid('Dieses Anliegen hat keinen Kontakt, mit dem sich ein anderer verknüpfen ließe.');
  return row.contactId;
}

/** "Als dieselbe Person verknüpfen" on a case page: `otherId` joins the person of the case's contact. */
export async function linkToCaseContact(deps: ContactLinkDeps, viewer: Viewer, actor: Actor, caseId: number, otherId: number) {
  return underPersonLock(deps.db, async (tx) => {
    const contactId = await caseContact(tx, viewer, caseId);
    if (contactId === otherId) throw invalid('Das ist der Kontakt dieses Anliegens selbst. Bitte wählen Sie einen anderen.');
    return linkInTx(tx, deps, { actor, caseId }, contactId, otherId);
  });
}

/** "Verknüpfung lösen" on a case page: only for a contact of the same person as the case's contact. */
export async function unlinkFromCasePerson(deps: ContactLinkDeps, viewer: Viewer, actor: Actor, caseId: number, contactId: number) {
  return underPersonLock(deps.db, async (tx) => {
    const own = await caseContact(tx, viewer, caseId);
    const found = await personsOf(tx, [own, contactId]);
    const person = (id: number) => found.find((c) => c.id === id)?.person;
    if (person(contactId) === undefined) throw invalid(UNKNOWN_CONTACT);
    if (person(contactId) !== person(own))
      throw invalid('Dieser Kontakt gehört nicht zur Person dieses Anliegens; es gibt nichts zu lösen.');
    return unlinkInTx(tx, deps, { actor, caseId }, contactId);
  });
}
