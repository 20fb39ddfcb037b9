import { and, desc, eq, lt, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../infra/db.ts';
import { mailPayload } from '../../infra/outbox-mail.ts';
import { cases, outbox } from '../../infra/schema/index.ts';
import { type Viewer, visibleCasesWhere } from '../cases/access.ts';

export const OUTBOX_PAGE = 50;

/**
 * Staff see the items of cases they can see; items without a case (staff notices, sign-in
 * warnings) only admins. The inner join does that for staff; admins get a left join.
 */
function scope(viewer: Viewer) {
  return viewer.role === 'admin' ? undefined : visibleCasesWhere(viewer);
}

const listColumns = {
  id: outbox.id,
  kind: outbox.kind,
  toAddress: outbox.address,
  subject: sql<string>`coalesce(${outbox.payload}->>'subject', '')`,
  status: outbox.status,
  attempts: outbox.attempts,
  lastError: outbox.lastError,
  createdAt: outbox.createdAt,
  sentAt: outbox.sentAt,
  caseNumber: cases.number,
};

/** Newest first by id (the primary key), keyset-paged with `beforeId`. */
export async function listOutbox(db: DbOrTx, viewer: Viewer, beforeId: number | null) {
  const where = and(scope(viewer), beforeId ? lt(outbox.id, beforeId) : undefined);
  const base = db.select(listColumns).from(outbox);
  const joined =
    viewer.role === 'admin' ? base.leftJoin(cases, eq(cases.id, outbox.caseId)) : base.innerJoin(cases, eq(cases.id, outbox.caseId));
  const rows = await joined
    .where(where)
    .orderBy(desc(outbox.id))
    .limit(OUTBOX_PAGE + 1);
  return { rows: rows.slice(0, OUTBOX_PAGE), nextBefore: rows.length > OUTBOX_PAGE ? (rows[OUTBOX_PAGE - 1]?.id ?? null) : null };
}
export type OutboxListRow = Awaited<ReturnType<typeof listOutbox>>['rows'][number];

/** One mail of the outbox with its headers, as the detail page shows it. */
export async function findOutboxMail(db: DbOrTx, viewer: Viewer, id: number) {
  const base = db.select({ item: outbox, caseNumber: cases.number }).from(outbox);
  const joined =
    viewer.role === 'admin' ? base.leftJoin(cases, eq(cases.id, outbox.caseId)) : base.innerJoin(cases, eq(cases.id, outbox.caseId));
  const [row] = await joined.where(and(eq(outbox.id, id), eq(outbox.kind, 'email'), scope(viewer))).limit(1);
  if (!row) return null;
  const mail = mailPayload.parse(row.item.payload);
  return {
    ...row.item,
    toAddress: row.item.address,
    subject: mail.subject,
    text: mail.text,
    messageId: row.item.externalRef ?? '',
    inReplyTo: mail.inReplyTo,
    references: mail.references,
    caseNumber: row.caseNumber,
  };
}
export type OutboxMailDetail = NonNullable<Awaited<ReturnType<typeof findOutboxMail>>>;
