import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../../http/deps.ts';
import { registerRuleRoutes } from './rules/routes.tsx';

/** Routing workflows: the admin pages of the rules engine. */
export const routingPlugin: FastifyPluginAsync<{ deps: AppDeps }> = async (app, { deps }) => {
  registerRuleRoutes(app, deps);
};
