import { and, eq, inArray } from 'drizzle-orm';
import type { Clock } from '../../../infra/clock.ts';
import type { Db, Tx } from '../../../infra/db.ts';
import { conflict, fieldErrors, invalid, notFound } from '../../../infra/errors.ts';
import type { Logger } from '../../../infra/log.ts';
import { type PostStatus, portraitConsents, postEvents, postImages, posts } from '../../../infra/schema/index.ts';
import type { Storage } from '../../../infra/storage.ts';
import type { PublisherRegistry } from '../../channels/types.ts';
import { processAndStorePhotos, removeStoredPhotos } from '../../intake/photos.ts';
import { type DeskActor, requireWriter } from './roles.ts';
import { ALT_MAX, type PostForm, postFormSchema } from './schemas.ts';
import { chosenTargets, saveTargets, targetOptions, variantErrors } from './targets.ts';

export interface DeskDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  storage: Storage;
  publishers: PublisherRegistry;
  publicUrl: string;
}

export type PostRow = typeof posts.$inferSelect;

/** Statuses in which the text may still change without touching anything public. */
const EDITABLE: readonly PostStatus[] = ['draft', 'review', 'approved', 'scheduled'];

export const STALE =
  'Der Beitrag wurde inzwischen geändert (von Ihnen in einem anderen Fenster oder von jemand anderem). Bitte laden Sie die Seite neu und prüfen Sie den aktuellen Stand.';

export async function findPost(db: Db | Tx, id: number): Promise<PostRow> {
  const [row] = await db.select().from(posts).where(eq(posts.id, id));
  if (!row) throw notFound('Diesen Beitrag gibt es nicht (mehr).');
  return row;
}

/** Writes one step into the post's audit trail. */
export async function recordEvent(
  tx: Tx,
  postId: number,
  actorUserId: number | null,
  action: string,
  at: Date,
  details: Record<string, unknown> = {},
): Promise<void> {
  await tx.insert(postEvents).values({ postId, actorUserId, action, details, at });
}

/**
 * Bumps the version only if it is still the one the form was loaded with; two people saving the
 * same post at once: the second is told, nothing is overwritten.
 */
export async function bumpVersion(tx: Tx, post: { id: number }, version: number, set: Partial<PostRow>, now: Date): Promise<PostRow> {
  const [row] = await tx
    .update(posts)
    .set({ ...set, version: version + 1, updatedAt: now })
    .where(and(eq(posts.id, post.id), eq(posts.version, version)))
    .returning();
  if (!row) throw conflict(STALE);
  return row;
}

function slugBase(title: string): string {
  const umlauts: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue', ß: 'ss', Ä: 'ae', Ö: 'oe', Ü: 'ue' };
  const slug = title
    .replace(/[äöüßÄÖÜ]/g, (c) => umlauts[c] ?? c)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return slug || 'beitrag';
}

interface ParsedForm {
  form: PostForm;
  fields: Record<string, string>;
}

function parseForm(body: Record<string, unknown>): ParsedForm {
  const parsed = postFormSchema.safeParse(body);
  if (!parsed.success) return { form: null as never, fields: fieldErrors(parsed.error) };
  return { form: parsed.data, fields: {} };
}

const str = (body: Record<string, unknown>, k: string) => (typeof body[k] === 'string' ? (body[k] as string).trim() : '');

/** The alt texts of kept images and the new photo's; every image needs one. */
function imageAlts(body: Record<string, unknown>, existing: { id: number }[], uploads: Buffer[], fields: Record<string, string>) {
  const alts = new Map<number, string>();
  for (const img of existing) {
    if (str(body, `remove_${img.id}`) === 'yes') continue;
    const alt = str(body, `alt_${img.id}`);
    if (!alt) fields[`alt_${img.id}`] = 'Bitte beschreiben Sie das Bild für Menschen, die es nicht sehen können (Alternativtext).';
    else if (alt.length > ALT_MAX) fields[`alt_${img.id}`] = `Der Alternativtext darf höchstens ${ALT_MAX} Zeichen lang sein.`;
    alts.set(img.id, alt);
  }
  const newAlt = str(body, 'photoAlt');
  if (uploads.length > 0 && !newAlt)
    fields.photoAlt = 'Bitte beschreiben Sie das Foto für Menschen, die es nicht sehen können (Alternativtext).';
  if (newAlt.length > ALT_MAX) fields.photoAlt = `Der Alternativtext darf höchstens ${ALT_MAX} Zeichen lang sein.`;
  if (uploads.length > 1) fields.photoAlt = 'Bitte fügen Sie die Fotos einzeln hinzu, jedes mit seinem Alternativtext.';
  return { alts, newAlt };
}

const formColumns = (form: PostForm) => ({
  kind: form.kind,
  title: form.title,
  body: form.body,
  tags: form.tags,
  locationText: form.locationText,
  eventStartsAt: form.kind === 'event' ? form.eventStartsAt : null,
  eventEndsAt: form.kind === 'event' ? form.eventEndsAt : null,
  eventPlace: form.kind === 'event' ? form.eventPlace : null,
  councilDocumentName: form.kind === 'council' ? form.councilDocumentName : null,
  councilDocumentUrl: form.kind === 'council' ? form.councilDocumentUrl : null,
});

/**
 * Creates a draft, or saves the draft `id` at `version`. Saving a post that was already submitted,
 * approved or scheduled sends it back to the draft: what the approver saw is no longer what it says.
 * Throws Invalid with a message per field; photos are stored only once everything else is fine.
 */
export async function savePost(
  deps: DeskDeps,
  actor: DeskActor,
  raw: Record<string, unknown>,
  uploads: Buffer[],
  existing?: { id: number; version: number },
): Promise<number> {
  await requireWriter(deps.db, actor);
  const current = existing ? await findPost(deps.db, existing.id) : null;
  if (current && !EDITABLE.includes(current.status)) {
    throw conflict('Dieser Beitrag ist veröffentlicht. Änderungen daran speichern Sie über „Veröffentlichten Beitrag ändern“.');
  }
  const { form, fields } = parseForm(raw);
  const options = await targetOptions(deps.db, deps.publishers);
  const chosen = chosenTargets(options, raw);
  Object.assign(fields, variantErrors(chosen));
  const images = current ? await deps.db.select().from(postImages).where(eq(postImages.postId, current.id)) : [];
  const { alts, newAlt } = imageAlts(raw, images, uploads, fields);
  const needsConsent = form?.kind === 'portrait' && !current?.portraitConsentId;
  if (needsConsent && (!form.portraitPerson || form.portraitConsent !== 'yes')) {
    fields.portraitPerson =
      'Ein Mitarbeiterporträt braucht die Einwilligung der porträtierten Person: Bitte nennen Sie sie und bestätigen Sie, dass die Einwilligung vorliegt.';
  }
  if (Object.keys(fields).length > 0) throw invalid('Bitte prüfen Sie die markierten Angaben.', fields);

  const { photos } = uploads.length ? await processAndStorePhotos(deps.storage, uploads) : { photos: [] };
  const removed = images.filter((img) => !alts.has(img.id));
  try {
    const postId = await deps.db.transaction(async (tx) => {
      const now = deps.clock.now();
      let consentId = current?.portraitConsentId ?? null;
      if (needsConsent) {
        const [consent] = await tx
          .insert(portraitConsents)
          .values({ personName: form.portraitPerson ?? '', grantedAt: now, recordedById: actor.id })
          .returning({ id: portraitConsents.id });
        consentId = consent?.id ?? null;
      }
      const columns = { ...formColumns(form), portraitConsentId: form.kind === 'portrait' ? consentId : null };
      let postId: number;
      if (current && existing) {
        const backToDraft = current.status !== 'draft';
        await bumpVersion(
          tx,
          current,
          existing.version,
          { ...columns, ...(backToDraft ? { status: 'draft', approvedById: null, approvedAt: null, scheduledAt: null } : {}) },
          now,
        );
        postId = current.id;
        await recordEvent(tx, postId, actor.id, 'edited', now, backToDraft ? { from: current.status, to: 'draft' } : {});
      } else {
        const [row] = await tx
          .insert(posts)
          .values({
            ...columns,
            slug: `neu-${now.getTime()}-${actor.id}-${Math.random().toString(36).slice(2, 8)}`,
            authorId: actor.id,
            createdAt: now,
            updatedAt: now,
          })
          .returning({ id: posts.id });
        if (!row) throw new Error('post insert returned nothing');
        postId = row.id;
        await tx
          .update(posts)
          .set({ slug: `${slugBase(form.title)}-${postId}` })
          .where(eq(posts.id, postId));
        await recordEvent(tx, postId, actor.id, 'created', now, { kind: form.kind, ...(needsConsent ? { consentId } : {}) });
      }
      await saveTargets(tx, postId, chosen);
      if (removed.length)
        await tx.delete(postImages).where(
          inArray(
            postImages.id,
            removed.map((r) => r.id),
          ),
        );
      for (const [id, alt] of alts) await tx.update(postImages).set({ alt }).where(eq(postImages.id, id));
      for (const [i, p] of photos.entries()) {
        await tx.insert(postImages).values({ postId, ...p, alt: newAlt, position: images.length + i });
      }
      return postId;
    });
    await removeStoredPhotos({ storage: deps.storage, log: deps.log }, removed);
    return postId;
  } catch (err) {
    await removeStoredPhotos({ storage: deps.storage, log: deps.log }, photos);
    throw err;
  }
}
