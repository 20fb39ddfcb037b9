import { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../../http/deps.ts';
import type { Db } from '../../../infra/db.ts';
import { fediverseNotes } from '../../../infra/schema/index.ts';
import { fediverseOf } from './federation.ts';
import { mediaUrlOf } from './transport.ts';

const MEDIA_TYPES: Record<string, string> = { jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };

/** Only images of a Note the town published are served; the rest of the storage stays private. */
async function isPublishedMedia(db: Db, url: string): Promise<boolean> {
  const [row] = await db
    .select({ id: fediverseNotes.id })
    .from(fediverseNotes)
    .where(sql`${fediverseNotes.deletedAt} is null and ${fediverseNotes.attachments} @> ${JSON.stringify([{ url }])}::jsonb`)
    .limit(1);
  return row !== undefined;
}

/** An activity is a few kilobytes; Mastodon refuses bodies over 1 MB, we take a quarter of that. */
export const MAX_ACTIVITY_BYTES = 256 * 1024;

const FEDERATION_URLS = ['/.well-known/webfinger', '/.well-known/nodeinfo', '/nodeinfo/*', '/ap/*'];

/**
 * Mounts the town's ActivityPub actor: the federation's own paths go to Fedify as Web requests
 * (with the raw body, which the HTTP signature's digest covers); what Fedify does not know goes
 * on to the app's 404 page, and a browser asking for the actor is sent to the home page.
 */
export async function fediversePlugin(app: FastifyInstance, { deps }: { deps: AppDeps }): Promise<void> {
  const { federation } = fediverseOf(deps);
  const origin = new URL(deps.config.publicUrl).origin;
  // Encapsulated: only these routes read bodies as raw bytes.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_ACTIVITY_BYTES }, (_request, body, done) => done(null, body));

  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    let notFound = false;
    let notAcceptable = false;
    const response = await federation.fetch(toWebRequest(request, origin), {
      contextData: undefined,
      onNotFound: () => {
        notFound = true;
        return new Response(null, { status: 404 });
      },
      onNotAcceptable: () => {
        notAcceptable = true;
        return new Response(null, { status: 406 });
      },
    });
    if (notFound) return reply.callNotFound();
    if (notAcceptable) return reply.redirect(`${deps.config.publicUrl}/`, 303);
    reply.status(response.status);
    response.headers.forEach((value, name) => {
      reply.header(name, value);
    });
    return reply.send(response.body ? Readable.fromWeb(response.body as import('node:stream/web').ReadableStream) : null);
  };
  app.get('/ap/media/*', async (request, reply) => {
    const key = (request.params as { '*': string })['*'];
    if (!(await isPublishedMedia(deps.database.db, mediaUrlOf(deps.config.publicUrl, key)))) return reply.callNotFound();
    const data = await deps.storage.get(key);
    return reply
      .type(MEDIA_TYPES[key.split('.').pop() ?? ''] ?? 'application/octet-stream')
      .header('cache-control', 'public, max-age=86400')
      .send(data);
  });
  for (const url of FEDERATION_URLS) {
    app.route({ method: ['GET', 'HEAD', 'POST'], url, config: { cookieless: true, acceptsJson: true }, handler });
  }
}

/** The Fastify request as the Web `Request` Fedify takes, addressed at PUBLIC_URL's origin. */
function toWebRequest(request: FastifyRequest, origin: string): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  const body = request.body instanceof Buffer && request.method !== 'GET' && request.method !== 'HEAD' ? request.body : null;
  return new Request(new URL(request.url, origin), { method: request.method, headers, body });
}
