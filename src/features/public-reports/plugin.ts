import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../../http/deps.ts';
import { caseRoutes, feedRoutes, listRoutes, mapRoutes } from './routes.tsx';

/**
 * The public reports: /meldungen (filters, map, list), its Atom feeds and one permanent page per published case.
 * Reads only the public projection (transparency/projection/read.ts), never `cases`.
 */
export const publicReportsPlugin: FastifyPluginAsync<{ deps: AppDeps }> = async (app, { deps }) => {
  const routeDeps = {
    db: deps.database.db,
    storage: deps.storage,
    map: deps.config.map,
    publicUrl: deps.config.publicUrl,
    mapRequestsPerMinute: deps.config.mapRequestsPerIpPerMinute,
  };
  listRoutes(app, routeDeps);
  mapRoutes(app, routeDeps);
  feedRoutes(app, routeDeps);
  caseRoutes(app, routeDeps);
};
