import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * The root logger; modules take a child with their category so log lines say where they come from.
 * Logs hold no request bodies, SQL parameters, tokens or personal data: errors and requests pass
 * the serialisers below, and `destination` lets tests read what would have been written.
 */
export function createLogger(level: string, pretty = false, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: undefined,
    serializers: { err: serialiseError, error: serialiseError, req: serialiseRequest },
    redact: {
      paths: [
        'req.headers.cookie',
        'req.headers.authorization',
        'password',
        'token',
        'body',
        'secrets',
        'imap',
        'smtp',
        '*.password',
        '*.passwordHash',
        '*.token',
        '*.body',
        '*.secrets',
        '*.imap',
        '*.smtp',
      ],
      remove: true,
    },
    ...(pretty && !destination
      ? { transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss', ignore: 'pid,hostname' } } }
      : {}),
  };
  return destination ? pino(options, destination) : pino(options);
}

/** Path segments that are secrets: the tracking, follower, thanks and fix-check links carry their token there. */
const TOKEN_PATH =
  /^(\/(?:verfolgen|folgen|behoben|melden\/danke|amtsblatt\/newsletter\/(?:bestaetigen|abmelden)|benachrichtigungen\/(?:bestaetigen|abmelden))\/)[^/?#]+/;

/**
 * A URL fit for the log: tokens in the path become ":token", and every query value is dropped
 * (searches hold what staff typed, which may be a citizen's name; `weiter` may hold anything).
 */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  const path = (q === -1 ? url : url.slice(0, q)).replace(TOKEN_PATH, '$1:token');
  if (q === -1) return path;
  const keys = url
    .slice(q + 1)
    .split('&')
    .filter(Boolean)
    .map((pair) => `${pair.split('=')[0]?.slice(0, 40)}=…`);
  return `${path}?${keys.join('&')}`;
}

interface RequestLike {
  method?: string;
  url?: string;
  id?: string;
}

/** Method and redacted URL; no address, no headers (Fastify's default would log the raw URL). */
function serialiseRequest(req: RequestLike): Record<string, unknown> {
  return { method: req.method, url: typeof req.url === 'string' ? redactUrl(req.url) : undefined };
}

/** "imap://user:pass@host": a mail server URL with its password, as an operator may type it. */
const URL_CREDENTIALS = /(\b[a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi;
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/giu;

/**
 * Drizzle puts the statement's parameters into its message ("Failed query: … params: a,b,c");
 * PostgreSQL quotes the offending value at the end of some messages. Both are cut, and e-mail
 * addresses anywhere are masked, as are user and password in URLs (imap://user:pass@…).
 */
export function scrubErrorText(text: string): string {
  return text
    .replace(URL_CREDENTIALS, '$1[Zugangsdaten]@')
    .replace(/\nparams: [\s\S]*$/, '\nparams: [entfernt]')
    .replace(/(: )"[^"\n]*"$/gm, '$1"…"')
    .replace(EMAIL, '[E-Mail]');
}

/**
 * The stack repeats the message (values included), so the message part is swapped for its
 * scrubbed form; when it cannot be found, only the frames are kept.
 */
function scrubStack(stack: string, message: string, scrubbed: string): string {
  const at = message ? stack.indexOf(message) : -1;
  if (at !== -1) return scrubErrorText(stack.slice(0, at)) + scrubbed + scrubErrorText(stack.slice(at + message.length));
  return stack
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .join('\n')
    .replace(EMAIL, '[E-Mail]');
}

/** Fields of driver errors that name things (SQL state, constraint), never values. */
const SAFE_FIELDS = ['code', 'severity', 'constraint', 'table', 'column', 'routine', 'statusCode'] as const;

/**
 * Error class, code, SQL state and a stack without the statement's parameters; the cause chain is
 * followed a few levels. `query`, `params`, `parameters`, `detail` and everything else are left out.
 */
export function serialiseError(err: unknown, depth = 0): unknown {
  if (!(err instanceof Error) && (typeof err !== 'object' || err === null)) return typeof err === 'string' ? scrubErrorText(err) : err;
  const e = err as Error & Record<string, unknown>;
  const message = String(e.message ?? '');
  const out: Record<string, unknown> = { type: e.constructor?.name ?? 'Error', message: scrubErrorText(message) };
  for (const field of SAFE_FIELDS) if (typeof e[field] === 'string' || typeof e[field] === 'number') out[field] = e[field];
  if (typeof e.stack === 'string') out.stack = scrubStack(e.stack, message, out.message as string);
  if (e.cause !== undefined && depth < 4) out.cause = serialiseError(e.cause, depth + 1);
  return out;
}
