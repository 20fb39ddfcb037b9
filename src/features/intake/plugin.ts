import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../../http/deps.ts';
import { intakeRoutes } from './routes.tsx';

/** The public report form: GET/POST /melden and the thank-you page. */
export const intakePlugin: FastifyPluginAsync<{ deps: AppDeps }> = async (app, { deps }) => {
  intakeRoutes(app, deps);
};
