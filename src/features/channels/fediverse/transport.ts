import { Delete, Note, Tombstone, Update } from '@fedify/vocab';
import { eq } from 'drizzle-orm';
import type { Transport } from '../../../infra/outbox.ts';
import { fediverseNotes } from '../../../infra/schema/index.ts';
import { type FediverseDeps, fediverseOf } from './federation.ts';
import { handleOf } from './intake.ts';
import { addressingOf, createOf, findNote, type NoteRow, noteOf } from './notes.ts';
import { noteUriOf } from './paths.ts';
import { type FediversePayload, fediversePayloadSchema } from './payload.ts';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
const paragraphs = (text: string) =>
  text
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('');

/** Where the published images are served (fediverse/media.ts), by storage key. */
export const mediaUrlOf = (publicUrl: string, storageKey: string) => `${publicUrl}/ap/media/${storageKey}`;

/**
 * Sends the outbox rows of kind `fediverse` through Fedify: the Note is stored first (so the
 * object dispatcher serves it when the recipient fetches it), then the activity is queued for
 * each inbox; Fedify signs, delivers and retries with back-off. Idempotent on the Note's UUID:
 * a retried row stores nothing twice and names the same activity.
 */
export function fediverseTransport(deps: FediverseDeps): Transport<FediversePayload> {
  const db = deps.database.db;
  const { publicUrl } = deps.config;
  return {
    kind: 'fediverse',
    payload: fediversePayloadSchema,
    async deliver(_row, payload) {
      const { federation, actorName } = fediverseOf(deps);
      const env = { publicUrl, actorName };
      const ctx = federation.createContext(new URL(publicUrl), undefined);
      const sender = { identifier: actorName };
      const noteUri = noteUriOf(publicUrl, payload.uuid);
      const store = async (values: Omit<typeof fediverseNotes.$inferInsert, 'uuid'>): Promise<NoteRow> => {
        await db
          .insert(fediverseNotes)
          .values({ uuid: payload.uuid, ...values })
          .onConflictDoNothing({ target: fediverseNotes.uuid });
        const row = await findNote(db, payload.uuid);
        if (!row) throw new Error('fediverse note not stored');
        return row;
      };
      const attachmentsOf = (media: { storageKey: string; mimeType: string; alt: string }[]) =>
        media.map((m) => ({ url: mediaUrlOf(publicUrl, m.storageKey), mediaType: m.mimeType, alt: m.alt }));

      if (payload.action === 'reply') {
        const documentLoader = await ctx.getDocumentLoader(sender);
        const parent = await ctx.lookupObject(payload.inReplyTo, { documentLoader });
        const author = parent instanceof Note ? await parent.getAttribution({ documentLoader }) : null;
        if (!author?.id) throw new Error('the note answered could not be fetched');
        const handle = handleOf(author);
        const mention = `<span class="h-card"><a href="${escapeHtml(author.url instanceof URL ? author.url.href : author.id.href)}" class="u-url mention">${escapeHtml(handle.replace(/@[^@]+$/, ''))}</a></span> `;
        const row = await store({
          contentHtml: paragraphs(payload.text).replace(/^<p>/, `<p>${mention}`),
          ...addressingOf(payload.visibility, env, [author.id.href]),
          mentions: [{ href: author.id.href, name: handle }],
          inReplyTo: payload.inReplyTo,
        });
        // Addressed to the citizen alone: even an unlisted answer is not fanned out to followers.
        await ctx.sendActivity(sender, author, createOf(row, env), { preferSharedInbox: false });
        return { status: 'sent', externalRef: noteUri };
      }
      if (payload.action === 'publish') {
        const row = await store({
          contentHtml: paragraphs(payload.text),
          ...addressingOf(payload.visibility, env, []),
          attachments: attachmentsOf(payload.media),
        });
        await ctx.sendActivity(sender, 'followers', createOf(row, env), { preferSharedInbox: true });
        return { status: 'sent', externalRef: noteUri };
      }
      const existing = await findNote(db, payload.uuid);
      if (!existing) throw new Error('fediverse note to change is unknown');
      const now = deps.clock.now();
      if (payload.action === 'update') {
        const [row] = await db
          .update(fediverseNotes)
          .set({ contentHtml: paragraphs(payload.text), attachments: attachmentsOf(payload.media), updatedAt: now })
          .where(eq(fediverseNotes.uuid, payload.uuid))
          .returning();
        if (!row) throw new Error('fediverse note vanished');
        const note = noteOf(row, env);
        const update = new Update({
          id: new URL(`${noteUri}#update-${now.getTime()}`),
          actor: ctx.getActorUri(actorName),
          object: note,
          tos: note.toIds,
          ccs: note.ccIds,
        });
        await ctx.sendActivity(sender, 'followers', update, { preferSharedInbox: true });
        return { status: 'sent', externalRef: noteUri };
      }
      await db.update(fediverseNotes).set({ deletedAt: now }).where(eq(fediverseNotes.uuid, payload.uuid));
      const note = noteOf(existing, env);
      const del = new Delete({
        id: new URL(`${noteUri}#delete`),
        actor: ctx.getActorUri(actorName),
        object: new Tombstone({ id: new URL(noteUri) }),
        tos: note.toIds,
        ccs: note.ccIds,
      });
      await ctx.sendActivity(sender, 'followers', del, { preferSharedInbox: true });
      return { status: 'sent', externalRef: noteUri };
    },
  };
}
