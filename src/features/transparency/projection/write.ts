import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../../../infra/db.ts';
import { maskPersonalData } from '../../../infra/masking/mask.ts';
import { publicCases, publicCaseUpdates } from '../../../infra/schema/index.ts';
import { caseForProjection, knownNamesOf, projectionExtras, publicationOf, statusStepsOf } from './facts.ts';
import { publicStatusOf, publicSteps, type StatusStep, statusWords } from './status.ts';

/**
 * The projector: the only writer of `public_cases` and `public_case_updates`. It recomputes a
 * case's public row from the case and its publication decision, so every public reader sees the
 * same masked text, names, status and photos; a case that is not published has no row.
 */
export async function refreshPublicCase(tx: DbOrTx, caseId: number, now: Date): Promise<void> {
  const publication = await publicationOf(tx, caseId);
  const kase = publication?.state === 'published' ? await caseForProjection(tx, caseId) : null;
  if (!publication || !kase || kase.policy === 'never') {
    await removePublicCase(tx, caseId);
    return;
  }
  const knownNames = await knownNamesOf(tx, kase);
  const mask = (text: string | null) =>
    text === null ? null : maskPersonalData(text, { knownNames, maskHouseNumbers: kase.maskHouseNumbers ?? false }).text;
  const steps = await statusStepsOf(tx, caseId);
  const merged = kase.mergedIntoId !== null;
  const status = publicStatusOf(kase.status, merged);
  const words = statusWords(kase.status, steps);
  const extras = await projectionExtras(tx, kase);
  const [before] = await tx.select().from(publicCases).where(eq(publicCases.caseId, caseId)).for('update');
  const row = {
    caseId,
    number: kase.number,
    status,
    type: kase.type,
    categoryId: kase.categoryId,
    categorySlug: kase.categorySlug,
    categoryName: kase.categoryName,
    districtId: kase.districtId,
    districtName: kase.districtName,
    teamName: kase.teamName,
    text: publication.publicText,
    locationText: mask(kase.locationText),
    lat: kase.lat,
    lon: kase.lon,
    forwardedTo: status === 'not_responsible' ? mask(words.forwardedTo) : null,
    statusNote: mask(words.note),
    duplicateOfNumber: status === 'duplicate' ? extras.duplicateOfNumber : null,
    photoIds: extras.photoIds,
    followerCount: extras.followerCount,
    confirmedFixed: extras.confirmedFixed,
    reportedAt: kase.createdAt,
    firstAnswerAt: extras.firstAnswerAt,
    closedAt: kase.closedAt,
    publishedAt: before?.publishedAt ?? now,
    updatedAt: now,
  };
  if (!before) {
    await tx.insert(publicCases).values(row);
    await writeHistory(tx, kase, steps, mask);
    return;
  }
  await tx.update(publicCases).set(row).where(eq(publicCases.caseId, caseId));
  // The public history grows by what the public can see change: a new status, or a new note.
  if (before.status !== status || (row.statusNote !== null && row.statusNote !== before.statusNote)) {
    await tx.insert(publicCaseUpdates).values({ caseId, status, text: row.statusNote, createdAt: now });
  }
}

/** Taken down (withdrawn, withheld, category "never"): the row and its public history go. */
export async function removePublicCase(tx: DbOrTx, caseId: number): Promise<void> {
  await tx.delete(publicCases).where(eq(publicCases.caseId, caseId));
  await tx.delete(publicCaseUpdates).where(eq(publicCaseUpdates.caseId, caseId));
}

/**
 * On publication the history is written from the audit trail, so a case published after a week
 * still shows when it went "in Bearbeitung".
 */
async function writeHistory(
  tx: DbOrTx,
  kase: { id: number; createdAt: Date },
  steps: readonly StatusStep[],
  mask: (text: string | null) => string | null,
): Promise<void> {
  const history = publicSteps(kase.createdAt, steps, mask);
  await tx.insert(publicCaseUpdates).values(history.map((h) => ({ caseId: kase.id, ...h })));
}
