import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../../http/deps.ts';
import { registerDeskRoutes } from './desk/routes.tsx';

/** The Amtsblatt: the staff desk under /redaktion (the public pages register themselves beside it). */
export const amtsblattPlugin: FastifyPluginAsync<{ deps: AppDeps }> = async (app, { deps }) => {
  registerDeskRoutes(app, deps);
};
