import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../../http/deps.ts';
import { trackingRoutes } from './routes.tsx';

/** What citizens see of their case: the private tracking page and its photos. */
export const transparencyPlugin: FastifyPluginAsync<{ deps: AppDeps }> = async (app, { deps }) => {
  trackingRoutes(app, deps);
};
