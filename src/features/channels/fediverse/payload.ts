import { z } from 'zod';
import { visibilities } from '../../../infra/schema/index.ts';

const media = z.object({ storageKey: z.string(), mimeType: z.string(), alt: z.string().min(1) });

/** What an outbox row of kind `fediverse` asks for: an answer in a citizen's thread, or a post of the town. */
export const fediversePayloadSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('reply'), uuid: z.uuid(), text: z.string().min(1), inReplyTo: z.url(), visibility: z.enum(visibilities) }),
  z.object({
    action: z.literal('publish'),
    uuid: z.uuid(),
    text: z.string().min(1),
    media: z.array(media),
    visibility: z.enum(visibilities),
  }),
  z.object({ action: z.literal('update'), uuid: z.uuid(), text: z.string().min(1), media: z.array(media) }),
  z.object({ action: z.literal('delete'), uuid: z.uuid() }),
]);
export type FediversePayload = z.infer<typeof fediversePayloadSchema>;

/** The capabilities of the town's own actor: Mastodon shows 500 characters; we keep to that. */
export const FEDIVERSE_MAX_LENGTH = 500;
export const FEDIVERSE_MAX_MEDIA = 4;
export const FEDIVERSE_MEDIA_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
