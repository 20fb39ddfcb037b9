import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../../http/deps.ts';
import { fixCheckRoutes } from './routes.tsx';

/** "Ist es wirklich behoben?": the reporter's answer page; the question itself is sent by the job (jobs.ts). */
export const fixCheckPlugin: FastifyPluginAsync<{ deps: AppDeps }> = async (app, { deps }) => {
  fixCheckRoutes(app, deps);
};
