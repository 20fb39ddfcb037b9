import { and, asc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../infra/db.ts';
import { attachments, auditEvents, cases, categories, messages, teams } from '../../infra/schema/index.ts';
import { referenceData } from '../cases/reference-data.ts';

/** Audit actions a citizen may see; assignments to persons, priorities and notes stay internal. */
export const PUBLIC_AUDIT_ACTIONS = [
  'created',
  'routed',
  'status_changed',
  'merged_into',
  'public_note',
  'team_changed',
  'type_changed',
  'category_changed',
];

/** Message kinds a citizen may see. Internal notes ('note') are never selected, not even filtered later. */
export const PUBLIC_MESSAGE_KINDS = ['inbound', 'reply', 'auto'] as const;

export async function caseByToken(db: Db, token: string) {
  const [row] = await db
    .select({
      id: cases.id,
      number: cases.number,
      type: cases.type,
      status: cases.status,
      channel: cases.channel,
      description: cases.description,
      locationText: cases.locationText,
      lat: cases.lat,
      lon: cases.lon,
      createdAt: cases.createdAt,
      closedAt: cases.closedAt,
      mergedIntoId: cases.mergedIntoId,
      reporterName: cases.reporterName,
      categoryName: categories.name,
      teamName: teams.name,
    })
    .from(cases)
    .leftJoin(categories, eq(categories.id, cases.categoryId))
    .leftJoin(teams, eq(teams.id, cases.teamId))
    .where(eq(cases.trackingToken, token));
  return row ?? null;
}
export type TrackedCase = NonNullable<Awaited<ReturnType<typeof caseByToken>>>;

export function publicHistory(db: Db, caseId: number) {
  return db
    .select({ id: auditEvents.id, action: auditEvents.action, details: auditEvents.details, createdAt: auditEvents.createdAt })
    .from(auditEvents)
    .where(and(eq(auditEvents.caseId, caseId), inArray(auditEvents.action, PUBLIC_AUDIT_ACTIONS)))
    .orderBy(asc(auditEvents.createdAt), asc(auditEvents.id));
}

/** Team and category names for the public history, from the shared reference-data cache. */
export async function publicNames(db: Db): Promise<{ teams: Map<number, string>; categories: Map<number, string> }> {
  const ref = await referenceData(db);
  return {
    teams: new Map([...ref.teamsById].map(([id, t]) => [id, t.name])),
    categories: new Map([...ref.categoriesById].map(([id, c]) => [id, c.name])),
  };
}

export function publicMessages(db: Db, caseId: number) {
  return db
    .select({ id: messages.id, kind: messages.kind, body: messages.body, createdAt: messages.createdAt })
    .from(messages)
    .where(and(eq(messages.caseId, caseId), inArray(messages.kind, [...PUBLIC_MESSAGE_KINDS])))
    .orderBy(asc(messages.createdAt), asc(messages.id));
}

/** Photos of the case from the reporter's own or public messages; never those of notes or of followers. */
const publicAttachment = or(isNull(attachments.messageId), inArray(messages.kind, [...PUBLIC_MESSAGE_KINDS]));

export function publicPhotos(db: Db, caseId: number) {
  return db
    .select({
      id: attachments.id,
      width: sql<number>`coalesce(${attachments.width}, 0)`,
      height: sql<number>`coalesce(${attachments.height}, 0)`,
    })
    .from(attachments)
    .leftJoin(messages, eq(messages.id, attachments.messageId))
    .where(and(eq(attachments.caseId, caseId), eq(attachments.kind, 'photo'), publicAttachment))
    .orderBy(asc(attachments.id));
}

/** One photo, only when it belongs to the case behind this token and is public. */
export async function photoOfCase(db: Db, token: string, attachmentId: number) {
  const [row] = await db
    .select({ storageKey: attachments.storageKey, thumbKey: attachments.thumbKey, mimeType: attachments.mimeType })
    .from(attachments)
    .innerJoin(cases, eq(cases.id, attachments.caseId))
    .leftJoin(messages, eq(messages.id, attachments.messageId))
    .where(and(eq(cases.trackingToken, token), eq(attachments.id, attachmentId), eq(attachments.kind, 'photo'), publicAttachment));
  return row ?? null;
}

/** Public facts of a case, by id: what a follower or a merged reporter may see about it. */
export async function publicCaseFacts(db: DbOrTx, caseId: number) {
  const [row] = await db
    .select({
      id: cases.id,
      number: cases.number,
      status: cases.status,
      type: cases.type,
      locationText: cases.locationText,
      createdAt: cases.createdAt,
      closedAt: cases.closedAt,
      mergedIntoId: cases.mergedIntoId,
      categoryName: categories.name,
      teamName: teams.name,
    })
    .from(cases)
    .leftJoin(categories, eq(categories.id, cases.categoryId))
    .leftJoin(teams, eq(teams.id, cases.teamId))
    .where(eq(cases.id, caseId));
  return row ?? null;
}
export type PublicCaseFacts = NonNullable<Awaited<ReturnType<typeof publicCaseFacts>>>;

/**
 * Follows merged_into_id to the case that carries on (B → A → C). Bounded, so a cycle written by
 * hand into the database cannot hang a page.
 */
export async function finalCase(db: DbOrTx, caseId: number): Promise<PublicCaseFacts | null> {
  let current = await publicCaseFacts(db, caseId);
  for (let hops = 0; current?.mergedIntoId && hops < 10; hops++) current = await publicCaseFacts(db, current.mergedIntoId);
  return current;
}
