import { blueskyPublisher } from './bluesky/publisher.ts';
import { fediversePublisher } from './fediverse/publisher.ts';
import { mastodonPublisher } from './mastodon/publisher.ts';
import { telegramPublisher } from './telegram/publisher.ts';
import type { Publisher, PublisherRegistry } from './types.ts';

/**
 * The publishing sides of the social adapters, by account kind. Each adapter adds its own here;
 * the publishing feature (the Amtsblatt) asks this registry and never imports an adapter.
 */
export function createPublisherRegistry(): PublisherRegistry {
  const publishers: Publisher[] = [mastodonPublisher, blueskyPublisher, fediversePublisher(), telegramPublisher];
  return new Map(publishers.map((p) => [p.kind, p]));
}
