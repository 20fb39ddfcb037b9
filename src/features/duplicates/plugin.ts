import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../../http/deps.ts';
import { duplicatesRoutes } from './routes.tsx';

/** Duplicate reports: following an existing report, the follower page, and merging on the staff side. */
export const duplicatesPlugin: FastifyPluginAsync<{ deps: AppDeps }> = async (app, { deps }) => {
  duplicatesRoutes(app, deps);
};
