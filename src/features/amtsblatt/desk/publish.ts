import { and, asc, eq, inArray, lte, sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Tx } from '../../../infra/db.ts';
import { conflict, notFound } from '../../../infra/errors.ts';
import { emit } from '../../../infra/events.ts';
import { noticeCounters, outbox, postImages, posts, postTargets } from '../../../infra/schema/index.ts';
import { noticeHash } from '../notice-hash.ts';
import type { DeskDeps, PostRow } from './posts.ts';
import { recordEvent } from './posts.ts';

/** How many due posts one run of the job takes; more wait a minute. */
const BATCH = 20;

/** The SHA-256 of an official notice as published: the one definition in notice-hash.ts, which the public check page recomputes. */
export const contentSha256 = (post: { title: string; body: string }, publishedAt: Date): string => noticeHash({ ...post, publishedAt });

/** The idempotency key of one delivery: per post, target, version and attempt (a retry is a new attempt). */
export const deliveryKey = (postId: number, targetId: number, version: number, attempt: number) =>
  `amtsblatt:${postId}:${targetId}:v${version}:a${attempt}`;

export const publicUrlOf = (deps: Pick<DeskDeps, 'publicUrl'>, slug: string) => `${deps.publicUrl.replace(/\/$/, '')}/amtsblatt/${slug}`;

/**
 * Publishes every post whose time has come. Each post is claimed by one conditional UPDATE on a
 * row found with FOR UPDATE SKIP LOCKED, in its own transaction with its number, its checksum, its
 * targets and its event: two workers never take the same post, and a crash publishes nothing half.
 */
export async function publishDue(deps: DeskDeps): Promise<number[]> {
  const done: number[] = [];
  for (let i = 0; i < BATCH; i++) {
    const id = await deps.db.transaction((tx) => claimAndPublish(deps, tx, null));
    if (id === null) break;
    done.push(id);
  }
  return done;
}

/** Publishes one post now if it is scheduled (by "Jetzt veröffentlichen"); false if someone else took it. */
export async function publishScheduled(deps: DeskDeps, postId: number): Promise<boolean> {
  return (await deps.db.transaction((tx) => claimAndPublish(deps, tx, postId))) !== null;
}

async function claimAndPublish(deps: DeskDeps, tx: Tx, onlyId: number | null): Promise<number | null> {
  const now = deps.clock.now();
  const due = tx
    .select({ id: posts.id })
    .from(posts)
    .where(and(eq(posts.status, 'scheduled'), lte(posts.scheduledAt, now), onlyId === null ? undefined : eq(posts.id, onlyId)))
    .orderBy(asc(posts.scheduledAt), asc(posts.id))
    .limit(1)
    .for('update', { skipLocked: true });
  // A notice gets its publication time together with its number and checksum, in one update: once
  // a notice has published_at, the database refuses any change to them (posts_notice_immutable).
  const [claimed] = await tx
    .update(posts)
    .set({
      status: 'published',
      publishedAt: sql`case when ${posts.kind} = 'notice' then null else ${now.toISOString()}::timestamptz end`,
      updatedAt: now,
    })
    .where(and(inArray(posts.id, due), eq(posts.status, 'scheduled')))
    .returning();
  if (!claimed) return null;
  const notice = claimed.kind === 'notice' ? await numberNotice(tx, claimed, now) : {};
  if (claimed.kind === 'notice')
    await tx
      .update(posts)
      .set({ ...notice, publishedAt: now })
      .where(eq(posts.id, claimed.id));
  const post = { ...claimed, ...notice, publishedAt: now };
  await recordEvent(tx, post.id, null, 'published', now, notice);
  await deliverTargets(deps, tx, post, now);
  await emit(tx, 'post.published', { postId: post.id, at: now, republished: false });
  return post.id;
}

/**
 * The next number of the year of publication (the town's calendar year), from a counter row locked
 * by the UPDATE in this transaction: numbers follow without gaps, and a rolled-back publication
 * gives its number back.
 */
async function numberNotice(tx: Tx, post: PostRow, at: Date) {
  const year = DateTime.fromJSDate(at, { zone: 'Europe/Berlin' }).year;
  const [row] = await tx
    .insert(noticeCounters)
    .values({ year, lastNumber: 1 })
    .onConflictDoUpdate({ target: noticeCounters.year, set: { lastNumber: sql`${noticeCounters.lastNumber} + 1` } })
    .returning({ n: noticeCounters.lastNumber });
  if (!row) throw new Error('notice counter not written');
  return { noticeYear: year, noticeNumber: row.n, contentSha256: contentSha256(post, at) };
}

/**
 * The website is published with the post; the newsletter is handed over (its sender reacts to
 * post.published); each social target is written to the outbox through its publisher in a
 * savepoint, so a publisher that refuses marks only its own target failed.
 */
async function deliverTargets(deps: DeskDeps, tx: Tx, post: PostRow, now: Date): Promise<void> {
  const targets = await tx
    .select()
    .from(postTargets)
    .where(and(eq(postTargets.postId, post.id), inArray(postTargets.status, ['pending', 'scheduled'])));
  for (const t of targets) {
    if (t.target === 'website' || t.target === 'newsletter') {
      await tx
        .update(postTargets)
        .set({
          status: 'published',
          publishedAt: now,
          updatedAt: now,
          ...(t.target === 'website' ? { publicUrl: publicUrlOf(deps, post.slug) } : {}),
        })
        .where(eq(postTargets.id, t.id));
      continue;
    }
    await sendSocial(deps, tx, post, t, now);
  }
}

type TargetRow = typeof postTargets.$inferSelect;

/** One attempt at one social target; records the outcome on the target and in the audit trail. */
async function sendSocial(deps: DeskDeps, tx: Tx, post: PostRow, t: TargetRow, now: Date): Promise<void> {
  const attempt = t.attempts + 1;
  const publisher = deps.publishers.get(t.target as never);
  const fail = async (message: string) => {
    await tx
      .update(postTargets)
      .set({ status: 'failed', lastError: message, attempts: attempt, updatedAt: now })
      .where(eq(postTargets.id, t.id));
    await recordEvent(tx, post.id, null, 'target-failed', now, { targetId: t.id, target: t.target, error: message });
  };
  if (!publisher || t.channelAccountId === null) return fail('Für dieses Konto ist keine Veröffentlichung eingerichtet.');
  const media = await tx.select().from(postImages).where(eq(postImages.postId, post.id)).orderBy(asc(postImages.position));
  try {
    const { outboxId } = await tx.transaction((sp) =>
      publisher.publish(sp, {
        accountId: t.channelAccountId as number,
        text: t.text,
        media: media.map((m) => ({ storageKey: m.storageKey, mimeType: m.mimeType, alt: m.alt })),
        visibility: 'public',
        idempotencyKey: deliveryKey(post.id, t.id, post.version, attempt),
      }),
    );
    await tx
      .update(postTargets)
      .set({ status: 'publishing', outboxId, lastError: null, attempts: attempt, updatedAt: now })
      .where(eq(postTargets.id, t.id));
    await recordEvent(tx, post.id, null, 'target-queued', now, { targetId: t.id, target: t.target, outboxId });
  } catch (err) {
    deps.log.warn({ err, postId: post.id, targetId: t.id }, 'publisher refused a post');
    await fail('Das Netzwerk hat den Beitrag nicht angenommen. Bitte prüfen Sie Text und Bilder und versuchen Sie es erneut.');
  }
}

/**
 * Reads back the outbox rows of targets in delivery: sent → published with the network's id and
 * link; failed → the target is failed with the transport's reason, ready for "erneut versuchen".
 */
export async function syncTargets(deps: DeskDeps): Promise<number> {
  const rows = await deps.db
    .select({ target: postTargets, status: outbox.status, externalRef: outbox.externalRef, lastError: outbox.lastError })
    .from(postTargets)
    .innerJoin(outbox, eq(outbox.id, postTargets.outboxId))
    .where(and(eq(postTargets.status, 'publishing'), inArray(outbox.status, ['sent', 'stored', 'failed'])))
    .limit(200);
  const now = deps.clock.now();
  for (const r of rows) {
    await deps.db.transaction(async (tx) => {
      const ok = r.status !== 'failed';
      const link = ok && r.externalRef && /^https:\/\//.test(r.externalRef) ? r.externalRef : null;
      const error = `Senden fehlgeschlagen: ${(r.lastError ?? 'unbekannter Fehler').slice(0, 300)}`;
      const [changed] = await tx
        .update(postTargets)
        .set(
          ok
            ? { status: 'published', externalRef: r.externalRef, publicUrl: link, publishedAt: now, lastError: null, updatedAt: now }
            : { status: 'failed', lastError: error, updatedAt: now },
        )
        .where(and(eq(postTargets.id, r.target.id), eq(postTargets.status, 'publishing')))
        .returning({ id: postTargets.id });
      if (changed)
        await recordEvent(tx, r.target.postId, null, ok ? 'target-published' : 'target-failed', now, {
          targetId: r.target.id,
          target: r.target.target,
        });
    });
  }
  return rows.length;
}

/** "Erneut versuchen": one failed target of a published post, alone, as a new attempt. */
export async function retryTarget(deps: DeskDeps, actorId: number, postId: number, targetId: number): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const [post] = await tx.select().from(posts).where(eq(posts.id, postId));
    const [t] = await tx
      .select()
      .from(postTargets)
      .where(and(eq(postTargets.id, targetId), eq(postTargets.postId, postId)))
      .for('update');
    if (!post || !t) throw notFound('Dieses Ziel gibt es nicht.');
    if (post.status !== 'published' || t.status !== 'failed')
      throw conflict('Nur ein fehlgeschlagenes Ziel eines veröffentlichten Beitrags lässt sich erneut senden.');
    const now = deps.clock.now();
    await recordEvent(tx, postId, actorId, 'target-retry', now, { targetId, target: t.target });
    await sendSocial(deps, tx, post, t, now);
  });
}
