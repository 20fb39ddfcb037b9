import { and, eq, sql } from 'drizzle-orm';
import type { Clock } from '../../../infra/clock.ts';
import type { Db, DbOrTx } from '../../../infra/db.ts';
import { conflict, invalid, notFound } from '../../../infra/errors.ts';
import { applyMasks } from '../../../infra/masking/mask.ts';
import { attachments, cases } from '../../../infra/schema/index.ts';
import { canSeeTeam } from '../../cases/access.ts';
import { type Actor, recordAudit } from '../../cases/audit.ts';
import { lockCase } from '../../cases/queries.ts';
import type { StaffActor } from '../../cases/service.ts';
import { STALE_MESSAGE } from '../../cases/service.ts';
import { refreshPublicCase } from '../projection/write.ts';
import { decide, ensurePublication, maskOptionsOf, neverMessage } from './decide.ts';
import { masksFor, maskTerm, setUnmasked } from './masks.ts';

/**
 * What staff decide about a case's public view: publish, withhold, withdraw, the public text and
 * its masks, the photos, a public note. Each runs in the case's lock with the version the page
 * showed (a stale page changes nothing), writes an audit entry and refreshes the public row in the
 * same transaction.
 */
export interface PublicationDeps {
  db: Db;
  clock: Clock;
}

const NOT_FOUND = 'Dieses Anliegen gibt es nicht, oder Sie haben keinen Zugriff darauf.';
const actorOf = (a: StaffActor): Actor => ({ userId: a.id, label: a.displayName });

/** Publishes the case now (staff's "Veröffentlichen"); a category set to "never" refuses. */
export async function publishCase(tx: DbOrTx, caseId: number, actor: Actor, now: Date = new Date()): Promise<void> {
  const found = await ensurePublication(tx, caseId);
  if (!found) throw notFound(NOT_FOUND);
  if (found.kase.policy === 'never') throw invalid(neverMessage(found.kase.categoryName));
  if (found.publication.state === 'published') return;
  await decide(
    tx,
    caseId,
    actor,
    now,
    { state: 'published', publishAfter: null, decidedBy: actor.userId, decidedAt: now, reason: null },
    { action: 'publication_published' },
  );
}

/** "Zurückziehen": a published case goes off every public page at once (its row and history go). */
export async function withdrawCase(tx: DbOrTx, caseId: number, actor: Actor, reason: string, now: Date = new Date()): Promise<void> {
  const found = await ensurePublication(tx, caseId);
  if (!found) throw notFound(NOT_FOUND);
  if (found.publication.state !== 'published') throw invalid('Dieses Anliegen ist nicht veröffentlicht.');
  await decide(
    tx,
    caseId,
    actor,
    now,
    { state: 'withdrawn', publishAfter: null, decidedBy: actor.userId, decidedAt: now, reason },
    { action: 'publication_withdrawn', details: { reason } },
  );
}

/** "Nicht veröffentlichen": stops an automatic publication, or decides against a moderated one. */
export async function withholdCase(tx: DbOrTx, caseId: number, actor: Actor, reason: string, now: Date = new Date()): Promise<void> {
  const found = await ensurePublication(tx, caseId);
  if (!found) throw notFound(NOT_FOUND);
  if (found.publication.state === 'published') throw invalid('Dieses Anliegen ist schon veröffentlicht: Bitte ziehen Sie es zurück.');
  await decide(
    tx,
    caseId,
    actor,
    now,
    { state: 'withheld', publishAfter: null, decidedBy: actor.userId, decidedAt: now, reason },
    { action: 'publication_withheld', details: { reason } },
  );
}

export type PanelWork = (tx: DbOrTx, caseId: number, actor: Actor, now: Date) => Promise<string>;

/** Locks the case, checks access and version, runs the work, bumps the version. Returns the work's success code. */
export async function onCase(deps: PublicationDeps, staff: StaffActor, caseId: number, version: number, work: PanelWork): Promise<string> {
  return deps.db.transaction(async (tx) => {
    const row = await lockCase(tx, caseId);
    if (!row || !canSeeTeam(staff, row.teamId)) throw notFound(NOT_FOUND);
    if (row.version !== version) throw conflict(STALE_MESSAGE);
    const now = deps.clock.now();
    const ok = await work(tx, caseId, actorOf(staff), now);
    await tx
      .update(cases)
      .set({ updatedAt: now, version: sql`${cases.version} + 1` })
      .where(eq(cases.id, caseId));
    return ok;
  });
}

/** The edited public text: masked again, keeping staff's earlier unmask and mask decisions. */
export const editText =
  (text: string): PanelWork =>
  async (tx, caseId, actor, now) => {
    const found = await ensurePublication(tx, caseId);
    if (!found) throw notFound(NOT_FOUND);
    const p = found.publication;
    const masks = masksFor(text, await maskOptionsOf(tx, found.kase), { text: p.sourceText, masks: p.masks });
    await decide(
      tx,
      caseId,
      actor,
      now,
      { sourceText: text, masks, publicText: applyMasks(text, masks), editedBy: actor.userId },
      { action: 'publication_text_edited' },
    );
    return 'text';
  };

/** Mask words by hand, or (un)mask one found span. */
export const changeMasks =
  (change: { term: string } | { index: number; unmasked: boolean }): PanelWork =>
  async (tx, caseId, actor, now) => {
    const found = await ensurePublication(tx, caseId);
    if (!found) throw notFound(NOT_FOUND);
    const p = found.publication;
    const masks = 'term' in change ? maskTerm(p.sourceText, p.masks, change.term) : setUnmasked(p.masks, change.index, change.unmasked);
    if (!masks) throw invalid('Diese Schwärzung gibt es nicht mehr. Bitte laden Sie die Seite neu.');
    if ('term' in change && masks.length === p.masks.length) {
      throw invalid('Diese Wörter kommen im öffentlichen Text nicht vor.', { term: 'Diese Wörter kommen im öffentlichen Text nicht vor.' });
    }
    // The words themselves stay out of the audit trail: it would keep what was just hidden.
    const details = 'term' in change ? { added: masks.length - p.masks.length } : { unmasked: change.unmasked };
    await decide(
      tx,
      caseId,
      actor,
      now,
      { masks, publicText: applyMasks(p.sourceText, masks) },
      { action: 'publication_masks_changed', details },
    );
    return 'term' in change ? 'geschwaerzt' : change.unmasked ? 'aufgedeckt' : 'geschwaerzt';
  };

/** "freigeben" / "nicht freigeben" for one photo of the case (files are never public). */
export const releasePhoto =
  (attachmentId: number, released: boolean): PanelWork =>
  async (tx, caseId, actor, now) => {
    const updated = await tx
      .update(attachments)
      .set(released ? { releasedAt: now, releasedBy: actor.userId } : { releasedAt: null, releasedBy: null })
      .where(and(eq(attachments.id, attachmentId), eq(attachments.caseId, caseId), eq(attachments.kind, 'photo')))
      .returning({ id: attachments.id });
    if (updated.length === 0) throw notFound('Dieses Foto gibt es nicht.');
    await recordAudit(tx, { caseId, actor, action: released ? 'photo_released' : 'photo_unreleased', details: { attachmentId }, at: now });
    await refreshPublicCase(tx, caseId, now);
    return released ? 'foto-frei' : 'foto-gesperrt';
  };

/** "Öffentlicher Hinweis" to the current status (masked on the public page); empty removes it. */
export const setPublicNote =
  (note: string | null): PanelWork =>
  async (tx, caseId, actor, now) => {
    await recordAudit(tx, { caseId, actor, action: 'public_note', details: { note }, at: now });
    await refreshPublicCase(tx, caseId, now);
    return 'hinweis';
  };

export const publishWork: PanelWork = async (tx, caseId, actor, now) => {
  await publishCase(tx, caseId, actor, now);
  return 'veroeffentlicht';
};
export const withholdWork =
  (reason: string): PanelWork =>
  async (tx, caseId, actor, now) => {
    await withholdCase(tx, caseId, actor, reason, now);
    return 'nicht-veroeffentlicht';
  };
export const withdrawWork =
  (reason: string): PanelWork =>
  async (tx, caseId, actor, now) => {
    await withdrawCase(tx, caseId, actor, reason, now);
    return 'zurueckgezogen';
  };
