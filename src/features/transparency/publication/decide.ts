import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../../../infra/db.ts';
import { emit } from '../../../infra/events.ts';
import { applyMasks } from '../../../infra/masking/mask.ts';
import { casePublications, type PublicationPolicy } from '../../../infra/schema/index.ts';
import { type Actor, recordAudit } from '../../cases/audit.ts';
import { caseForProjection, knownNamesOf, lockPublication, type ProjectionCase, type Publication } from '../projection/facts.ts';
import { refreshPublicCase } from '../projection/write.ts';
import { masksFor, withNewNames } from './masks.ts';

declare module '../../../infra/events.ts' {
  interface DomainEvents {
    /** A case of an "auto" category goes public at `at` unless staff stop it; queued after commit. */
    'publication.due': { caseId: number; at: Date };
  }
}

/** Who publishes a case of an "auto" category when its delay ran out. */
export const AUTO_PUBLISHER: Actor = { userId: null, label: 'Automatische Veröffentlichung' };

const policyOf = (kase: Pick<ProjectionCase, 'policy'>): PublicationPolicy => kase.policy ?? 'moderated';

export const neverMessage = (categoryName: string | null) =>
  `Anliegen der Kategorie „${categoryName ?? 'ohne Kategorie'}“ werden nie veröffentlicht (Einstellung der Kategorie).`;

/** When a case of an "auto" category goes public: its report time plus the category's delay. */
function dueAt(kase: ProjectionCase): Date | null {
  if (policyOf(kase) !== 'auto') return null;
  return new Date(kase.createdAt.getTime() + (kase.delayMinutes ?? 0) * 60_000);
}

export async function maskOptionsOf(db: DbOrTx, kase: ProjectionCase) {
  return { knownNames: await knownNamesOf(db, kase), maskHouseNumbers: kase.maskHouseNumbers ?? false };
}

/**
 * The case's publication decision, made on first sight: the masked text, and per category policy
 * "pending" (auto: with the instant it goes public; moderated: until someone decides) or
 * "withheld" (never). Locked for the rest of the transaction.
 */
export async function ensurePublication(tx: DbOrTx, caseId: number): Promise<{ publication: Publication; kase: ProjectionCase } | null> {
  const kase = await caseForProjection(tx, caseId);
  if (!kase) return null;
  const existing = await lockPublication(tx, caseId);
  if (existing) return { publication: existing, kase };
  const masks = masksFor(kase.description, await maskOptionsOf(tx, kase));
  const never = policyOf(kase) === 'never';
  const publishAfter = dueAt(kase);
  await tx
    .insert(casePublications)
    .values({
      caseId,
      state: never ? 'withheld' : 'pending',
      publishAfter,
      sourceText: kase.description,
      masks,
      publicText: applyMasks(kase.description, masks),
      reason: never ? neverMessage(kase.categoryName) : null,
    })
    .onConflictDoNothing();
  const publication = await lockPublication(tx, caseId);
  if (!publication) return null;
  if (publication.state === 'pending' && publishAfter) await emit(tx, 'publication.due', { caseId, at: publishAfter });
  return { publication, kase };
}

/** Writes a decision and its audit entry, then brings the public row in line with it. */
export async function decide(
  tx: DbOrTx,
  caseId: number,
  actor: Actor,
  now: Date,
  change: Partial<typeof casePublications.$inferInsert>,
  audit: { action: Parameters<typeof recordAudit>[1]['action']; details?: Record<string, unknown> } | null,
): Promise<void> {
  await tx
    .update(casePublications)
    .set({ ...change, updatedAt: now })
    .where(eq(casePublications.caseId, caseId));
  if (audit) await recordAudit(tx, { caseId, actor, action: audit.action, details: audit.details ?? {}, at: now });
  await refreshPublicCase(tx, caseId, now);
}

/**
 * After any change of a case (in its transaction): a new category may change the policy (auto
 * gets its instant, never takes a published case down), names that became known are masked, and
 * the public row follows the change.
 */
export async function followCase(tx: DbOrTx, caseId: number, now: Date, categoryChanged: boolean): Promise<void> {
  const found = await ensurePublication(tx, caseId);
  if (!found) return;
  const { publication: p, kase } = found;
  const policy = policyOf(kase);
  const change: Partial<typeof casePublications.$inferInsert> = {};
  if (categoryChanged) {
    if (policy === 'never' && (p.state === 'pending' || p.state === 'published')) {
      Object.assign(change, {
        state: p.state === 'published' ? 'withdrawn' : 'withheld',
        publishAfter: null,
        decidedBy: null,
        decidedAt: now,
      });
      change.reason = neverMessage(kase.categoryName);
    } else if (policy !== 'never' && p.decidedBy === null && p.state === 'withheld') {
      // Only what the old category's "never" decided is undone; a person's "nicht veröffentlichen" stands.
      Object.assign(change, { state: 'pending', reason: null, decidedAt: null });
    }
    const state = change.state ?? p.state;
    if (state === 'pending') {
      change.publishAfter = dueAt(kase);
      if (change.publishAfter) await emit(tx, 'publication.due', { caseId, at: change.publishAfter });
    }
  }
  const masks = withNewNames(p.sourceText, p.masks, await maskOptionsOf(tx, kase));
  if (masks.length !== p.masks.length) Object.assign(change, { masks, publicText: applyMasks(p.sourceText, masks) });
  if (Object.keys(change).length > 0) {
    const action = change.state === 'withdrawn' ? 'publication_withdrawn' : change.state === 'withheld' ? 'publication_withheld' : null;
    await decide(tx, caseId, AUTO_PUBLISHER, now, change, action ? { action, details: { reason: change.reason } } : null);
  } else await refreshPublicCase(tx, caseId, now);
}

/**
 * Publishes a case of an "auto" category whose delay ran out, unless staff decided otherwise
 * meanwhile; early, late or twice is harmless (the job and the sweep both end here).
 */
export async function publishIfDue(tx: DbOrTx, caseId: number, now: Date): Promise<boolean> {
  const found = await ensurePublication(tx, caseId);
  if (!found) return false;
  const { publication: p, kase } = found;
  if (p.state !== 'pending' || policyOf(kase) !== 'auto' || !p.publishAfter || p.publishAfter > now) return false;
  await decide(
    tx,
    caseId,
    AUTO_PUBLISHER,
    now,
    { state: 'published', publishAfter: null, decidedBy: null, decidedAt: now, reason: null },
    { action: 'publication_published', details: { reason: 'nach Ablauf der Wartezeit der Kategorie' } },
  );
  return true;
}
