import type { Actor, Note } from '@fedify/vocab';
import type { Inbound } from '../../intake/inbound.ts';
import { clipDescription, LIMITS } from '../../intake/inbound.ts';
import { type IntakeDeps, type IntakeResult, receive } from '../../intake/service.ts';
import { roughText } from '../email/html.ts';
import type { ActorAccount } from './actor-account.ts';
import { visibilityOf } from './notes.ts';
import { fediverseThreadKey } from './paths.ts';

/** A Note fetched from its origin, with its author as the author's server shows them. */
export interface TrustedNote {
  note: Note;
  author: Actor;
}

/** `@user@host` as Mastodon shows it; the actor's URI when it has no user name. */
export function handleOf(author: Actor): string {
  const user = author.preferredUsername?.toString();
  return user && author.id ? `@${user}@${author.id.host}` : (author.id?.href ?? '');
}

/** The text of a Note: markup (and any script in it) removed, the leading mention of the town's actor dropped. */
export function noteText(html: string, actorName: string): string {
  return roughText(html)
    .replace(new RegExp(`^\\s*@${actorName}(@[^\\s]+)?\\s*`, 'i'), '')
    .trim();
}

/**
 * A citizen's Note into the one pipeline: a new case, or a follow-up in the thread it answers.
 * Idempotent on the Note's id (an edit on id + time of the edit), so a replayed activity stores
 * nothing new. `deleted`: the author deleted a Note already taken in; the case is told so.
 */
export async function intakeNote(
  deps: IntakeDeps,
  trusted: TrustedNote | null,
  p: { account: ActorAccount; actorUri: string; edit: boolean; postTitle: string | null; deleted?: { noteUri: string } },
): Promise<IntakeResult | null> {
  const base = {
    channel: 'fediverse',
    channelAccountId: p.account.id,
    defaultTeamId: p.account.defaultTeamId,
    type: null,
    categoryId: null,
    locationText: null,
    lat: null,
    lon: null,
    reporterEmail: null,
    consentAt: null,
    // Answers on the fediverse are written by staff; an automatic Note to a citizen would be noise.
    autoReply: false,
  } as const;
  if (p.deleted) {
    return receive(deps, {
      ...base,
      externalId: `${p.deleted.noteUri}#delete`,
      threadKeys: [fediverseThreadKey(p.deleted.noteUri)],
      description: 'Der Beitrag wurde von der Person im Fediverse gelöscht.',
      reporterName: null,
      intakeNotes: ['Der ursprüngliche Beitrag ist im Fediverse gelöscht; der Text bleibt hier erhalten.'],
    });
  }
  const id = trusted?.note.id?.href;
  if (!trusted || !id) return null;
  const { note, author } = trusted;
  const notes: string[] = [];
  const text = noteText(note.content?.toString() ?? '', p.actorUri.split('/').pop() ?? '');
  const description = clipDescription(text || '(Der Beitrag enthielt keinen Text.)', notes);
  if (p.postTitle) notes.push(`Antwort auf den Amtsblatt-Beitrag „${p.postTitle}“`);
  if (p.edit) notes.push('Der Beitrag wurde im Fediverse bearbeitet; die frühere Fassung steht weiter oben.');
  const followers = author.followersId ? [author.followersId.href] : [];
  const visibility = visibilityOf(
    note.toIds.map((u) => u.href),
    note.ccIds.map((u) => u.href),
    followers,
  );
  const publicUrl = note.url instanceof URL ? note.url.href : visibility === 'direct' ? null : id;
  const name = author.name?.toString().trim().slice(0, LIMITS.name) || null;
  const updated = note.updated?.toString() ?? 'edit';
  const inbound: Inbound = {
    ...base,
    externalId: p.edit ? `${id}#${updated}` : id,
    threadKeys: p.edit ? [fediverseThreadKey(id)] : note.replyTargetId ? [fediverseThreadKey(note.replyTargetId.href)] : [],
    threadKey: p.edit ? null : fediverseThreadKey(id),
    contact: { kind: 'fediverse', address: handleOf(author), displayName: name },
    reporterName: name,
    description,
    intakeNotes: notes,
    visibility,
    publicUrl: publicUrl && /^https?:/.test(publicUrl) ? publicUrl : null,
  };
  return receive(deps, inbound);
}
