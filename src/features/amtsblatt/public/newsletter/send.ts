import { z } from 'zod';
import type { Db } from '../../../../infra/db.ts';
import { subscribe as onEvent } from '../../../../infra/events.ts';
import type { Logger } from '../../../../infra/log.ts';
import { enqueueMail, newMessageId } from '../../../../infra/outbox-mail.ts';
import { defineJob, type Queue } from '../../../../infra/queue.ts';
import { postPath } from '../links.ts';
import { publishedPostsByIds } from '../queries.ts';
import { unsubscribeHeaders, unsubscribePath } from './links.ts';
import { matchingSubscribers } from './queries.ts';
import type { NewsletterDeps } from './service.ts';
import { postMail } from './texts.ts';
import '../../events.ts';

/** Mails written per job step: one transaction of this many outbox rows, then the next step is queued. */
export const NEWSLETTER_BATCH = 500;

const sendSchema = z.object({ postId: z.number().int().positive(), afterId: z.number().int().nonnegative() });
const SEND_JOB = { name: 'amtsblatt.newsletter.send', schema: sendSchema, retryLimit: 10 } as const;

/**
 * One step of sending a post: the next NEWSLETTER_BATCH matching subscribers after `afterId`, one
 * outbox mail each under the key newsletter:<post>:<subscription>, so a step that runs twice (a
 * retry, a crash after commit) writes nothing twice. Returns where the next step starts, or null.
 */
export async function sendStep(
  deps: NewsletterDeps,
  postId: number,
  afterId: number,
  batchSize = NEWSLETTER_BATCH,
): Promise<number | null> {
  const [post] = await publishedPostsByIds(deps.db, [postId]);
  // Withdrawn before its turn: the rest of the subscribers do not get it.
  if (!post) return null;
  const batch = await matchingSubscribers(deps.db, post, afterId, batchSize);
  const url = `${deps.config.publicUrl}${postPath(post.slug)}`;
  await deps.db.transaction(async (tx) => {
    for (const s of batch) {
      const text = postMail({
        townName: deps.config.townName,
        post,
        url,
        unsubscribeUrl: `${deps.config.publicUrl}${unsubscribePath(s.token)}`,
      });
      await enqueueMail(tx, {
        caseId: null,
        to: s.address,
        ...text,
        messageId: newMessageId(deps.config.publicUrl, null),
        // Asked for and confirmed: not capped like the automatic mails a stranger could trigger.
        automatic: false,
        contactId: s.contactId,
        idempotencyKey: `newsletter:${post.id}:${s.id}`,
        headers: unsubscribeHeaders(deps.config.publicUrl, s.token),
      });
    }
  });
  const last = batch.at(-1);
  return batch.length === batchSize && last ? last.id : null;
}

export function newsletterJobs(deps: NewsletterDeps & { queue: Queue; log: Logger; batchSize?: number }) {
  return [
    defineJob({
      ...SEND_JOB,
      handler: async ({ postId, afterId }) => {
        const next = await sendStep(deps, postId, afterId, deps.batchSize);
        if (next !== null) await deps.queue.send(SEND_JOB, { postId, afterId: next }, { singletonKey: `newsletter:${postId}:${next}` });
        else deps.log.info({ postId }, 'newsletter written for every subscriber');
      },
    }),
  ] as const;
}

/** A post that goes public for the first time is sent; an edit of a published post is not sent again. */
export function subscribeNewsletter(db: Db, queue: Queue): void {
  onEvent(db, 'post.published', async ({ postId, republished }) => {
    if (republished) return;
    await queue.send(SEND_JOB, { postId, afterId: 0 }, { singletonKey: `newsletter:${postId}:0` });
  });
}
