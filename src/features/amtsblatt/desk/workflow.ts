import { and, eq, inArray } from 'drizzle-orm';
import { conflict, invalid, notFound } from '../../../infra/errors.ts';
import { emit } from '../../../infra/events.ts';
import { portraitConsents, postComments, posts, postTargets } from '../../../infra/schema/index.ts';
import { bumpVersion, type DeskDeps, findPost, type PostRow, recordEvent } from './posts.ts';
import { type DeskActor, requireApprover, requiresApproval, requireWriter } from './roles.ts';
import { commentSchema } from './schemas.ts';

/**
 * Entwurf → zur Freigabe → freigegeben → geplant → veröffentlicht. Every step takes the version the
 * page was loaded with and writes its row into post_events in the same transaction.
 */

const wrongStatus = (what: string) => conflict(`${what} geht in diesem Stand des Beitrags nicht (mehr). Bitte laden Sie die Seite neu.`);

/** Submits a draft; a kind that needs no second person is approved at once (by nobody but the rule). */
export async function submitPost(deps: DeskDeps, actor: DeskActor, id: number, version: number): Promise<PostRow> {
  return deps.db.transaction(async (tx) => {
    await requireWriter(tx, actor);
    const post = await findPost(tx, id);
    if (post.status !== 'draft') throw wrongStatus('Zur Freigabe geben');
    if (post.kind === 'portrait' && !(await consentValid(tx, post.portraitConsentId))) {
      throw conflict('Die Einwilligung der porträtierten Person liegt nicht (mehr) vor. Ohne sie kann das Porträt nicht erscheinen.');
    }
    const now = deps.clock.now();
    const fourEyes = await requiresApproval(tx, post.kind);
    const row = await bumpVersion(tx, post, version, fourEyes ? { status: 'review' } : { status: 'approved', approvedAt: now }, now);
    await recordEvent(
      tx,
      id,
      actor.id,
      fourEyes ? 'submitted' : 'approved',
      now,
      fourEyes ? {} : { without: 'approval not required for kind' },
    );
    return row;
  });
}

/**
 * Approves what the approver saw: the post's version and exactly the variants of its targets at
 * that version (stored in the event, so the audit trail says what was approved).
 */
export async function approvePost(deps: DeskDeps, actor: DeskActor, id: number, version: number): Promise<PostRow> {
  return deps.db.transaction(async (tx) => {
    const post = await findPost(tx, id);
    await requireApprover(tx, actor, post);
    if (post.status !== 'review') throw wrongStatus('Freigeben');
    const now = deps.clock.now();
    const targets = await tx.select().from(postTargets).where(eq(postTargets.postId, id));
    const row = await bumpVersion(tx, post, version, { status: 'approved', approvedById: actor.id, approvedAt: now }, now);
    await recordEvent(tx, id, actor.id, 'approved', now, {
      version,
      variants: targets.map((t) => ({ target: t.target, accountId: t.channelAccountId, text: t.text })),
    });
    return row;
  });
}

/** Sends a submitted or approved post back to its author, with the reason as a comment. */
export async function sendBack(deps: DeskDeps, actor: DeskActor, id: number, version: number, rawComment: unknown): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const post = await findPost(tx, id);
    await requireApprover(tx, actor, post);
    if (post.status !== 'review' && post.status !== 'approved') throw wrongStatus('Zurückgeben');
    const now = deps.clock.now();
    await bumpVersion(tx, post, version, { status: 'draft', approvedById: null, approvedAt: null, scheduledAt: null }, now);
    const comment = commentSchema.safeParse({ body: rawComment });
    if (comment.success) await tx.insert(postComments).values({ postId: id, authorId: actor.id, body: comment.data.body, createdAt: now });
    await recordEvent(tx, id, actor.id, 'sent-back', now);
  });
}

/** Plans an approved post for `at`; a time that has already passed is refused. */
export async function schedulePost(deps: DeskDeps, actor: DeskActor, id: number, version: number, at: Date | null): Promise<PostRow> {
  const now = deps.clock.now();
  if (!at) throw invalid('Bitte geben Sie an, wann der Beitrag erscheinen soll.', { scheduledAt: 'Bitte geben Sie Datum und Uhrzeit an.' });
  if (at.getTime() <= now.getTime()) {
    const message =
      'Dieser Zeitpunkt liegt in der Vergangenheit. Bitte wählen Sie einen Zeitpunkt in der Zukunft – oder „Jetzt veröffentlichen“.';
    throw invalid(message, { scheduledAt: message });
  }
  return planAt(deps, actor, id, version, at);
}

/** "Jetzt veröffentlichen": planned for this minute; the publishing job (or the caller) takes it at once. */
export function publishNow(deps: DeskDeps, actor: DeskActor, id: number, version: number): Promise<PostRow> {
  return planAt(deps, actor, id, version, deps.clock.now());
}

async function planAt(deps: DeskDeps, actor: DeskActor, id: number, version: number, at: Date): Promise<PostRow> {
  return deps.db.transaction(async (tx) => {
    await requireWriter(tx, actor);
    const post = await findPost(tx, id);
    if (post.status !== 'approved' && post.status !== 'scheduled') throw wrongStatus('Planen');
    const targets = await tx.select().from(postTargets).where(eq(postTargets.postId, id));
    const now = deps.clock.now();
    const row = await bumpVersion(tx, post, version, { status: 'scheduled', scheduledAt: at }, now);
    await tx.update(postTargets).set({ status: 'scheduled', updatedAt: now }).where(eq(postTargets.postId, id));
    await recordEvent(tx, id, actor.id, 'scheduled', now, { at: at.toISOString(), targets: targets.length });
    return row;
  });
}

export async function addComment(deps: DeskDeps, actor: DeskActor, id: number, raw: unknown): Promise<void> {
  const parsed = commentSchema.safeParse({ body: raw });
  if (!parsed.success)
    throw invalid(parsed.error.issues[0]?.message ?? 'Bitte schreiben Sie einen Kommentar.', {
      comment: parsed.error.issues[0]?.message ?? '',
    });
  await deps.db.transaction(async (tx) => {
    await requireWriter(tx, actor);
    await findPost(tx, id);
    const now = deps.clock.now();
    await tx.insert(postComments).values({ postId: id, authorId: actor.id, body: parsed.data.body, createdAt: now });
    await recordEvent(tx, id, actor.id, 'commented', now);
  });
}

async function consentValid(tx: Parameters<typeof findPost>[0], consentId: number | null): Promise<boolean> {
  if (consentId === null) return false;
  const [c] = await tx.select({ revokedAt: portraitConsents.revokedAt }).from(portraitConsents).where(eq(portraitConsents.id, consentId));
  return Boolean(c && !c.revokedAt);
}

/**
 * The portrayed person takes back their consent: every post resting on it leaves the public
 * (withdrawn, post.unpublished), one not yet published goes back to the draft and cannot be submitted.
 */
export async function revokeConsent(deps: DeskDeps, actor: DeskActor, consentId: number): Promise<number[]> {
  return deps.db.transaction(async (tx) => {
    await requireWriter(tx, actor);
    const now = deps.clock.now();
    const [consent] = await tx
      .update(portraitConsents)
      .set({ revokedAt: now })
      .where(and(eq(portraitConsents.id, consentId)))
      .returning({ id: portraitConsents.id });
    if (!consent) throw notFound('Diese Einwilligung gibt es nicht.');
    const affected = await tx.select().from(posts).where(eq(posts.portraitConsentId, consentId));
    for (const post of affected) {
      if (post.status === 'withdrawn') continue;
      const wasPublic = post.status === 'published';
      await tx
        .update(posts)
        .set({
          status: wasPublic ? 'withdrawn' : 'draft',
          approvedById: null,
          approvedAt: null,
          scheduledAt: null,
          version: post.version + 1,
          updatedAt: now,
        })
        .where(eq(posts.id, post.id));
      if (wasPublic) {
        await tx
          .update(postTargets)
          .set({ status: 'cancelled', updatedAt: now })
          .where(
            and(
              eq(postTargets.postId, post.id),
              inArray(postTargets.status, ['published', 'publishing', 'scheduled', 'pending', 'failed']),
            ),
          );
        await emit(tx, 'post.unpublished', { postId: post.id, at: now });
      }
      await recordEvent(tx, post.id, actor.id, 'consent-revoked', now, { consentId, unpublished: wasPublic });
    }
    return affected.map((p) => p.id);
  });
}
