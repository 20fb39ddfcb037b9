import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../../http/deps.ts';
import { registerCasePanel } from '../cases/panels.ts';
import { duplicatesDeps } from './deps.ts';
import { manualLinkPanel, manualMergeRoutes } from './manual-merge.tsx';
import { duplicatesRoutes } from './routes.tsx';

/**
 * Duplicate reports: following an existing report, the follower page, and merging on the staff
 * side (suggested, or by hand with the "Zusammenführen und verknüpfen" panel). Registered before
 * the cases plugin, which renders the panel and its forms.
 */
export const duplicatesPlugin: FastifyPluginAsync<{ deps: AppDeps }> = async (app, { deps }) => {
  registerCasePanel(manualLinkPanel(duplicatesDeps(deps)));
  duplicatesRoutes(app, deps);
  manualMergeRoutes(app, deps);
};
