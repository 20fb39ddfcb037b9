import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { describeError } from '../../http/errors.tsx';
import { AppError } from '../../infra/errors.ts';
import { type Format, formatOfUrl, sendDocument } from './format.ts';

/**
 * GeoReport v2's error shape: a list of `{code, description}` (`<errors><error>` in XML). The spec
 * knows 404 for what does not exist, 403 for a missing or wrong api_key and 400 for everything
 * else the client got wrong; a rate limit keeps its 429 and a server fault its 5xx, so clients
 * retry those instead of giving up.
 */
export function open311Status(status: number): number {
  if (status === 403 || status === 404 || status === 429 || status >= 500) return status;
  if (status === 401) return 403;
  return 400;
}

export function sendErrors(reply: FastifyReply, format: Format, status: number, descriptions: string[]) {
  const code = open311Status(status);
  if (code === 429 || code === 503) reply.header('retry-after', '60');
  return sendDocument(
    reply,
    format,
    'errors',
    descriptions.map((description) => ({ code, description })),
    code,
  );
}

/** The error handler of every /georeport/v2 route: the one German message, in the spec's shape. */
export function handleOpen311Error(err: unknown, request: FastifyRequest, reply: FastifyReply) {
  const { status, message, fields } = describeError(err);
  if (status >= 500) request.log.error({ err }, 'open311 request failed');
  else request.log.info({ code: (err as FastifyError).code, status }, 'open311 request rejected');
  // One entry per field that was wrong, so a client sees every problem at once.
  const fieldMessages = err instanceof AppError ? [...new Set(Object.values(fields ?? {}))] : [];
  return sendErrors(reply, formatOfUrl(request.url), status, fieldMessages.length > 0 ? fieldMessages : [message]);
}

export const open311NotFound = (request: FastifyRequest, reply: FastifyReply) =>
  sendErrors(reply, formatOfUrl(request.url), 404, [
    'Diese Schnittstelle gibt es nicht. Bitte prüfen Sie die Adresse (z. B. services.json).',
  ]);
