import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../../http/deps.ts';
import { letterRoutes } from './routes.ts';

/** Replies as letters after DIN 5008: print view and PDF, for staff. */
export const lettersPlugin: FastifyPluginAsync<{ deps: AppDeps }> = async (app, { deps }) => {
  letterRoutes(app, deps);
};
