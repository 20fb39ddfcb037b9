import { and, asc, desc, eq, inArray, notInArray, or } from 'drizzle-orm';
import type { Clock } from '../../infra/clock.ts';
import type { Db, DbOrTx, Tx } from '../../infra/db.ts';
import { invalid, notFound } from '../../infra/errors.ts';
import { type CaseLinkKind, caseLinks, cases } from '../../infra/schema/index.ts';
import { canSeeTeam, type Viewer } from './access.ts';
import { type Actor, recordAudit, SYSTEM } from './audit.ts';
import { forwardSeenBy, forwardTarget } from './forwards.ts';
import { closedStatuses } from './labels.ts';

/**
 * The open case a citizen's message to this closed case opened earlier (kind 'follow_up', the new
 * case in `case_id`), so a second message to the old thread joins it instead of opening another.
 */
export async function openFollowUpOf(tx: Tx, closedCaseId: number) {
  const [row] = await tx
    .select({
      caseId: cases.id,
      number: cases.number,
      token: cases.trackingToken,
      status: cases.status,
      teamId: cases.teamId,
      type: cases.type,
      priority: cases.priority,
      categoryId: cases.categoryId,
    })
    .from(caseLinks)
    .innerJoin(cases, eq(cases.id, caseLinks.caseId))
    .where(and(eq(caseLinks.linkedCaseId, closedCaseId), eq(caseLinks.kind, 'follow_up'), notInArray(cases.status, [...closedStatuses])))
    .orderBy(desc(caseLinks.id))
    .limit(1);
  return row ?? null;
}

/** Links a case opened by a message to a closed one, with an entry in both audit trails. */
export async function linkFollowUp(
  tx: Tx,
  p: { closed: { caseId: number; number: string }; opened: { caseId: number; number: string }; at: Date },
): Promise<void> {
  await tx.insert(caseLinks).values({ caseId: p.opened.caseId, linkedCaseId: p.closed.caseId, kind: 'follow_up', createdAt: p.at });
  await recordAudit(tx, {
    caseId: p.opened.caseId,
    actor: SYSTEM,
    action: 'case_linked',
    details: { kind: 'follow_up_of', number: p.closed.number },
    at: p.at,
  });
  await recordAudit(tx, {
    caseId: p.closed.caseId,
    actor: SYSTEM,
    action: 'case_linked',
    details: { kind: 'follow_up', number: p.opened.number },
    at: p.at,
  });
}

export interface CaseLinkView {
  kind: CaseLinkKind;
  /** 'follow_up_of': this case continues the linked one; 'follow_up': the linked one continues this. */
  direction: 'follow_up_of' | 'follow_up' | 'related';
  number: string;
}

/** The links of a case, read from both columns, oldest first. */
export async function linksOf(db: DbOrTx, caseId: number): Promise<CaseLinkView[]> {
  const rows = await db
    .select({ kind: caseLinks.kind, caseId: caseLinks.caseId, linkedCaseId: caseLinks.linkedCaseId })
    .from(caseLinks)
    .where(or(eq(caseLinks.caseId, caseId), eq(caseLinks.linkedCaseId, caseId)))
    .orderBy(caseLinks.id);
  if (rows.length === 0) return [];
  const otherIds = rows.map((r) => (r.caseId === caseId ? r.linkedCaseId : r.caseId));
  const numbers = new Map(
    (await db.select({ id: cases.id, number: cases.number }).from(cases).where(inArray(cases.id, otherIds))).map((c) => [c.id, c.number]),
  );
  return rows.map((r) => {
    const own = r.caseId === caseId;
    const direction = r.kind === 'related' ? 'related' : own ? 'follow_up_of' : 'follow_up';
    return { kind: r.kind, direction, number: numbers.get(own ? r.linkedCaseId : r.caseId) ?? '' };
  });
}

/** "Folgeanliegen zu 2026-00012" / "Folgeanliegen: 2026-00077" / "Verknüpft mit 2026-00005". */
export function linkLabel(link: Pick<CaseLinkView, 'direction'>): string {
  return link.direction === 'follow_up_of' ? 'Folgeanliegen zu' : link.direction === 'follow_up' ? 'Folgeanliegen:' : 'Verknüpft mit';
}

/** Who links by hand: a clerk (`viewer`, who must be allowed to work on both cases) or the command line (null). */
export interface LinkBy {
  viewer: Viewer | null;
  actor: Actor;
}

const NOT_FOUND = 'Dieses Anliegen gibt es nicht, oder Sie haben keinen Zugriff darauf.';

/**
 * Both cases, locked in id order (two clerks linking A–B and B–A wait for each other), after the
 * checks a clerk gets as German messages beside the number field.
 */
async function lockPair(tx: Tx, by: LinkBy, caseId: number, otherNumber: string) {
  const [found] = await tx.select({ id: cases.id }).from(cases).where(eq(cases.number, otherNumber));
  const rows = await tx
    .select()
    .from(cases)
    .where(inArray(cases.id, found ? [caseId, found.id] : [caseId]))
    .orderBy(asc(cases.id))
    .for('update');
  const here = rows.find((r) => r.id === caseId);
  const other = rows.find((r) => r.id !== caseId);
  if (!here || (by.viewer && !canSeeTeam(by.viewer, here.teamId))) throw notFound(NOT_FOUND);
  const field = (message: string) => invalid(message, { other: message });
  if (otherNumber === here.number) throw field('Ein Anliegen lässt sich nicht mit sich selbst verknüpfen.');
  const unknown = `Ein Anliegen ${otherNumber} gibt es nicht, oder Sie haben keinen Zugriff darauf.`;
  if (!other) throw field(unknown);
  if (by.viewer && !canSeeTeam(by.viewer, other.teamId)) {
    const seen = await forwardSeenBy(tx, by.viewer, other.id);
    throw field(seen ? `Anliegen ${other.number} liegt jetzt bei ${forwardTarget(seen)}; Sie können es nur noch lesen.` : unknown);
  }
  const pair = or(
    and(eq(caseLinks.caseId, here.id), eq(caseLinks.linkedCaseId, other.id)),
    and(eq(caseLinks.caseId, other.id), eq(caseLinks.linkedCaseId, here.id)),
  );
  const [existing] = await tx.select().from(caseLinks).where(pair);
  return { here, other, existing: existing ?? null };
}

/**
 * "Verknüpft mit …": two cases that belong together without being merged (kind 'related'), by
 * hand from the case page or `amtsblatt case link`. A pair is linked once, in whichever direction
 * and of whichever kind; both audit trails say so.
 */
export async function linkRelated(deps: { db: Db; clock: Clock }, by: LinkBy, caseId: number, otherNumber: string) {
  return deps.db.transaction(async (tx) => {
    const { here, other, existing } = await lockPair(tx, by, caseId, otherNumber);
    if (existing) return { outcome: 'already' as const, number: here.number, other: other.number };
    const at = deps.clock.now();
    await tx
      .insert(caseLinks)
      .values({ caseId: here.id, linkedCaseId: other.id, kind: 'related', createdBy: by.actor.userId, createdAt: at });
    for (const [a, b] of [
      [here, other],
      [other, here],
    ] as const) {
      await recordAudit(tx, { caseId: a.id, actor: by.actor, action: 'case_linked', details: { kind: 'related', number: b.number }, at });
    }
    return { outcome: 'linked' as const, number: here.number, other: other.number };
  });
}

/** Removes a 'related' link (follow-ups stay: they say where a citizen's message went). */
export async function unlinkRelated(deps: { db: Db; clock: Clock }, by: LinkBy, caseId: number, otherNumber: string) {
  return deps.db.transaction(async (tx) => {
    const { here, other, existing } = await lockPair(tx, by, caseId, otherNumber);
    if (existing?.kind !== 'related') return { outcome: 'absent' as const, number: here.number, other: other.number };
    const at = deps.clock.now();
    await tx.delete(caseLinks).where(eq(caseLinks.id, existing.id));
    for (const [a, b] of [
      [here, other],
      [other, here],
    ] as const) {
      await recordAudit(tx, { caseId: a.id, actor: by.actor, action: 'case_unlinked', details: { number: b.number }, at });
    }
    return { outcome: 'unlinked' as const, number: here.number, other: other.number };
  });
}
