import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../../http/deps.ts';
import { registerAuthRoutes } from './routes.tsx';

/** Staff sign-in and sign-out; sessions themselves are loaded by sessionPlugin (session.ts). */
export const authPlugin: FastifyPluginAsync<{ deps: AppDeps; sessionSecret: string }> = async (app, { deps, sessionSecret }) => {
  registerAuthRoutes(app, deps, sessionSecret);
};
