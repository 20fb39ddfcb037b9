import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../../http/deps.ts';
import { followRoutes } from './routes.tsx';

/**
 * Citizens follow public reports by e-mail: one case (the form on its public page) or new reports in
 * an area. Double opt-in, one-click unsubscribe (RFC 8058); the mails come from jobs.ts and read
 * only the public projection.
 */
export const publicFollowPlugin: FastifyPluginAsync<{ deps: AppDeps }> = async (app, { deps }) => {
  followRoutes(app, deps);
};
