import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../../http/deps.ts';
import { registerCasePanel } from '../cases/panels.ts';
import { registerClassifierAdminRoutes } from './classifier/admin-routes.tsx';
import { routingHintPanel } from './hints/panel.tsx';
import { registerRuleRoutes } from './rules/routes.tsx';

/**
 * Routing workflows: the admin pages of the rules engine and the classifier, and the case panel
 * "Zuständigkeit prüfen" (registered before the cases plugin, which renders it).
 */
export const routingPlugin: FastifyPluginAsync<{ deps: AppDeps }> = async (app, { deps }) => {
  const db = deps.database.db;
  registerCasePanel(routingHintPanel({ db, queue: deps.queue, clock: deps.clock, channels: deps.channels, config: deps.config }));
  registerRuleRoutes(app, deps);
  registerClassifierAdminRoutes(app, deps);
};
