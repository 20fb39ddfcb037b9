import type { PostTargetKind } from '../../../infra/schema/index.ts';
import type { ChannelCapabilities } from '../../channels/types.ts';

/** A target's length rule; `max` null: no limit (the website and the newsletter show the whole text). */
export interface TargetLimit {
  max: number | null;
  countsGraphemes: boolean;
}

/** The documented defaults, used when the publisher cannot say (Mastodon's instance may allow more). */
const DEFAULTS: Record<PostTargetKind, TargetLimit> = {
  website: { max: null, countsGraphemes: false },
  newsletter: { max: null, countsGraphemes: false },
  mastodon: { max: 500, countsGraphemes: false },
  fediverse: { max: 500, countsGraphemes: false },
  bluesky: { max: 300, countsGraphemes: true },
  telegram: { max: 4096, countsGraphemes: false },
};

/** The limit of a target: the publisher's capabilities where it has them, else the defaults. */
export function limitOf(
  target: PostTargetKind,
  capabilities?: Pick<ChannelCapabilities, 'maxLength' | 'countsGraphemes'> | null,
): TargetLimit {
  const base = DEFAULTS[target];
  if (base.max === null || !capabilities) return base;
  return { max: capabilities.maxLength, countsGraphemes: capabilities.countsGraphemes };
}

export const targetLabels: Record<PostTargetKind, string> = {
  website: 'Website',
  newsletter: 'Newsletter',
  mastodon: 'Mastodon',
  fediverse: 'Fediverse',
  bluesky: 'Bluesky',
  telegram: 'Telegram',
};
