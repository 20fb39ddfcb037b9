import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../../http/deps.ts';
import { registerSlaAdminRoutes } from './admin-routes.tsx';

/** SLA administration (policies, office hours, team leads); the clocks themselves ride on cases and intake. */
export const slaPlugin: FastifyPluginAsync<{ deps: AppDeps }> = async (app, { deps }) => {
  registerSlaAdminRoutes(app, deps);
};
