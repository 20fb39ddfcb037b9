import type { Publisher } from '../../src/features/channels/types.ts';
import { enqueueOutbound } from '../../src/infra/outbox.ts';

/**
 * A publisher for tests: like a real adapter it only writes an outbox row (its kind, the account,
 * the text and media as payload) and lets the transport deliver it later. `refuse` makes publish
 * throw, as an adapter does when the network would reject the item (too long, a bad image).
 */
export function testPublisher(
  kind: Publisher['kind'],
  opts: { maxLength?: number; canEdit?: boolean; refuse?: () => boolean } = {},
): Publisher & { calls: string[] } {
  const calls: string[] = [];
  const write = async (tx: Parameters<Publisher['publish']>[0], payload: Record<string, unknown>, key: string, accountId: number) => {
    const queued = await enqueueOutbound(tx, {
      kind,
      channelAccountId: accountId,
      address: `${kind}:${accountId}`,
      payload,
      idempotencyKey: key,
    });
    if (queued.outcome !== 'queued') throw new Error(`outbox row not written (${queued.outcome})`);
    return { outboxId: queued.id };
  };
  return {
    kind,
    calls,
    capabilities: async () => ({
      maxLength: opts.maxLength ?? (kind === 'bluesky' ? 300 : 500),
      countsGraphemes: kind === 'bluesky',
      maxMedia: 4,
      mediaTypes: ['image/jpeg', 'image/png'],
      altText: true,
      visibilities: ['public'],
      threads: true,
      canEdit: opts.canEdit ?? kind !== 'bluesky',
      canDelete: true,
    }),
    async publish(tx, req) {
      calls.push(`publish:${req.idempotencyKey}`);
      if (opts.refuse?.()) throw new Error('refused by the network');
      return write(tx, { action: 'publish', text: req.text, media: req.media }, req.idempotencyKey, req.accountId);
    },
    async edit(tx, req) {
      calls.push(`edit:${req.idempotencyKey}`);
      if (!(opts.canEdit ?? kind !== 'bluesky')) return { unsupported: true };
      return write(tx, { action: 'edit', text: req.text, externalRef: req.externalRef }, req.idempotencyKey, req.accountId);
    },
    async remove(tx, req) {
      calls.push(`remove:${req.idempotencyKey}`);
      return write(tx, { action: 'remove', externalRef: req.externalRef }, req.idempotencyKey, req.accountId);
    },
  };
}
