import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../../http/deps.ts';
import { registerApiKeyRoutes } from './admin-routes.tsx';
import { handleOpen311Error, open311NotFound } from './errors.ts';
import { open311Routes } from './routes.ts';

/**
 * Open311 GeoReport v2 under /georeport/v2 (its own error shape, JSON or XML, never a page) and the
 * admin page of its API keys.
 */
export const open311Plugin: FastifyPluginAsync<{ deps: AppDeps; sessionSecret: string }> = async (app, { deps, sessionSecret }) => {
  await app.register(
    async (api) => {
      api.setErrorHandler(handleOpen311Error);
      api.setNotFoundHandler(open311NotFound);
      open311Routes(api, deps, sessionSecret);
    },
    { prefix: '/georeport/v2' },
  );
  registerApiKeyRoutes(app, deps);
};
