import { errorCodes, type FastifyInstance } from 'fastify';

const FORM_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data']);

/** `application/json` and the `…+json` family; the essence only, without parameters. */
const isJson = (type: string) => type === 'application/json' || type.endsWith('+json');

/**
 * Our pages send forms, so a body must be a form (urlencoded or multipart) unless the route
 * declares `config: { acceptsJson: true }` (an API a program talks to). Fastify would otherwise
 * parse JSON and text/plain on every route, and each form's checks would meet shapes they were
 * not written for. Refused before parsing with Fastify's own 415 error, which the one error handler
 * answers in German.
 */
export function registerBodyTypeCheck(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    const header = request.headers['content-type'];
    if (!header || request.method === 'GET' || request.method === 'HEAD') return;
    const type = header.split(';', 1)[0]?.trim().toLowerCase() ?? '';
    if (FORM_TYPES.has(type)) return;
    if (isJson(type) && request.routeOptions.config.acceptsJson) return;
    throw new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(type);
  });
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** This route is an API that takes JSON bodies; every other route takes forms only. */
    acceptsJson?: boolean;
  }
}
