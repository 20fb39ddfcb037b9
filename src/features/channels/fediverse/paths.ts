/**
 * The addresses of the town's actor and its notes. Fedify builds them from these templates; the
 * reply adapter needs a note's URI before the note exists (it is the thread key of the answer).
 */
export const ACTOR_PATH = '/ap/actor/{identifier}';
export const NOTE_PATH = '/ap/notes/{id}';
export const SHARED_INBOX_PATH = '/ap/inbox';

export const actorUriOf = (publicUrl: string, actorName: string) => `${publicUrl}/ap/actor/${actorName}`;
export const noteUriOf = (publicUrl: string, uuid: string) => `${publicUrl}/ap/notes/${uuid}`;
export const followersUriOf = (publicUrl: string, actorName: string) => `${actorUriOf(publicUrl, actorName)}/followers`;

/** Thread keys of the fediverse: the id URI of a Note. */
export const fediverseThreadKey = (noteUri: string) => `fediverse:${noteUri}`;
