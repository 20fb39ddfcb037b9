import { and, eq } from 'drizzle-orm';
import { conflict, invalid } from '../../../infra/errors.ts';
import { emit } from '../../../infra/events.ts';
import { postImages, posts, postTargets } from '../../../infra/schema/index.ts';
import { targetLabels } from './limits.ts';
import { bumpVersion, type DeskDeps, findPost, recordEvent } from './posts.ts';
import { deliveryKey } from './publish.ts';
import { type DeskActor, requireWriter } from './roles.ts';
import { postFormSchema } from './schemas.ts';
import { chosenTargets, targetOptions, variantErrors } from './targets.ts';

export const NOTICE_FROZEN =
  'Eine veröffentlichte Amtliche Bekanntmachung kann nicht mehr geändert werden. Für eine Berichtigung legen Sie eine neue Bekanntmachung an, die auf diese verweist.';

/**
 * Changes a published post: the website at once, each social target whose network can edit
 * through its publisher; the names of those that cannot come back, for the page to say so.
 */
export async function editPublished(
  deps: DeskDeps,
  actor: DeskActor,
  id: number,
  version: number,
  raw: Record<string, unknown>,
): Promise<{ cannotEdit: string[] }> {
  await requireWriter(deps.db, actor);
  const current = await findPost(deps.db, id);
  if (current.status !== 'published') throw conflict('Dieser Beitrag ist nicht veröffentlicht.');
  if (current.kind === 'notice') throw conflict(NOTICE_FROZEN);
  const parsed = postFormSchema.safeParse({ ...raw, kind: current.kind });
  const options = await targetOptions(deps.db, deps.publishers);
  const texts = new Map(
    chosenTargets(options, { ...raw, ...Object.fromEntries(options.map((o) => [`target_${o.key}`, 'yes'])) }).map((c) => [c.option.key, c]),
  );
  const fields = parsed.success ? {} : Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0] ?? 'title'), i.message]));
  Object.assign(fields, variantErrors([...texts.values()].filter((c) => raw[`text_${c.option.key}`] !== undefined)));
  if (!parsed.success || Object.keys(fields).length) throw invalid('Bitte prüfen Sie die markierten Angaben.', fields);
  const form = parsed.data;

  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const row = await bumpVersion(
      tx,
      current,
      version,
      { title: form.title, body: form.body, tags: form.tags, locationText: form.locationText },
      now,
    );
    const targets = await tx.select().from(postTargets).where(eq(postTargets.postId, id));
    const media = await tx.select().from(postImages).where(eq(postImages.postId, id));
    const cannotEdit: string[] = [];
    for (const t of targets) {
      const key = t.channelAccountId === null ? t.target : `${t.target}-${t.channelAccountId}`;
      const text = raw[`text_${key}`] === undefined ? t.text : (texts.get(key)?.text ?? t.text);
      if (t.target === 'website' || t.target === 'newsletter') {
        await tx.update(postTargets).set({ text, updatedAt: now }).where(eq(postTargets.id, t.id));
        continue;
      }
      const publisher = deps.publishers.get(t.target as never);
      const label = options.find((o) => o.key === key)?.label ?? targetLabels[t.target];
      if (t.status !== 'published' || !t.externalRef || !publisher || t.channelAccountId === null) {
        if (text !== t.text) cannotEdit.push(label);
        continue;
      }
      if (text === t.text) continue;
      const result = await publisher.edit(tx, {
        accountId: t.channelAccountId,
        externalRef: t.externalRef,
        text,
        media: media.map((m) => ({ storageKey: m.storageKey, mimeType: m.mimeType, alt: m.alt })),
        visibility: 'public',
        idempotencyKey: `${deliveryKey(id, t.id, row.version, t.attempts + 1)}:edit`,
      });
      if ('unsupported' in result) {
        cannotEdit.push(label);
        continue;
      }
      await tx
        .update(postTargets)
        .set({ text, status: 'publishing', outboxId: result.outboxId, attempts: t.attempts + 1, updatedAt: now })
        .where(and(eq(postTargets.id, t.id)));
    }
    await tx.update(posts).set({ updatedAt: now }).where(eq(posts.id, id));
    await recordEvent(tx, id, actor.id, 'edited-published', now, { cannotEdit });
    await emit(tx, 'post.published', { postId: id, at: now, republished: true });
    return { cannotEdit };
  });
}
