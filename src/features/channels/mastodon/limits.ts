import type { ChannelCapabilities } from '../types.ts';
import { type MastodonClient, mastodonClient } from './api.ts';

/** Mastodon's documented defaults, used until (or when) the server does not say: 500 characters, 4 images. */
export const MASTODON_DEFAULTS: ChannelCapabilities = {
  maxLength: 500,
  countsGraphemes: false,
  maxMedia: 4,
  mediaTypes: ['image/jpeg', 'image/png', 'image/webp'],
  altText: true,
  visibilities: ['public', 'unlisted', 'followers', 'direct'],
  threads: true,
  canEdit: true,
  canDelete: true,
};

const CACHE_MS = 60 * 60_000;
const cache = new Map<string, { at: number; caps: ChannelCapabilities }>();

/**
 * The server's own limits from GET /api/v2/instance (configuration.statuses.max_characters,
 * max_media_attachments, media_attachments.supported_mime_types), cached an hour per server; the
 * defaults when the server cannot be asked, so a composer still works during an outage.
 */
export async function capabilitiesOf(client: MastodonClient, now: () => Date): Promise<ChannelCapabilities> {
  const key = client.instanceUrl;
  const known = cache.get(key);
  if (known && now().getTime() - known.at < CACHE_MS) return known.caps;
  try {
    const { configuration } = await client.instance();
    const images = configuration.media_attachments?.supported_mime_types?.filter((t) => t.startsWith('image/'));
    const caps: ChannelCapabilities = {
      ...MASTODON_DEFAULTS,
      maxLength: configuration.statuses?.max_characters ?? MASTODON_DEFAULTS.maxLength,
      maxMedia: configuration.statuses?.max_media_attachments ?? MASTODON_DEFAULTS.maxMedia,
      ...(images && images.length > 0 ? { mediaTypes: images } : {}),
    };
    cache.set(key, { at: now().getTime(), caps });
    return caps;
  } catch {
    return MASTODON_DEFAULTS;
  }
}

/** Without the token: /api/v2/instance is public. */
export const publicClient = (instanceUrl: string) => mastodonClient({ instanceUrl, accessToken: '' });
