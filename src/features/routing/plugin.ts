import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../../http/deps.ts';
import { registerClassifierAdminRoutes } from './classifier/admin-routes.tsx';
import { registerRuleRoutes } from './rules/routes.tsx';

/** Routing workflows: the admin pages of the rules engine and the classifier. */
export const routingPlugin: FastifyPluginAsync<{ deps: AppDeps }> = async (app, { deps }) => {
  registerRuleRoutes(app, deps);
  registerClassifierAdminRoutes(app, deps);
};
