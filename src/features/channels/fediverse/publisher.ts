import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { invalid } from '../../../infra/errors.ts';
import { enqueueOutbound } from '../../../infra/outbox.ts';
import { outbox } from '../../../infra/schema/index.ts';
import type { ChannelCapabilities, Publisher, PublishRequest } from '../types.ts';
import { FEDIVERSE_MAX_LENGTH, FEDIVERSE_MAX_MEDIA, FEDIVERSE_MEDIA_TYPES, type FediversePayload } from './payload.ts';

const capabilities: ChannelCapabilities = {
  maxLength: FEDIVERSE_MAX_LENGTH,
  countsGraphemes: false,
  maxMedia: FEDIVERSE_MAX_MEDIA,
  mediaTypes: FEDIVERSE_MEDIA_TYPES,
  altText: true,
  visibilities: ['public', 'unlisted', 'followers'],
  threads: true,
  canEdit: true,
  canDelete: true,
};

/** A published Note's UUID from its URI (the `externalRef` the transport stored). */
function uuidOf(externalRef: string): string {
  const uuid = /\/ap\/notes\/([0-9a-f-]{36})$/.exec(externalRef)?.[1];
  if (!uuid) throw invalid('Dieser Beitrag stammt nicht vom Fediverse-Konto der Stadt.');
  return uuid;
}

function checked(req: PublishRequest): void {
  if (req.visibility === 'direct') throw invalid('Ein Beitrag des Amtsblatts kann nicht als Direktnachricht erscheinen.');
  if (req.text.length > FEDIVERSE_MAX_LENGTH) throw invalid(`Der Text ist länger als ${FEDIVERSE_MAX_LENGTH} Zeichen.`);
  if (req.media.length > FEDIVERSE_MAX_MEDIA) throw invalid(`Höchstens ${FEDIVERSE_MAX_MEDIA} Bilder pro Beitrag.`);
  if (req.media.some((m) => !m.alt.trim())) throw invalid('Jedes Bild braucht eine Bildbeschreibung.');
  if (req.media.some((m) => !(FEDIVERSE_MEDIA_TYPES as readonly string[]).includes(m.mimeType))) {
    throw invalid('Dieses Bildformat kann nicht veröffentlicht werden (JPEG, PNG oder WebP).');
  }
}

/** The town's actor publishes through the one outbox: Create, Update and Delete of public Notes to its followers. */
export function fediversePublisher(): Publisher {
  const write = async (tx: Parameters<Publisher['publish']>[0], accountId: number, key: string, payload: FediversePayload) => {
    const written = await enqueueOutbound(tx, {
      kind: 'fediverse',
      channelAccountId: accountId,
      address: 'followers',
      payload,
      idempotencyKey: key,
    });
    if (written.outcome === 'queued') return { outboxId: written.id };
    // The same key again (a retried job, a double click): the row written the first time.
    const [row] = await tx.select({ id: outbox.id }).from(outbox).where(eq(outbox.idempotencyKey, key));
    if (!row) throw new Error('fediverse outbox row not found');
    return { outboxId: row.id };
  };
  return {
    kind: 'fediverse',
    capabilities: async () => capabilities,
    async publish(tx, req) {
      checked(req);
      const media = req.media.map(({ storageKey, mimeType, alt }) => ({ storageKey, mimeType, alt }));
      return write(tx, req.accountId, req.idempotencyKey, {
        action: 'publish',
        uuid: randomUUID(),
        text: req.text,
        media,
        visibility: req.visibility,
      });
    },
    async edit(tx, req) {
      checked(req);
      const media = req.media.map(({ storageKey, mimeType, alt }) => ({ storageKey, mimeType, alt }));
      return write(tx, req.accountId, req.idempotencyKey, { action: 'update', uuid: uuidOf(req.externalRef), text: req.text, media });
    },
    async remove(tx, req) {
      return write(tx, req.accountId, req.idempotencyKey, { action: 'delete', uuid: uuidOf(req.externalRef) });
    },
  };
}
