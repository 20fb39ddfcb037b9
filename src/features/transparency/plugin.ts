import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../../http/deps.ts';
import { registerCasePanel } from '../cases/panels.ts';
import { registerCategoryRoutes } from './publication/category-routes.tsx';
import { publicationCasePanel } from './publication/panel.tsx';
import { trackingRoutes } from './routes.tsx';

/**
 * What citizens see of their case (the private tracking page and its photos) and what the public
 * sees: the publication panel on the case page and the categories' publication settings.
 * Registered before the cases plugin, which renders the panel and its forms.
 */
export const transparencyPlugin: FastifyPluginAsync<{ deps: AppDeps }> = async (app, { deps }) => {
  trackingRoutes(app, deps);
  registerCasePanel(publicationCasePanel({ db: deps.database.db, clock: deps.clock }));
  registerCategoryRoutes(app, deps);
};
