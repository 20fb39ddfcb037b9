import { join } from 'node:path';
import { parse as parseQuery } from 'node:querystring';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyMultipart from '@fastify/multipart';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { projectRoot as root } from '../infra/project-root.ts';
import { registerBodyTypeCheck } from './body-types.ts';
import type { AppDeps } from './deps.ts';
import { registerErrorHandling } from './errors.tsx';
import { formNoncePlugin } from './form-nonce.ts';
import { registerInputEdge } from './input-edge.ts';
import { registerOriginCheck } from './origin-check.ts';
import { registerForwardedWithoutTrustWarning } from './proxy-warning.ts';
import { registerSecurityHeaders } from './security-headers.ts';

/**
 * Cross-cutting HTTP set-up shared by every feature: security headers, cookies and CSRF,
 * body parsers with limits, rate limiting, static assets and the one error handler.
 */
export const corePlugin = fp<{ deps: AppDeps; sessionSecret: string }>(async (app: FastifyInstance, { deps, sessionSecret }) => {
  app.decorate('townName', deps.config.townName);
  registerErrorHandling(app);

  const secure = deps.config.publicUrl.startsWith('https://');
  await registerSecurityHeaders(app, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:', tileOrigin(deps.config.map.tileUrl)],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: secure ? [] : null,
      },
    },
    hsts: secure,
  });
  await app.register(fastifyCookie, { secret: sessionSecret });
  const csrfCookie = { key: '_csrf_secret', opts: { signed: true, httpOnly: true, sameSite: 'lax', path: '/', secure } as const };
  await app.register(fastifyCsrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: csrfCookie.key,
    cookieOpts: csrfCookie.opts,
    getToken: (req) => {
      const body = req.body as Record<string, unknown> | undefined;
      const fromBody = body && typeof body._csrf === 'string' ? body._csrf : undefined;
      return fromBody ?? (req.headers['x-csrf-token'] as string | undefined);
    },
  });
  await app.register(formNoncePlugin, { sessionSecret, cookieKey: csrfCookie.key, cookieOpts: csrfCookie.opts });
  registerOriginCheck(app, deps.config.publicUrl);
  registerBodyTypeCheck(app);
  registerForwardedWithoutTrustWarning(app, deps.config.trustProxy);
  // urlencoded bodies parsed with node's querystring; duplicate keys become arrays, which the Zod
  // schemas of each form reject with a clear message instead of silently taking one value.
  await app.register(fastifyFormbody, { parser: (s) => parseQuery(s) });
  await app.register(fastifyMultipart, {
    attachFieldsToBody: 'keyValues',
    // One file more than the form takes (3 photos), so the form can say "höchstens 3 Fotos" at the
    // field instead of the parser's generic 413; the per-file size limit stays.
    limits: { fileSize: deps.config.maxPhotoBytes, files: 4, fields: 30, fieldSize: 64 * 1024, parts: 40 },
    throwFileSizeLimit: true,
  });
  registerInputEdge(app);
  await app.register(fastifyRateLimit, { global: false });

  await app.register(fastifyStatic, {
    root: join(root, 'node_modules', '@kern-ux', 'native', 'dist'),
    prefix: '/assets/kern/',
    decorateReply: false,
    maxAge: '7d',
  });
  await app.register(fastifyStatic, {
    root: join(root, 'node_modules', 'leaflet', 'dist'),
    prefix: '/assets/leaflet/',
    decorateReply: false,
    maxAge: '7d',
  });
  await app.register(fastifyStatic, {
    root: join(root, 'node_modules', 'leaflet.markercluster', 'dist'),
    prefix: '/assets/markercluster/',
    decorateReply: false,
    maxAge: '7d',
  });
  await app.register(fastifyStatic, {
    root: join(root, 'node_modules', 'htmx.org', 'dist'),
    prefix: '/assets/htmx/',
    decorateReply: false,
    maxAge: '7d',
  });
  await app.register(fastifyStatic, { root: join(root, 'dist', 'public'), prefix: '/assets/js/', decorateReply: false });
  await app.register(fastifyStatic, { root: join(root, 'src', 'ui', 'static'), prefix: '/assets/', decorateReply: false });
});

/** The tile server's origin for the CSP; `{s}.` subdomains become a `*.` wildcard. */
function tileOrigin(tileUrl: string): string {
  const match = /^(https?:\/\/[^/]+)/.exec(tileUrl.replace('{s}.', '*.'));
  return match?.[1] ?? "'self'";
}

declare module 'fastify' {
  interface FastifyInstance {
    townName: string;
  }
}
