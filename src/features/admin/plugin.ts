import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../../http/deps.ts';
import { registerAdminHome } from './home-route.tsx';
import { registerTeamRoutes } from './teams-routes.tsx';
import { registerThrottleRoutes } from './throttles-routes.tsx';
import { registerUserRoutes } from './users-routes.tsx';

/** Administration of staff accounts and teams; every route requires the admin role. */
export const adminPlugin: FastifyPluginAsync<{ deps: AppDeps }> = async (app, { deps }) => {
  registerAdminHome(app, deps);
  registerUserRoutes(app, deps);
  registerTeamRoutes(app, deps);
  registerThrottleRoutes(app, deps);
};
