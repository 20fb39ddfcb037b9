import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../../http/deps.ts';
import { captureRoutes } from './routes.tsx';

/** Staff capture of calls, visits, letters and faxes: GET/POST /erfassen. */
export const capturePlugin: FastifyPluginAsync<{ deps: AppDeps }> = async (app, { deps }) => {
  captureRoutes(app, deps);
};
