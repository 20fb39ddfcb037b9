import fastifyHelmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import Fastify, { type FastifyInstance } from 'fastify';

type Header = readonly [name: string, value: number | string | string[]];

/**
 * Security headers (CSP, HSTS, X-Frame-Options …) as helmet makes them, set on every answer.
 *
 * @fastify/helmet builds the whole helmet middleware (parsing the CSP directives included) anew on
 * every request; with options that do not depend on the request (no CSP nonces, no functions) its
 * headers are the same each time. So helmet is asked once, at start, on a throwaway instance, and
 * the headers it set are copied onto each response at the same point (onRequest, on the raw
 * response, so a route can still override one, as the thanks page does with Referrer-Policy).
 */
export async function registerSecurityHeaders(app: FastifyInstance, options: FastifyHelmetOptions): Promise<void> {
  const headers = await headersOfHelmet(options);
  app.addHook('onRequest', (_request, reply, done) => {
    const raw = reply.raw;
    raw.removeHeader('X-Powered-By');
    for (const [name, value] of headers) raw.setHeader(name, value);
    done();
  });
}

/** The headers @fastify/helmet sets with `options`, names in its spelling, in its order. */
export async function headersOfHelmet(options: FastifyHelmetOptions): Promise<Header[]> {
  const probe = Fastify();
  let headers: Header[] = [];
  try {
    await probe.register(fastifyHelmet, options);
    probe.get('/', async (_request, reply) => {
      // Node's OutgoingMessage has getRawHeaderNames (the names as set, which go on the wire);
      // @types/node declares it on ClientRequest only.
      const raw = reply.raw as typeof reply.raw & { getRawHeaderNames(): string[] };
      headers = raw.getRawHeaderNames().flatMap((name) => {
        const value = raw.getHeader(name);
        return value === undefined ? [] : [[name, value] as const];
      });
      return '';
    });
    await probe.inject({ url: '/' });
  } finally {
    await probe.close();
  }
  if (headers.length === 0) throw new Error('helmet set no security headers');
  return headers;
}
