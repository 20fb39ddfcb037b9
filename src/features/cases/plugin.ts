import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../../http/deps.ts';
import { registerBulkRoutes } from './bulk-routes.tsx';
import { livePlugin } from './live/plugin.ts';
import { registerOriginalRoutes } from './original.tsx';
import { registerCaseRoutes } from './routes.tsx';

/** Staff inbox, case page with its forms, and case photos; live updates of both. */
export const casesPlugin: FastifyPluginAsync<{ deps: AppDeps }> = async (app, { deps }) => {
  registerCaseRoutes(app, deps);
  registerBulkRoutes(app, deps);
  registerOriginalRoutes(app, deps);
  await app.register(livePlugin, { deps });
};
