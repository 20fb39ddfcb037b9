import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../../http/deps.ts';
import { registerAccountRoutes } from './accounts/routes.tsx';
import { registerBlueskyRoutes } from './bluesky/routes.tsx';
import { registerHeldRoutes } from './held/routes.tsx';
import { registerMastodonRoutes } from './mastodon/routes.tsx';
import { registerOutboxRoutes } from './outbox-routes.tsx';

/** Staff pages of the outbound side (the outbox), "Nicht zugeordnet", and the admin pages of the channel accounts. */
export const channelsPlugin: FastifyPluginAsync<{ deps: AppDeps }> = async (app, { deps }) => {
  registerOutboxRoutes(app, deps);
  registerAccountRoutes(app, deps);
  registerMastodonRoutes(app, deps);
  registerBlueskyRoutes(app, deps);
  registerHeldRoutes(app, deps);
};
