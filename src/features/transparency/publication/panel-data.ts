import { and, asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../../infra/db.ts';
import { applyMasks } from '../../../infra/masking/mask.ts';
import { attachments, type PublicationPolicy, type PublicationState, type TextMask } from '../../../infra/schema/index.ts';
import { caseForProjection, publicationOf } from '../projection/facts.ts';
import { type PublicCase, publicCaseById } from '../projection/read.ts';
import { maskOptionsOf } from './decide.ts';
import { masksFor } from './masks.ts';

export interface PanelMask extends TextMask {
  /** The words behind the mask, for staff to judge (this panel is never public). */
  words: string;
}

export interface PublicationPanelData {
  state: PublicationState;
  policy: PublicationPolicy;
  categoryName: string | null;
  delayMinutes: number;
  /** When an "auto" case goes public, while pending. */
  publishAfter: Date | null;
  decidedAt: Date | null;
  reason: string | null;
  sourceText: string;
  preview: string;
  masks: PanelMask[];
  photos: { id: number; released: boolean }[];
  /** The public row while published: what the public sees right now. */
  shown: PublicCase | null;
}

/**
 * What the panel shows. Reading creates nothing: a case without a decision yet shows what its
 * decision would be (the same masker, the same policy), and the first form writes it.
 */
export async function publicationPanel(db: DbOrTx, caseId: number): Promise<PublicationPanelData | null> {
  const kase = await caseForProjection(db, caseId);
  if (!kase) return null;
  const stored = await publicationOf(db, caseId);
  const policy = kase.policy ?? 'moderated';
  const sourceText = stored?.sourceText ?? kase.description;
  const masks = stored?.masks ?? masksFor(sourceText, await maskOptionsOf(db, kase));
  const photos = await db
    .select({ id: attachments.id, releasedAt: attachments.releasedAt })
    .from(attachments)
    .where(and(eq(attachments.caseId, caseId), eq(attachments.kind, 'photo')))
    .orderBy(asc(attachments.id));
  const delayMinutes = kase.delayMinutes ?? 0;
  const due = policy === 'auto' ? new Date(kase.createdAt.getTime() + delayMinutes * 60_000) : null;
  return {
    state: stored?.state ?? (policy === 'never' ? 'withheld' : 'pending'),
    policy,
    categoryName: kase.categoryName,
    delayMinutes,
    publishAfter: stored ? stored.publishAfter : due,
    decidedAt: stored?.decidedAt ?? null,
    reason: stored?.reason ?? null,
    sourceText,
    preview: stored?.publicText ?? applyMasks(sourceText, masks),
    masks: masks.map((m) => ({ ...m, words: sourceText.slice(m.start, m.end) })),
    photos: photos.map((p) => ({ id: p.id, released: p.releasedAt !== null })),
    shown: await publicCaseById(db, caseId),
  };
}
