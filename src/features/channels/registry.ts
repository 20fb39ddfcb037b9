import type { ChannelName } from '../../infra/schema/index.ts';
import { blueskyChannel } from './bluesky/adapter.ts';
import { fediverseChannel } from './fediverse/reply-channel.ts';
import { mailChannel } from './mail-channel.ts';
import { mastodonChannel } from './mastodon/channel.ts';
import { type OfflineChannel, offlineChannel } from './offline-channel.ts';
import { open311Channel } from './open311-channel.ts';
import { telegramChannel } from './telegram/adapter.ts';
import type { CaseForChannel, ChannelAdapter } from './types.ts';

/**
 * Picks by channel and contact only, so intake can choose the adapter before the case exists.
 * Null for a channel without a way back yet (e.g. Mastodon before it is connected): each caller
 * decides what that means (intake refuses, a reply is kept for a person, a notice is skipped).
 */
export type ChannelRegistry = (c: Pick<CaseForChannel, 'channel' | 'contact'>) => ChannelAdapter | null;

const offline: readonly ChannelName[] = ['phone', 'fax', 'walk_in', 'letter'];

/**
 * Answers go where the contact can be reached: an e-mail contact by mail (also for a phone call
 * whose caller left an address), otherwise the channel the message came on.
 */
export function createChannelRegistry(env: { publicUrl: string; townName: string }): ChannelRegistry {
  const mail = mailChannel(env);
  const byChannel = new Map<ChannelName, ChannelAdapter>(offline.map((name) => [name, offlineChannel(name as OfflineChannel)]));
  byChannel.set('open311', open311Channel);
  byChannel.set('mastodon', mastodonChannel(env));
  byChannel.set('bluesky', blueskyChannel(env));
  byChannel.set('fediverse', fediverseChannel(env));
  byChannel.set('telegram', telegramChannel());
  return (c) => {
    if (c.contact?.kind === 'email') return mail;
    // The web form and a mail without a usable address: the mail adapter says that nothing can be sent.
    if (c.channel === 'web' || c.channel === 'email') return mail;
    return byChannel.get(c.channel) ?? null;
  };
}
