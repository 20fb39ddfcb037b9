import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../../http/deps.ts';
import { registerTemplatePicker } from './reply-aid.tsx';
import { registerTemplateRoutes } from './routes.tsx';

/** Textbausteine and team settings (reply signature, round-robin). */
export const templatesPlugin: FastifyPluginAsync<{ deps: AppDeps }> = async (app, { deps }) => {
  registerTemplateRoutes(app, deps);
  const unregister = registerTemplatePicker(deps.database.db);
  app.addHook('onClose', async () => unregister());
};
