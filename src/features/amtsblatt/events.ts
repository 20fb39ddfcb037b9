/**
 * The events of the Amtsblatt, declared once so that every part of it (the desk that publishes,
 * the newsletter and the feeds that react) speaks of the same thing. Emitted in the transaction
 * that changes the post; subscribers hear of it after commit (infra/events.ts).
 */
declare module '../../infra/events.ts' {
  interface DomainEvents {
    /** A post went public (on the website, the first of its targets); `republished`: an edit of a published post. */
    'post.published': { postId: number; at: Date; republished: boolean };
    /** A post left the public (withdrawn, or its portrait consent was revoked). */
    'post.unpublished': { postId: number; at: Date };
  }
}

export {};
