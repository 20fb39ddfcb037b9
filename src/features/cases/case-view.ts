import type { DbOrTx } from '../../infra/db.ts';
import { forbidden, notFound } from '../../infra/errors.ts';
import { duplicatesPanel } from '../duplicates/staff-panel.ts';
import { findCaseSla } from '../sla/queries.ts';
import { canSeeTeam, type Viewer } from './access.ts';
import { linksOf } from './case-links.ts';
import { contactPanel } from './contact-panel.ts';
import { type ForwardSeen, forwardSeenBy, forwardTarget } from './forwards.ts';
import { attachmentsOf, auditOf, filesOf, findAttachment, findCaseByNumber, originalOf, threadOf } from './queries.ts';
import { categoryList, teamList } from './reference-data.ts';
import { assigneeChoices } from './service.ts';

export const CASE_NUMBER = /^\d{4}-\d{5,}$/;
const NOT_FOUND = 'Dieses Anliegen gibt es nicht, oder Sie haben keinen Zugriff darauf.';

type FoundCase = NonNullable<Awaited<ReturnType<typeof findCaseByNumber>>>;

/**
 * The case if this viewer may work on it. A case of another team answers exactly like a missing
 * one, so a number cannot be probed for existence; a case the viewer's team handed on (they know
 * it exists) answers 403: they may read it (readableCase), not change it.
 */
export async function visibleCase(db: DbOrTx, viewer: Viewer, number: string): Promise<FoundCase> {
  const { kase, readOnly } = await readableCase(db, viewer, number);
  if (readOnly) throw forbidden(readOnlyMessage(kase.number, readOnly));
  return kase;
}

/** The case for reading: with `readOnly` set when the viewer only sees it as the team that handed it on. */
export async function readableCase(db: DbOrTx, viewer: Viewer, number: string): Promise<{ kase: FoundCase; readOnly: ForwardSeen | null }> {
  const kase = CASE_NUMBER.test(number) ? await findCaseByNumber(db, number) : null;
  if (!kase) throw notFound(NOT_FOUND);
  if (canSeeTeam(viewer, kase.teamId)) return { kase, readOnly: null };
  const readOnly = await forwardSeenBy(db, viewer, kase.id);
  if (!readOnly) throw notFound(NOT_FOUND);
  return { kase, readOnly };
}

export function readOnlyMessage(number: string, f: ForwardSeen): string {
  return `Anliegen ${number} wurde an ${forwardTarget(f)} weitergeleitet. Sie können es noch lesen, aber nicht mehr ändern.`;
}

/**
 * What the team that handed a case on still reads: the thread without the internal notes written
 * after its hand-off, the audit trail up to it, the photos and files; nothing of the panels.
 */
export async function readOnlyPageData(db: DbOrTx, kase: FoundCase, seen: ForwardSeen) {
  const until = seen.forwardedAt.getTime();
  const thread = (await threadOf(db, kase.id)).filter((m) => m.kind !== 'note' || m.createdAt.getTime() <= until);
  const audit = (await auditOf(db, kase.id)).filter((a) => a.createdAt.getTime() <= until);
  const [photos, files, links] = [await attachmentsOf(db, kase.id), await filesOf(db, kase.id), await linksOf(db, kase.id)];
  return { thread, photos, files, audit, links, options: { teams: [], categories: [], assignees: [] } };
}

/** Everything the case page shows besides the case itself. */
/** `contactSearch`: what was typed into the contact panel's search (?kontakt=…), if anything. */
export async function casePageData(db: DbOrTx, viewer: Viewer, kase: FoundCase, now: Date, contactSearch?: string) {
  const [thread, photos, files, audit, teams, categories, assignees] = [
    await threadOf(db, kase.id),
    await attachmentsOf(db, kase.id),
    await filesOf(db, kase.id),
    await auditOf(db, kase.id),
    await teamList(db),
    await categoryList(db),
    await assigneeChoices(db, viewer, kase.teamId),
  ];
  const duplicates = await duplicatesPanel(db, viewer, kase, now);
  const sla = await findCaseSla(db, kase.id);
  const contact = await contactPanel(db, viewer, kase, contactSearch);
  const links = await linksOf(db, kase.id);
  return { thread, photos, files, audit, options: { teams, categories, assignees }, duplicates, sla, contact, links };
}

const mimeByExtension: Record<string, string> = { jpg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };

/** A photo (or its thumbnail) of a visible case: storage key and content type. */
export async function photoOf(db: DbOrTx, viewer: Viewer, number: string, attachmentId: number, thumb: boolean) {
  const { kase } = await readableCase(db, viewer, number);
  const photo = await findAttachment(db, kase.id, attachmentId, 'photo');
  if (!photo) throw notFound('Dieses Foto gibt es nicht.');
  const key = thumb ? (photo.thumbKey ?? photo.storageKey) : photo.storageKey;
  const ext = key.slice(key.lastIndexOf('.') + 1);
  return { key, mimeType: mimeByExtension[ext] ?? photo.mimeType };
}

/** A file (PDF, office document) of a visible case, as the download route sends it. */
export async function fileOf(db: DbOrTx, viewer: Viewer, number: string, attachmentId: number) {
  const { kase } = await readableCase(db, viewer, number);
  const file = await findAttachment(db, kase.id, attachmentId, 'file');
  if (!file) throw notFound('Diese Datei gibt es nicht.');
  return { key: file.storageKey, filename: file.filename, mimeType: file.mimeType, fallbackName: `${kase.number}-datei-${file.id}` };
}

/** The "Originalansicht" of a message of a visible case; another case's message answers like a missing one. */
export async function originalMessageOf(db: DbOrTx, viewer: Viewer, number: string, messageId: number) {
  const kase = await visibleCase(db, viewer, number);
  const message = await originalOf(db, kase.id, messageId);
  if (!message) throw notFound('Zu dieser Nachricht gibt es keine Originalansicht.');
  return { number: kase.number, message };
}
