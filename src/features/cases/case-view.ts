import type { DbOrTx } from '../../infra/db.ts';
import { notFound } from '../../infra/errors.ts';
import { duplicatesPanel } from '../duplicates/staff-panel.ts';
import { findCaseSla } from '../sla/queries.ts';
import { canSeeTeam, type Viewer } from './access.ts';
import { linksOf } from './case-links.ts';
import { contactPanel } from './contact-panel.ts';
import { attachmentsOf, auditOf, filesOf, findAttachment, findCaseByNumber, originalOf, threadOf } from './queries.ts';
import { categoryList, teamList } from './reference-data.ts';
import { assigneeChoices } from './service.ts';

export const CASE_NUMBER = /^\d{4}-\d{5,}$/;
const NOT_FOUND = 'Dieses Anliegen gibt es nicht, oder Sie haben keinen Zugriff darauf.';

/**
 * The case if this viewer may see it. A case of another team answers exactly like a missing one,
 * so a number cannot be probed for existence.
 */
export async function visibleCase(db: DbOrTx, viewer: Viewer, number: string) {
  const kase = CASE_NUMBER.test(number) ? await findCaseByNumber(db, number) : null;
  if (!kase || !canSeeTeam(viewer, kase.teamId)) throw notFound(NOT_FOUND);
  return kase;
}

/** Everything the case page shows besides the case itself. */
/** `contactSearch`: what was typed into the contact panel's search (?kontakt=…), if anything. */
export async function casePageData(
  db: DbOrTx,
  viewer: Viewer,
  kase: Awaited<ReturnType<typeof visibleCase>>,
  now: Date,
  contactSearch?: string,
) {
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
  const kase = await visibleCase(db, viewer, number);
  const photo = await findAttachment(db, kase.id, attachmentId, 'photo');
  if (!photo) throw notFound('Dieses Foto gibt es nicht.');
  const key = thumb ? (photo.thumbKey ?? photo.storageKey) : photo.storageKey;
  const ext = key.slice(key.lastIndexOf('.') + 1);
  return { key, mimeType: mimeByExtension[ext] ?? photo.mimeType };
}

/** A file (PDF, office document) of a visible case, as the download route sends it. */
export async function fileOf(db: DbOrTx, viewer: Viewer, number: string, attachmentId: number) {
  const kase = await visibleCase(db, viewer, number);
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
