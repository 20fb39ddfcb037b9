import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../../http/deps.ts';
import { registerTemplateRoutes } from './routes.tsx';

/** Textbausteine and team settings (reply signature, round-robin). */
export const templatesPlugin: FastifyPluginAsync<{ deps: AppDeps }> = async (app, { deps }) => {
  registerTemplateRoutes(app, deps);
};
