import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { adminPlugin } from './features/admin/plugin.ts';
import { calendarPlugin } from './features/amtsblatt/calendar/plugin.tsx';
import { importsPlugin } from './features/amtsblatt/imports/plugin.tsx';
import { amtsblattPlugin } from './features/amtsblatt/plugin.ts';
import { amtsblattPublicPlugin } from './features/amtsblatt/public/plugin.ts';
import { writingPlugin } from './features/amtsblatt/writing/plugin.tsx';
import { authPlugin } from './features/auth/plugin.ts';
import { sessionPlugin } from './features/auth/session.ts';
import { capturePlugin } from './features/capture/plugin.ts';
import { casesPlugin } from './features/cases/plugin.ts';
import { intakeBannerPlugin } from './features/channels/email/intake-banner.ts';
import { fediversePlugin } from './features/channels/fediverse/plugin.ts';
import { heldCountPlugin } from './features/channels/held/nav-count.ts';
import { channelsPlugin } from './features/channels/plugin.ts';
import { telegramPlugin } from './features/channels/telegram/webhook.ts';
import { duplicatesPlugin } from './features/duplicates/plugin.ts';
import { fixCheckPlugin } from './features/fix-check/plugin.ts';
import { intakePlugin } from './features/intake/plugin.ts';
import { lettersPlugin } from './features/letters/plugin.ts';
import { open311Plugin } from './features/open311/plugin.ts';
import { pagesPlugin } from './features/pages/plugin.tsx';
import { publicFollowPlugin } from './features/public-follow/plugin.ts';
import { publicReportsPlugin } from './features/public-reports/plugin.ts';
import { routingPlugin } from './features/routing/plugin.ts';
import { slaPlugin } from './features/sla/plugin.ts';
import { statisticsPlugin } from './features/statistics/plugin.tsx';
import { templatesPlugin } from './features/templates/plugin.ts';
import { transparencyPlugin } from './features/transparency/plugin.ts';
import { corePlugin } from './http/core.ts';
import type { AppDeps } from './http/deps.ts';
import { handleError } from './http/errors.tsx';

export type { AppDeps };

/** Builds the HTTP app from its infrastructure; registers each feature's plugin and nothing else. */
export async function buildApp(deps: AppDeps & { sessionSecret: string }): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.log.child({ module: 'http' }) as FastifyBaseLogger,
    bodyLimit: 1024 * 1024,
    trustProxy: deps.config.trustProxy,
    // Report numbers and tokens travel in URLs; a trailing slash should not make a 404.
    routerOptions: { ignoreTrailingSlash: true },
    // A malformed percent-encoding in the path is answered by the router before any hook runs.
    frameworkErrors: handleError,
  });
  await app.register(corePlugin, { deps, sessionSecret: deps.sessionSecret });
  await app.register(sessionPlugin, { db: deps.database.db, clock: deps.clock });
  // Before the pages, so their hooks run for every admin and staff page.
  await app.register(intakeBannerPlugin, { db: deps.database.db });
  await app.register(heldCountPlugin, { db: deps.database.db });
  await app.register(pagesPlugin, { deps });
  await app.register(intakePlugin, { deps });
  await app.register(transparencyPlugin, { deps });
  await app.register(statisticsPlugin, { deps });
  await app.register(publicReportsPlugin, { deps });
  await app.register(publicFollowPlugin, { deps });
  await app.register(amtsblattPublicPlugin, { deps });
  await app.register(authPlugin, { deps, sessionSecret: deps.sessionSecret });
  // Features that add a panel to the case page register it before the cases plugin, which takes
  // the panels registered so far (merge and link by hand, "Zuständigkeit prüfen").
  await app.register(duplicatesPlugin, { deps });
  await app.register(routingPlugin, { deps });
  await app.register(casesPlugin, { deps });
  await app.register(capturePlugin, { deps });
  await app.register(lettersPlugin, { deps });
  await app.register(channelsPlugin, { deps });
  await app.register(fediversePlugin, { deps });
  await app.register(telegramPlugin, { deps });
  await app.register(fixCheckPlugin, { deps });
  await app.register(adminPlugin, { deps });
  await app.register(templatesPlugin, { deps });
  await app.register(slaPlugin, { deps });
  await app.register(amtsblattPlugin, { deps });
  await app.register(open311Plugin, { deps, sessionSecret: deps.sessionSecret });
  await app.register(writingPlugin, { deps });
  await app.register(calendarPlugin, { deps });
  await app.register(importsPlugin, { deps });
  return app;
}
