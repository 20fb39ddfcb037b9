import { Create, Document, Mention, Note, PUBLIC_COLLECTION } from '@fedify/vocab';
import { Temporal } from '@js-temporal/polyfill';
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../../infra/db.ts';
import type { Visibility } from '../../../infra/schema/index.ts';
import { fediverseNotes } from '../../../infra/schema/index.ts';
import { actorUriOf, followersUriOf, noteUriOf } from './paths.ts';

export type NoteRow = typeof fediverseNotes.$inferSelect;

const PUBLIC = PUBLIC_COLLECTION.href;

/**
 * The addressing of a Note as Mastodon reads it: public = Public collection in `to`, unlisted = in
 * `cc`, followers = only the followers collection, direct = only the people named.
 */
export function addressingOf(visibility: Visibility, env: { publicUrl: string; actorName: string }, named: string[]) {
  const followers = followersUriOf(env.publicUrl, env.actorName);
  switch (visibility) {
    case 'public':
      return { to: [PUBLIC], cc: [followers, ...named] };
    case 'unlisted':
      return { to: [followers, ...named], cc: [PUBLIC] };
    case 'followers':
      return { to: [followers, ...named], cc: [] };
    case 'direct':
      return { to: named, cc: [] };
  }
}

/** Who may see it, read back from `to`/`cc` (the same rule for citizens' notes and ours). */
export function visibilityOf(to: readonly string[], cc: readonly string[], followersUris: readonly string[]): Visibility {
  if (to.includes(PUBLIC) || to.includes('as:Public') || to.includes('Public')) return 'public';
  if (cc.includes(PUBLIC) || cc.includes('as:Public') || cc.includes('Public')) return 'unlisted';
  if ([...to, ...cc].some((uri) => followersUris.includes(uri) || uri.endsWith('/followers'))) return 'followers';
  return 'direct';
}

export function noteOf(row: NoteRow, env: { publicUrl: string; actorName: string }): Note {
  const url = (s: string) => new URL(s);
  return new Note({
    id: url(noteUriOf(env.publicUrl, row.uuid)),
    attribution: url(actorUriOf(env.publicUrl, env.actorName)),
    content: row.contentHtml,
    mediaType: 'text/html',
    tos: row.to.map(url),
    ccs: row.cc.map(url),
    replyTarget: row.inReplyTo ? url(row.inReplyTo) : null,
    tags: row.mentions.map((m) => new Mention({ href: url(m.href), name: m.name })),
    attachments: row.attachments.map((a) => new Document({ url: url(a.url), mediaType: a.mediaType, name: a.alt })),
    published: Temporal.Instant.fromEpochMilliseconds(row.publishedAt.getTime()),
    updated: row.updatedAt ? Temporal.Instant.fromEpochMilliseconds(row.updatedAt.getTime()) : null,
  });
}

/** The Create activity of a note; its id is derived from the note's, so sending it twice names one activity. */
export function createOf(row: NoteRow, env: { publicUrl: string; actorName: string }): Create {
  const note = noteOf(row, env);
  return new Create({
    id: new URL(`${noteUriOf(env.publicUrl, row.uuid)}#create`),
    actor: note.attributionId,
    object: note,
    tos: note.toIds,
    ccs: note.ccIds,
    published: note.published,
  });
}

export async function findNote(db: DbOrTx, uuid: string): Promise<NoteRow | undefined> {
  const [row] = await db.select().from(fediverseNotes).where(eq(fediverseNotes.uuid, uuid));
  return row;
}

/** The public notes, newest first (the outbox lists only what anyone may see). */
export async function listedNotes(db: DbOrTx, limit: number): Promise<NoteRow[]> {
  return db
    .select()
    .from(fediverseNotes)
    .where(and(isNull(fediverseNotes.deletedAt), sql`${fediverseNotes.to} ? ${PUBLIC}`))
    .orderBy(desc(fediverseNotes.publishedAt))
    .limit(limit);
}
