import { randomBytes } from 'node:crypto';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Tx } from '../../infra/db.ts';
import { enqueueMail, newMessageId } from '../../infra/outbox-mail.ts';
import { attachments, caseReporters, cases, messages } from '../../infra/schema/index.ts';
import { CITIZEN, recordAudit } from '../cases/audit.ts';
import { contactRef, upsertContact } from '../cases/contacts.ts';
import type { ReportForm } from '../intake/form.ts';
import { removeStoredPhotos } from '../intake/photos.ts';
import type { DuplicatesDeps } from './deps.ts';
import { type DuplicateCandidate, findDuplicateCandidates } from './detect.ts';
import { draftLocation } from './drafts.ts';
import { followUrl } from './notify.ts';
import { publicCandidates } from './public-text.ts';
import { deleteDrafts, followerByExternalId, openStatuses } from './queries.ts';
import { followConfirmationText, followSubject } from './texts.ts';

export const followExternalId = (nonce: string) => `web-follow:${nonce}`;

export type FollowOutcome =
  | { outcome: 'following'; token: string }
  /** The case was closed or merged meanwhile: here is what is on offer now. */
  | { outcome: 'stale'; candidates: DuplicateCandidate[] };

/**
 * "Dieser Meldung folgen": the citizen becomes an additional reporter of an existing open case,
 * with a token of their own (the case's tracking link belongs to its first reporter and shows their
 * words and photos, so it is never handed out). Only a case that is still a duplicate candidate
 * for exactly what the citizen entered can be followed, so a case number alone opens nothing.
 * Idempotent per form nonce. What they wrote and the photos kept in their draft join the case as
 * a follower's message: staff see it (a second view of the same pothole often helps), the first
 * reporter's tracking page does not (it is not theirs).
 */
export async function followCase(deps: DuplicatesDeps, form: ReportForm, caseNumber: string): Promise<FollowOutcome> {
  const externalId = followExternalId(form.nonce);
  const already = await followerByExternalId(deps.db, externalId);
  if (already) return { outcome: 'following', token: already };

  const location = await draftLocation(deps.db, form);
  if (form.categoryId === null || !location) return { outcome: 'stale', candidates: [] };
  const now = deps.clock.now();
  const candidates = await findDuplicateCandidates(deps.db, { categoryId: form.categoryId, ...location, text: form.description, now });
  const target = candidates.find((c) => c.number === caseNumber);
  if (!target) return { outcome: 'stale', candidates: await publicCandidates(deps.db, candidates) };

  const token = randomBytes(24).toString('base64url');
  const result = await deps.db.transaction(async (tx) => {
    // Locked like a merge does, so a follower never lands on a case that is being merged away.
    if (!(await stillOpen(tx, target.id))) return null;
    // The follower as a contact: the notices go to it (daily cap, undeliverable after a bounce), and
    // data-protection reports find them. Linking it to another person is staff's call, not ours.
    const contactId = form.reporterEmail
      ? await upsertContact(tx, { kind: 'email', address: form.reporterEmail, displayName: form.reporterName })
      : null;
    const [row] = await tx
      .insert(caseReporters)
      .values({
        caseId: target.id,
        kind: 'follower',
        name: form.reporterName,
        email: form.reporterEmail,
        contactId,
        trackingToken: token,
        externalId,
        consentAt: now,
        createdAt: now,
      })
      .onConflictDoNothing({ target: caseReporters.externalId })
      .returning({ id: caseReporters.id });
    if (!row) return { token: (await followerByExternalId(tx, externalId)) ?? token };
    const messageId = await keepFollowerMaterial(tx, target.id, form, now);
    if (messageId !== null) await tx.update(caseReporters).set({ messageId }).where(eq(caseReporters.id, row.id));
    await recordAudit(tx, {
      caseId: target.id,
      actor: CITIZEN,
      action: 'follower_added',
      details: { reason: 'über das Webformular' },
      at: now,
    });
    const contact = await contactRef(tx, contactId);
    if (contact && !contact.undeliverable) {
      await enqueueMail(tx, {
        caseId: target.id,
        to: contact.address,
        contactId: contact.id,
        subject: followSubject(target.number),
        text: followConfirmationText({
          name: form.reporterName,
          number: target.number,
          categoryName: target.categoryName,
          followUrl: followUrl(deps.config.publicUrl, token),
          townName: deps.config.townName,
        }),
        messageId: newMessageId(deps.config.publicUrl, target.number),
        automatic: true,
      });
    }
    return { token };
  });
  if (!result)
    return {
      outcome: 'stale',
      candidates: await publicCandidates(
        deps.db,
        candidates.filter((c) => c.id !== target.id),
      ),
    };
  return { outcome: 'following', token: result.token };
}

/**
 * The follower's description and draft photos, as one message of kind 'follower' on the followed
 * case; returns its id (null when there was nothing to keep). The draft is claimed by deleting its
 * row in this transaction, so the hourly sweep cannot remove the files under a photo kept here.
 */
async function keepFollowerMaterial(tx: Tx, caseId: number, form: ReportForm, now: Date): Promise<number | null> {
  const photos = (await deleteDrafts(tx, { nonce: form.nonce })).flatMap((d) => d.photos);
  if (!form.description.trim() && photos.length === 0) return null;
  const [message] = await tx
    .insert(messages)
    .values({ caseId, kind: 'follower', channel: 'web', body: form.description, createdAt: now })
    .returning({ id: messages.id });
  if (!message) throw new Error('message insert returned nothing');
  if (photos.length > 0) {
    await tx.insert(attachments).values(photos.map((p) => ({ ...p, caseId, messageId: message.id, createdAt: now })));
  }
  return message.id;
}

async function stillOpen(tx: Tx, caseId: number): Promise<boolean> {
  const [row] = await tx
    .select({ id: cases.id })
    .from(cases)
    .where(and(eq(cases.id, caseId), inArray(cases.status, openStatuses), isNull(cases.mergedIntoId)))
    .for('update');
  return Boolean(row);
}

/**
 * "Nicht mehr folgen": the row goes with the e-mail address in it, and what the follower wrote and
 * photographed goes from the case too (their data, not the town's); the files after commit.
 */
export async function unfollow(deps: Pick<DuplicatesDeps, 'db' | 'storage' | 'log'>, token: string): Promise<boolean> {
  const gone = await deps.db.transaction(async (tx) => {
    const [row] = await tx
      .delete(caseReporters)
      .where(and(eq(caseReporters.trackingToken, token), eq(caseReporters.kind, 'follower')))
      .returning({ messageId: caseReporters.messageId });
    if (!row) return null;
    if (row.messageId === null) return { files: [] };
    const files = await tx
      .delete(attachments)
      .where(eq(attachments.messageId, row.messageId))
      .returning({ storageKey: attachments.storageKey, thumbKey: attachments.thumbKey });
    await tx.delete(messages).where(eq(messages.id, row.messageId));
    return { files };
  });
  if (!gone) return false;
  await removeStoredPhotos(deps, gone.files);
  return true;
}
