import type { ChannelName } from '../../infra/schema/index.ts';
import { mailChannel } from './mail-channel.ts';
import { offlineChannel } from './offline-channel.ts';
import type { CaseForChannel, ChannelAdapter } from './types.ts';

/**
 * Picks by channel and address only, so intake can choose the adapter before the case exists.
 * Null for a channel without a way back yet (e.g. Mastodon before it is connected): each caller
 * decides what that means (intake refuses, a reply is kept for a person, a notice is skipped).
 */
export type ChannelRegistry = (c: Pick<CaseForChannel, 'channel' | 'reporterEmail'>) => ChannelAdapter | null;

/**
 * Picks the adapter for a case: the channel it came in on. A phone or fax case whose reporter left an
 * e-mail address is answered by mail, because that reaches them.
 */
export function createChannelRegistry(env: { publicUrl: string; townName: string }): ChannelRegistry {
  const adapters: Partial<Record<ChannelName, ChannelAdapter>> = {
    web: mailChannel('web', env),
    email: mailChannel('email', env),
    phone: offlineChannel('phone'),
    fax: offlineChannel('fax'),
    walk_in: offlineChannel('walk_in'),
  };
  return (c) => {
    const offline = c.channel === 'phone' || c.channel === 'fax' || c.channel === 'walk_in';
    return (offline && c.reporterEmail ? adapters.email : adapters[c.channel]) ?? null;
  };
}
