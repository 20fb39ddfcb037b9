import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../../infra/db.ts';
import { notFound } from '../../../infra/errors.ts';
import { enqueueOutbound } from '../../../infra/outbox.ts';
import { channelAccounts, outbox } from '../../../infra/schema/index.ts';
import type { ChannelCapabilities, Publisher, PublishRequest } from '../types.ts';
import type { MastodonPayload } from './channel.ts';
import { capabilitiesOf, publicClient } from './limits.ts';
import { mastodonSettingsSchema } from './settings.ts';

async function settingsOf(tx: Tx, accountId: number) {
  const [row] = await tx
    .select({ settings: channelAccounts.settings })
    .from(channelAccounts)
    .where(and(eq(channelAccounts.id, accountId), eq(channelAccounts.kind, 'mastodon')));
  if (!row) throw notFound('Dieses Mastodon-Konto gibt es nicht (mehr).');
  return mastodonSettingsSchema.parse(row.settings);
}

/** Checked again where the row is written, whatever the composer checked before. */
function check(caps: ChannelCapabilities, req: PublishRequest): void {
  if (req.media.length > caps.maxMedia) throw new Error(`Mastodon nimmt höchstens ${caps.maxMedia} Bilder je Beitrag.`);
  if (req.media.some((m) => !m.alt.trim())) throw new Error('Jedes Bild braucht eine Bildbeschreibung (Alternativtext).');
}

/**
 * Publishing on the town's Mastodon account through the one outbox: a row of kind `mastodon` per
 * publish, edit or deletion; the transport sends it after commit and stores the status id in the
 * row's externalRef. Limits come from the server's /api/v2/instance (documented defaults otherwise).
 */
export const mastodonPublisher: Publisher = {
  kind: 'mastodon',
  async capabilities(tx, accountId) {
    const settings = await settingsOf(tx, accountId);
    return capabilitiesOf(publicClient(settings.instanceUrl), () => new Date());
  },
  async publish(tx, req) {
    const settings = await settingsOf(tx, req.accountId);
    check(await capabilitiesOf(publicClient(settings.instanceUrl), () => new Date()), req);
    return write(tx, req.accountId, settings.handle, req.idempotencyKey, {
      action: 'post',
      text: req.text,
      visibility: req.visibility,
      inReplyToId: null,
      spoilerText: req.contentWarning ?? null,
      media: req.media,
    });
  },
  async edit(tx, req) {
    const settings = await settingsOf(tx, req.accountId);
    return write(tx, req.accountId, settings.handle, req.idempotencyKey, {
      action: 'edit',
      statusId: req.externalRef,
      text: req.text,
      spoilerText: req.contentWarning ?? null,
      media: req.media,
    });
  },
  async remove(tx, req) {
    const settings = await settingsOf(tx, req.accountId);
    return write(tx, req.accountId, settings.handle, req.idempotencyKey, { action: 'delete', statusId: req.externalRef });
  },
};

async function write(tx: Tx, accountId: number, handle: string, key: string, payload: MastodonPayload): Promise<{ outboxId: number }> {
  const written = await enqueueOutbound(tx, {
    kind: 'mastodon',
    channelAccountId: accountId,
    address: handle,
    payload,
    externalRef: 'statusId' in payload ? payload.statusId : null,
    idempotencyKey: key,
  });
  if (written.outcome === 'queued') return { outboxId: written.id };
  // The same key was written before (a retried job, a double click): the first row stands.
  const [row] = await tx.select({ id: outbox.id }).from(outbox).where(eq(outbox.idempotencyKey, key));
  if (!row) throw new Error('outbox row vanished');
  return { outboxId: row.id };
}
