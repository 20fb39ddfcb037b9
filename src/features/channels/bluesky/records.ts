import { z } from 'zod';

const strongRef = z.object({ uri: z.string().startsWith('at://').max(500), cid: z.string().min(1).max(200) });

/**
 * The parts of an app.bsky.feed.post record (lexicon app.bsky.feed.post) intake reads. A
 * notification's `record` is typed `unknown` by the lexicon, so anything may come: checked here.
 */
export const postRecord = z.object({
  $type: z.literal('app.bsky.feed.post'),
  text: z.string().max(10_000),
  createdAt: z.string(),
  reply: z.object({ root: strongRef, parent: strongRef }).optional(),
  embed: z.object({ $type: z.string() }).passthrough().optional(),
});
export type PostRecord = z.infer<typeof postRecord>;

/** app.bsky.feed.like / app.bsky.feed.repost: who reacted to which post. */
export const reactionRecord = z.object({
  $type: z.enum(['app.bsky.feed.like', 'app.bsky.feed.repost']),
  subject: strongRef,
});

/** Why a record was skipped, for staff (German, no text of the post). */
export function recordProblem(error: z.ZodError): string {
  const first = error.issues[0];
  const field = first?.path.join('.') || 'Eintrag';
  return `Beitrag nicht lesbar (Feld „${field}“ fehlt oder hat die falsche Art) und übersprungen.`;
}
