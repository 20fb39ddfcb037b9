import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../infra/errors.ts';
import { ErrorPage } from './error-page.tsx';
import { pageContext, sendPage, wantsHtml } from './page.ts';

const DB_DOWN_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
]);
const DB_DOWN_MESSAGES =
  /Connection terminated|connect ECONNREFUSED|Client has encountered a connection error|not currently accepting connections|terminating connection|timeout exceeded when trying to connect/i;

/** Drizzle wraps driver errors (DrizzleQueryError.cause), so the whole cause chain is examined. */
function isDatabaseDown(err: unknown): boolean {
  for (
    let e = err as { code?: string; message?: string; cause?: unknown } | undefined, depth = 0;
    e && depth < 5;
    e = e.cause as typeof e, depth++
  ) {
    if ((e.code && DB_DOWN_CODES.has(e.code)) || DB_DOWN_MESSAGES.test(e.message ?? '')) return true;
  }
  return false;
}

/**
 * The multipart parser (busboy) throws plain Errors without a code for bodies that end early or
 * carry no boundary; they are the client's fault, so they are recognised by their message.
 */
const BROKEN_MULTIPART =
  /^(Unexpected end of multipart data|.* terminated early due to unexpected end of multipart data|Multipart: Boundary not found|Boundary required|Missing Content-Type-header\.|Unsupported Content-Type\.)$/;

const UNREADABLE =
  'Die Anfrage ist unvollständig oder beschädigt angekommen. Es wurde nichts gespeichert. Bitte senden Sie das Formular noch einmal.';

/** Decides status and a German message for anything thrown; never leaks SQL or stack traces. */
export function describeError(err: unknown): { status: number; message: string; fields?: Record<string, string> } {
  if (err instanceof AppError) return { status: err.status, message: err.message, fields: err.fields };
  const e = err as Partial<FastifyError> & { code?: string; message?: string };
  const code = e.code ?? '';
  if (isDatabaseDown(err)) {
    return {
      status: 503,
      message:
        'Die Datenbank ist gerade nicht erreichbar. Es wurde nichts gespeichert. Bitte versuchen Sie es in einer Minute noch einmal.',
    };
  }
  if (
    code === 'FST_ERR_CTP_BODY_TOO_LARGE' ||
    code === 'FST_REQ_FILE_TOO_LARGE' ||
    code === 'FST_FILES_LIMIT' ||
    code === 'FST_PARTS_LIMIT' ||
    code === 'FST_FIELDS_LIMIT' ||
    e.statusCode === 413
  ) {
    return {
      status: 413,
      message:
        'Die Anfrage ist zu groß (zu viele oder zu große Dateien oder Texte). Es wurde nichts gespeichert. Bitte verkleinern Sie die Fotos oder kürzen Sie den Text und senden Sie erneut.',
    };
  }
  if (code.startsWith('FST_CSRF')) {
    return {
      status: 403,
      message:
        'Das Formular ist abgelaufen oder wurde nicht von dieser Seite gesendet. Bitte laden Sie die Seite neu und senden Sie es noch einmal.',
    };
  }
  if (e.statusCode === 429) {
    return {
      status: 429,
      message: 'Zu viele Versuche in kurzer Zeit. Bitte warten Sie einen Moment und versuchen Sie es dann noch einmal.',
    };
  }
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || e.statusCode === 415) {
    return { status: 415, message: 'Dieses Datenformat wird hier nicht angenommen.' };
  }
  if (code === 'FST_ERR_CTP_INVALID_JSON_BODY' || code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') {
    return { status: 400, message: 'Die Anfrage konnte nicht gelesen werden.' };
  }
  if (
    code === 'FST_MP_PREMATURE_CLOSE' ||
    code === 'FST_PROTO_VIOLATION' ||
    code === 'FST_INVALID_JSON_FIELD_ERROR' ||
    code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH' ||
    (!code && BROKEN_MULTIPART.test(e.message ?? ''))
  ) {
    return { status: 400, message: UNREADABLE };
  }
  if (code === 'FST_ERR_BAD_URL') {
    return { status: 400, message: 'Diese Adresse ist fehlerhaft kodiert. Bitte prüfen Sie, ob der Link vollständig und unverändert ist.' };
  }
  if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
    return { status: e.statusCode, message: 'Die Anfrage konnte nicht verarbeitet werden.' };
  }
  return {
    status: 500,
    message: 'Ein unerwarteter Fehler ist aufgetreten. Wir wurden benachrichtigt. Bitte versuchen Sie es später noch einmal.',
  };
}

/** The one error handler; also given to Fastify as `frameworkErrors` (a URL the router cannot decode). */
export function handleError(err: unknown, request: FastifyRequest, reply: FastifyReply) {
  const { status, message, fields } = describeError(err);
  if (status >= 500) request.log.error({ err }, 'request failed');
  else request.log.info({ code: (err as FastifyError).code, status }, 'request rejected');
  return respond(request, reply, status, message, fields);
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) => respond(request, reply, 404, 'Diese Seite gibt es nicht (mehr).'));
}

function respond(request: FastifyRequest, reply: FastifyReply, status: number, message: string, fields?: Record<string, string>) {
  if (status === 429 || status === 503) reply.header('retry-after', '60');
  if (!wantsHtml(request)) {
    return reply.status(status).send({ error: message, ...(fields && Object.keys(fields).length ? { fields } : {}) });
  }
  let ctx: ReturnType<typeof pageContext>;
  try {
    ctx = pageContext(request, reply);
  } catch {
    ctx = { townName: request.server.townName, user: null };
  }
  return sendPage(reply, <ErrorPage ctx={ctx} status={status} message={message} />, status);
}
