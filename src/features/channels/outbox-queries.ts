import { and, desc, eq, lt } from 'drizzle-orm';
import type { DbOrTx } from '../../infra/db.ts';
import { cases, outboxMails } from '../../infra/schema/index.ts';
import { type Viewer, visibleCasesWhere } from '../cases/access.ts';

export const OUTBOX_PAGE = 50;

/**
 * Staff see the mails of cases they can see; mails without a case (none today, but the table
 * allows it) only admins. The inner join does that for staff; admins get a left join.
 */
function scope(viewer: Viewer) {
  return viewer.role === 'admin' ? undefined : visibleCasesWhere(viewer);
}

const listColumns = {
  id: outboxMails.id,
  toAddress: outboxMails.toAddress,
  subject: outboxMails.subject,
  status: outboxMails.status,
  attempts: outboxMails.attempts,
  lastError: outboxMails.lastError,
  createdAt: outboxMails.createdAt,
  sentAt: outboxMails.sentAt,
  caseNumber: cases.number,
};

/** Newest first by id (the primary key), keyset-paged with `beforeId`. */
export async function listOutbox(db: DbOrTx, viewer: Viewer, beforeId: number | null) {
  const where = and(scope(viewer), beforeId ? lt(outboxMails.id, beforeId) : undefined);
  const base = db.select(listColumns).from(outboxMails);
  const joined =
    viewer.role === 'admin'
      ? base.leftJoin(cases, eq(cases.id, outboxMails.caseId))
      : base.innerJoin(cases, eq(cases.id, outboxMails.caseId));
  const rows = await joined
    .where(where)
    .orderBy(desc(outboxMails.id))
    .limit(OUTBOX_PAGE + 1);
  return { rows: rows.slice(0, OUTBOX_PAGE), nextBefore: rows.length > OUTBOX_PAGE ? (rows[OUTBOX_PAGE - 1]?.id ?? null) : null };
}
export type OutboxListRow = Awaited<ReturnType<typeof listOutbox>>['rows'][number];

export async function findOutboxMail(db: DbOrTx, viewer: Viewer, id: number) {
  const base = db.select({ mail: outboxMails, caseNumber: cases.number }).from(outboxMails);
  const joined =
    viewer.role === 'admin'
      ? base.leftJoin(cases, eq(cases.id, outboxMails.caseId))
      : base.innerJoin(cases, eq(cases.id, outboxMails.caseId));
  const [row] = await joined.where(and(eq(outboxMails.id, id), scope(viewer))).limit(1);
  return row ? { ...row.mail, caseNumber: row.caseNumber } : null;
}
export type OutboxMailDetail = NonNullable<Awaited<ReturnType<typeof findOutboxMail>>>;
