import { and, asc, eq, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../infra/db.ts';
import { cases, categories, teams } from '../../infra/schema/index.ts';
import { recordAudit } from './audit.ts';
import type { CasesDeps, StaffActor } from './service.ts';

export const QUEUE_SIZE = 50;
const EXCERPT = 90;

/**
 * "Meine Warteschlange": open, unassigned cases of the actor's teams, oldest first. An admin who is
 * in no team looks at every team's queue. Cases in triage (no team) are not here: they have their
 * own view in the inbox ("ohne Team").
 */
function queueWhere(actor: StaffActor): SQL {
  const conds: SQL[] = [isNull(cases.assigneeId), inArray(cases.status, ['new', 'in_progress'])];
  if (actor.role !== 'admin' || actor.teamIds.length > 0) {
    conds.push(actor.teamIds.length > 0 ? inArray(cases.teamId, actor.teamIds) : sql`false`);
  } else {
    conds.push(sql`${cases.teamId} is not null`);
  }
  return and(...conds) as SQL;
}

export async function loadQueue(db: DbOrTx, actor: StaffActor) {
  const rows = await db
    .select({
      id: cases.id,
      number: cases.number,
      type: cases.type,
      status: cases.status,
      createdAt: cases.createdAt,
      categoryName: categories.name,
      teamName: teams.name,
      excerpt: sql<string>`left(${cases.description}, ${EXCERPT + 1})`,
    })
    .from(cases)
    .leftJoin(categories, eq(categories.id, cases.categoryId))
    .leftJoin(teams, eq(teams.id, cases.teamId))
    .where(queueWhere(actor))
    .orderBy(asc(cases.createdAt), asc(cases.id))
    .limit(QUEUE_SIZE);
  return rows.map((r) => ({ ...r, excerpt: r.excerpt.length > EXCERPT ? `${r.excerpt.slice(0, EXCERPT)}…` : r.excerpt }));
}
export type QueueRow = Awaited<ReturnType<typeof loadQueue>>[number];

/**
 * "Nächstes übernehmen": assigns the oldest unassigned open case of the actor's teams to them.
 * The candidate is picked FOR UPDATE SKIP LOCKED, so two clerks clicking at once lock different
 * rows instead of queueing on the same one, and the UPDATE re-checks "still unassigned": nobody
 * ever gets a case someone else just took. Returns null when the queue is empty.
 */
export async function claimNext(deps: Pick<CasesDeps, 'db' | 'clock'>, actor: StaffActor): Promise<{ id: number; number: string } | null> {
  return deps.db.transaction(async (tx) => {
    const candidate = tx
      .select({ id: cases.id })
      .from(cases)
      .where(queueWhere(actor))
      .orderBy(asc(cases.createdAt), asc(cases.id))
      .limit(1)
      .for('update', { skipLocked: true });
    const now = deps.clock.now();
    const [claimed] = await tx
      .update(cases)
      .set({ assigneeId: actor.id, updatedAt: now, version: sql`${cases.version} + 1` })
      .where(and(sql`${cases.id} = (${candidate})`, isNull(cases.assigneeId)))
      .returning({ id: cases.id, number: cases.number });
    if (!claimed) return null;
    await recordAudit(tx, {
      caseId: claimed.id,
      actor: { userId: actor.id, label: actor.displayName },
      action: 'assigned',
      details: { to: actor.displayName, reason: 'als Nächstes übernommen' },
      at: now,
    });
    return claimed;
  });
}
