import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Sends a generated document with validators (RFC 9110 §8.8): a strong ETag over the exact bytes
 * and Last-Modified; answers 304 without a body when the client already has them. The ETag is
 * the authority: If-Modified-Since is only read when no If-None-Match was sent (§13.2.2), since
 * a case leaving a document (withdrawn) changes the bytes but not the newest date in it.
 */
export function sendConditional(
  request: FastifyRequest,
  reply: FastifyReply,
  doc: { body: string; contentType: string; lastModified: Date; cacheControl: string },
) {
  const etag = `"${createHash('sha256').update(doc.body).digest('base64url').slice(0, 32)}"`;
  // HTTP dates have whole seconds; compare at that precision.
  const modified = Math.floor(doc.lastModified.getTime() / 1000) * 1000;
  reply.header('etag', etag).header('last-modified', new Date(modified).toUTCString()).header('cache-control', doc.cacheControl);
  if (notModified(request, etag, modified)) return reply.status(304).send();
  return reply.type(doc.contentType).send(doc.body);
}

function notModified(request: FastifyRequest, etag: string, modified: number): boolean {
  const ifNoneMatch = request.headers['if-none-match'];
  if (typeof ifNoneMatch === 'string') {
    // Weak comparison (§13.1.2): a proxy may have marked our tag weak.
    return ifNoneMatch.split(',').some((t) => {
      const tag = t.trim();
      return tag === '*' || tag.replace(/^W\//, '') === etag;
    });
  }
  const since = request.headers['if-modified-since'];
  if (typeof since !== 'string') return false;
  const at = Date.parse(since);
  return Number.isFinite(at) && modified <= at;
}
