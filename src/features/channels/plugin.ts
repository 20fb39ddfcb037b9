import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../../http/deps.ts';
import { registerOutboxRoutes } from './outbox-routes.tsx';

/** Staff pages of the outbound side: the outbox. */
export const channelsPlugin: FastifyPluginAsync<{ deps: AppDeps }> = async (app, { deps }) => {
  registerOutboxRoutes(app, deps);
};
