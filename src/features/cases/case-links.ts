import { and, desc, eq, inArray, notInArray, or } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../infra/db.ts';
import { type CaseLinkKind, caseLinks, cases } from '../../infra/schema/index.ts';
import { recordAudit, SYSTEM } from './audit.ts';
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
