import { eq } from 'drizzle-orm';
import type { Tx } from '../../../infra/db.ts';
import { invalid } from '../../../infra/errors.ts';
import { type Enqueued, enqueueOutbound } from '../../../infra/outbox.ts';
import { outbox } from '../../../infra/schema/index.ts';
import type { ChannelCapabilities, Publisher } from '../types.ts';
import type { BlueskyPayload } from './payload.ts';
import { graphemeLength, MAX_GRAPHEMES } from './text.ts';

/** The lexicon's limits (app.bsky.feed.post: 300 graphemes; app.bsky.embed.images: 4, each with alt). */
export const blueskyCapabilities: ChannelCapabilities = {
  maxLength: MAX_GRAPHEMES,
  countsGraphemes: true,
  maxMedia: 4,
  mediaTypes: ['image/jpeg', 'image/png', 'image/webp'],
  altText: true,
  visibilities: ['public'],
  threads: true,
  canEdit: false,
  canDelete: true,
};

/** The town publishes on its Bluesky account; Bluesky has no edit, so `edit` says so. */
export const blueskyPublisher: Publisher = {
  kind: 'bluesky',
  capabilities: async () => blueskyCapabilities,
  async publish(tx, req) {
    const length = graphemeLength(req.text.trim());
    if (length === 0 || length > MAX_GRAPHEMES) {
      throw invalid(`Ein Bluesky-Beitrag hat höchstens ${MAX_GRAPHEMES} Zeichen (Emoji zählen als eines); dieser hat ${length}.`);
    }
    if (req.visibility !== 'public') throw invalid('Auf Bluesky ist jeder Beitrag öffentlich.');
    if (req.media.length > blueskyCapabilities.maxMedia) throw invalid('Ein Bluesky-Beitrag trägt höchstens 4 Bilder.');
    if (req.media.some((m) => !m.alt.trim())) throw invalid('Bitte beschreiben Sie jedes Bild (Alternativtext).');
    if (req.media.some((m) => !blueskyCapabilities.mediaTypes.includes(m.mimeType))) throw invalid('Bluesky nimmt nur JPEG, PNG und WebP.');
    const payload: BlueskyPayload = {
      op: 'post',
      parts: [req.text.trim()],
      replyTo: null,
      images: req.media.map((m) => ({ storageKey: m.storageKey, mimeType: m.mimeType, alt: m.alt.trim() })),
      done: [],
    };
    return written(
      await enqueueOutbound(tx, {
        kind: 'bluesky',
        channelAccountId: req.accountId,
        address: 'public',
        payload,
        idempotencyKey: req.idempotencyKey,
      }),
      tx,
      req.idempotencyKey,
    );
  },
  edit: async () => ({ unsupported: true }),
  async remove(tx, req) {
    const payload: BlueskyPayload = { op: 'delete', uri: req.externalRef };
    return written(
      await enqueueOutbound(tx, {
        kind: 'bluesky',
        channelAccountId: req.accountId,
        address: 'public',
        payload,
        externalRef: req.externalRef,
        idempotencyKey: req.idempotencyKey,
      }),
      tx,
      req.idempotencyKey,
    );
  },
};

/** The row written now, or the one the same key wrote before (publishing twice posts once). */
async function written(result: Enqueued, tx: Tx, key: string): Promise<{ outboxId: number }> {
  if (result.outcome === 'queued') return { outboxId: result.id };
  const [row] = await tx.select({ id: outbox.id }).from(outbox).where(eq(outbox.idempotencyKey, key));
  if (!row) throw new Error('outbox row of a repeated key is missing');
  return { outboxId: row.id };
}
