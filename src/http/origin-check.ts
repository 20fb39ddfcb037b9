import type { FastifyInstance, FastifyRequest } from 'fastify';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Fetch metadata values of a request that did not start on our own pages. */
const FROM_ELSEWHERE = new Set(['cross-site', 'same-site']);

/**
 * A second defence against cross-site requests, beside the CSRF token: a state-changing request
 * that says it comes from another site is refused with the CSRF answer (403).
 *
 * 1. `Sec-Fetch-Site` (sent by current browsers, not settable by a page) of `cross-site` or
 *    `same-site` is refused. `same-site` too: a sibling subdomain is another site's code, and our
 *    SameSite=Lax cookies travel with its requests.
 * 2. Otherwise the Origin, or without one the Referer, must be ours: PUBLIC_URL's origin or the one
 *    the request came in on (scheme + Host), so a developer who opens http://127.0.0.1:3000 while
 *    PUBLIC_URL says localhost is not locked out. Trusting the Host is safe here: a cross-site page
 *    cannot make the browser send our cookies with a Host of its choosing (DNS rebinding gives the
 *    attacker's host, and then no cookies of ours).
 *
 * No header at all, or `Origin: null`, is let through to the CSRF token check: every page of ours
 * sends `Referrer-Policy: no-referrer` (helmet's default), for which browsers send `Origin: null`
 * with a form post, and some privacy tools strip both headers. Step 1 is what covers those browsers.
 */
export function registerOriginCheck(app: FastifyInstance, publicUrl: string): void {
  const publicOrigin = new URL(publicUrl).origin;
  app.addHook('onRequest', async (request) => {
    if (!STATE_CHANGING.has(request.method)) return;
    // A keyed API that reads no cookie (Open311): a foreign page gains nothing by posting to it.
    if (request.routeOptions.config.cookieless) return;
    const site = request.headers['sec-fetch-site'];
    if (typeof site === 'string' && FROM_ELSEWHERE.has(site)) throw foreignOriginError();
    const claimed = claimedOrigin(request);
    if (claimed === null || claimed === publicOrigin || claimed === `${request.protocol}://${request.host}`) return;
    throw foreignOriginError();
  });
}

/** The origin the browser names, from Origin or else Referer; null when it names none. */
function claimedOrigin(request: FastifyRequest): string | null {
  const origin = request.headers.origin;
  if (origin && origin !== 'null') return origin;
  const referer = request.headers.referer;
  if (!referer) return null;
  try {
    return new URL(referer).origin;
  } catch {
    // An unreadable Referer names no site we know: treat it like a foreign one.
    return 'invalid';
  }
}

/** Coded like the CSRF plugin's errors (FST_CSRF_…), so the one error handler gives the same 403 page. */
function foreignOriginError(): Error & { code: string; statusCode: number } {
  return Object.assign(new Error('request from a foreign origin'), { code: 'FST_CSRF_FOREIGN_ORIGIN', statusCode: 403 });
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A keyed API without cookies or session: the cross-site check of state-changing requests does not apply. */
    cookieless?: boolean;
  }
}
