import type { FastifyInstance } from 'fastify';

const FORWARDED_HEADERS = ['x-forwarded-for', 'forwarded', 'x-real-ip'] as const;

/** What the admin area shows when requests come through a proxy that the app does not trust. */
export interface ProxyNotice {
  /** This process has seen forwarding headers while TRUST_PROXY is off. */
  forwardedWithoutTrust: boolean;
}

/**
 * Behind a reverse proxy without TRUST_PROXY every request seems to come from the proxy, so all
 * citizens share one address and one report limit (and sign-in throttle). The first request that
 * carries forwarding headers while TRUST_PROXY is off logs one warning (header names only, never
 * an address) and lights the banner on the admin home page. With TRUST_PROXY on nothing is done.
 *
 * HOST=0.0.0.0 alone warns nothing: a server reachable directly (no proxy) is a correct set-up,
 * and only the headers tell the two apart.
 */
export function registerForwardedWithoutTrustWarning(app: FastifyInstance, trustProxy: boolean): void {
  const notice: ProxyNotice = { forwardedWithoutTrust: false };
  // An object, not a boolean: encapsulated plugins see the root's decoration through their
  // prototype, and only a shared object lets the hook's update reach them.
  app.decorate('proxyNotice', notice);
  if (trustProxy) return;
  app.addHook('onRequest', async (request) => {
    if (notice.forwardedWithoutTrust) return;
    const present = FORWARDED_HEADERS.filter((h) => request.headers[h] !== undefined);
    if (present.length === 0) return;
    notice.forwardedWithoutTrust = true;
    // The app's logger, not the request's: this is about the set-up, not about one request.
    app.log.warn(
      { headers: present },
      'requests arrive through a proxy but TRUST_PROXY is off: every client shares the proxy address and its limits; set TRUST_PROXY=true if the proxy is yours',
    );
  });
}

declare module 'fastify' {
  interface FastifyInstance {
    proxyNotice: ProxyNotice;
  }
}
