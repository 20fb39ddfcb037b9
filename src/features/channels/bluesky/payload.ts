import { z } from 'zod';

/** An outbox row of kind `bluesky`: posts (an answer, a thread of them, a publication) or a deletion. */
export const blueskyPayload = z.discriminatedUnion('op', [
  z.object({
    op: z.literal('post'),
    /** One text per post; more than one: a thread, each answering the one before. */
    parts: z.array(z.string().min(1)).min(1).max(10),
    /** The AT URI of the post answered (the citizen's latest); its cid and thread root are read at delivery. */
    replyTo: z.string().startsWith('at://').nullable(),
    images: z.array(z.object({ storageKey: z.string(), mimeType: z.string(), alt: z.string().min(1).max(2000) })).max(4),
    /** Posts of this row already created (a retry after a half-sent thread continues there). */
    done: z.array(z.object({ uri: z.string(), cid: z.string() })).default([]),
  }),
  z.object({ op: z.literal('delete'), uri: z.string().startsWith('at://') }),
]);
export type BlueskyPayload = z.infer<typeof blueskyPayload>;

/** "bluesky:<at-uri>": the namespaced thread key of a post, on messages and in intake. */
export const blueskyThreadKey = (uri: string) => `bluesky:${uri}`;
/** Where the thread key of an answer points before its post exists: replaced once it is sent. */
export const pendingThreadKey = (outboxId: number) => `bluesky:outbox:${outboxId}`;

/** https://bsky.app/profile/<handle>/post/<rkey> of at://<did>/app.bsky.feed.post/<rkey>. */
export function publicUrlOf(uri: string, handle: string): string | null {
  const rkey = /^at:\/\/[^/]+\/app\.bsky\.feed\.post\/([A-Za-z0-9._:~-]{1,512})$/.exec(uri)?.[1];
  return rkey ? `https://bsky.app/profile/${encodeURIComponent(handle)}/post/${rkey}` : null;
}
