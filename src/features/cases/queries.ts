import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../infra/db.ts';
import {
  attachments,
  auditEvents,
  cases,
  categories,
  districts,
  messages,
  teamMembers,
  teamSettings,
  teams,
  users,
} from '../../infra/schema/index.ts';

/** A case with the names of what it points to, for the case page. */
export async function findCaseByNumber(db: DbOrTx, number: string) {
  const [row] = await db
    .select({
      c: cases,
      categoryName: categories.name,
      teamName: teams.name,
      districtName: districts.name,
      assigneeName: users.displayName,
    })
    .from(cases)
    .leftJoin(categories, eq(categories.id, cases.categoryId))
    .leftJoin(teams, eq(teams.id, cases.teamId))
    .leftJoin(districts, eq(districts.id, cases.districtId))
    .leftJoin(users, eq(users.id, cases.assigneeId))
    .where(eq(cases.number, number))
    .limit(1);
  return row
    ? { ...row.c, categoryName: row.categoryName, teamName: row.teamName, districtName: row.districtName, assigneeName: row.assigneeName }
    : null;
}
export type CaseDetail = NonNullable<Awaited<ReturnType<typeof findCaseByNumber>>>;

/** Locks the case row for the rest of the transaction, so two edits cannot interleave. */
export async function lockCase(tx: Tx, id: number) {
  const [row] = await tx.select().from(cases).where(eq(cases.id, id)).for('update');
  return row ?? null;
}

export async function threadOf(db: DbOrTx, caseId: number) {
  return db
    .select({
      id: messages.id,
      kind: messages.kind,
      channel: messages.channel,
      body: messages.body,
      createdAt: messages.createdAt,
      authorName: users.displayName,
      hasOriginal: sql<boolean>`(${messages.originalText} is not null or ${messages.originalHtml} is not null)`,
      visibility: messages.visibility,
      publicUrl: messages.publicUrl,
    })
    .from(messages)
    .leftJoin(users, eq(users.id, messages.authorUserId))
    .where(eq(messages.caseId, caseId))
    .orderBy(asc(messages.createdAt), asc(messages.id));
}
export type ThreadMessage = Awaited<ReturnType<typeof threadOf>>[number];

/** One message of a case with its "Originalansicht" (a mail's whole text and sanitised HTML). */
export async function originalOf(db: DbOrTx, caseId: number, messageId: number) {
  const [row] = await db
    .select({
      id: messages.id,
      body: messages.body,
      createdAt: messages.createdAt,
      originalText: messages.originalText,
      originalHtml: messages.originalHtml,
    })
    .from(messages)
    .where(and(eq(messages.id, messageId), eq(messages.caseId, caseId)));
  return row && (row.originalText !== null || row.originalHtml !== null) ? row : null;
}

export async function attachmentsOf(db: DbOrTx, caseId: number) {
  return db
    .select({
      id: attachments.id,
      width: sql<number>`coalesce(${attachments.width}, 0)`,
      height: sql<number>`coalesce(${attachments.height}, 0)`,
      mimeType: attachments.mimeType,
    })
    .from(attachments)
    .where(and(eq(attachments.caseId, caseId), eq(attachments.kind, 'photo')))
    .orderBy(asc(attachments.id));
}

/** The PDFs and office documents of a case (mail attachments), oldest first. */
export async function filesOf(db: DbOrTx, caseId: number) {
  return db
    .select({ id: attachments.id, filename: attachments.filename, mimeType: attachments.mimeType, bytes: attachments.bytes })
    .from(attachments)
    .where(and(eq(attachments.caseId, caseId), eq(attachments.kind, 'file')))
    .orderBy(asc(attachments.id));
}
export type CaseFile = Awaited<ReturnType<typeof filesOf>>[number];

/** One attachment of a case, of the given kind: a photo route never serves a file, nor the other way round. */
export async function findAttachment(db: DbOrTx, caseId: number, id: number, kind: 'photo' | 'file') {
  const [row] = await db
    .select()
    .from(attachments)
    .where(and(eq(attachments.caseId, caseId), eq(attachments.id, id), eq(attachments.kind, kind)));
  return row ?? null;
}

export async function auditOf(db: DbOrTx, caseId: number) {
  return db
    .select({
      id: auditEvents.id,
      action: auditEvents.action,
      actorLabel: auditEvents.actorLabel,
      details: auditEvents.details,
      createdAt: auditEvents.createdAt,
    })
    .from(auditEvents)
    .where(eq(auditEvents.caseId, caseId))
    .orderBy(asc(auditEvents.createdAt), asc(auditEvents.id));
}
export type AuditRow = Awaited<ReturnType<typeof auditOf>>[number];

/** Active staff who may be assigned: members of the given teams, or everyone when `teamIds` is 'all'. */
export async function assignableUsers(db: DbOrTx, teamIds: number[] | 'all') {
  if (teamIds !== 'all' && teamIds.length === 0) return [];
  const base = db.selectDistinct({ id: users.id, displayName: users.displayName }).from(users);
  const rows =
    teamIds === 'all'
      ? await base.where(eq(users.active, true))
      : await base
          .innerJoin(teamMembers, eq(teamMembers.userId, users.id))
          .where(and(eq(users.active, true), inArray(teamMembers.teamId, teamIds)));
  return rows.sort((a, b) => a.displayName.localeCompare(b.displayName, 'de'));
}

export async function findTeam(db: DbOrTx, id: number) {
  const [row] = await db.select({ id: teams.id, name: teams.name }).from(teams).where(eq(teams.id, id));
  return row ?? null;
}

export async function findCategory(db: DbOrTx, id: number) {
  const [row] = await db.select({ id: categories.id, name: categories.name }).from(categories).where(eq(categories.id, id));
  return row ?? null;
}

export async function findUserName(db: DbOrTx, id: number) {
  const [row] = await db.select({ displayName: users.displayName }).from(users).where(eq(users.id, id));
  return row?.displayName ?? null;
}

/** The delivery note of the latest reply, shown when it could not be sent automatically. */
export async function latestReplyNote(db: DbOrTx, caseId: number): Promise<string | null> {
  const [row] = await db
    .select({ details: auditEvents.details })
    .from(auditEvents)
    .where(and(eq(auditEvents.caseId, caseId), eq(auditEvents.action, 'replied')))
    .orderBy(desc(auditEvents.id))
    .limit(1);
  const note = (row?.details as { note?: unknown } | undefined)?.note;
  return typeof note === 'string' ? note : null;
}

/** The team's signature under a reply (kept by the Textbausteine page in team_settings). */
export async function teamSignature(db: DbOrTx, teamId: number | null): Promise<string | null> {
  if (teamId === null) return null;
  const [row] = await db.select({ signature: teamSettings.signature }).from(teamSettings).where(eq(teamSettings.teamId, teamId));
  return row?.signature ?? null;
}
