/**
 * Typed errors with codes. Services throw these; the one error handler in app.ts maps them to an
 * HTTP status and a friendly German page or JSON body. Messages are written for citizens and staff.
 */
export type ErrorCode = 'NotFound' | 'Forbidden' | 'Unauthorized' | 'Invalid' | 'Conflict' | 'Gone' | 'TooLarge' | 'Unavailable';

const statusByCode: Record<ErrorCode, number> = {
  NotFound: 404,
  Forbidden: 403,
  Unauthorized: 401,
  Invalid: 400,
  Conflict: 409,
  Gone: 410,
  TooLarge: 413,
  Unavailable: 503,
};

export class AppError extends Error {
  constructor(
    public readonly code: ErrorCode,
    message: string,
    /** Field → message, for forms that come back with a message beside each field. */
    public readonly fields: Record<string, string> = {},
  ) {
    super(message);
  }
  get status(): number {
    return statusByCode[this.code];
  }
}

export const notFound = (message = 'Diese Seite gibt es nicht (mehr).') => new AppError('NotFound', message);
export const forbidden = (message = 'Dafür fehlen Ihnen die Rechte.') => new AppError('Forbidden', message);
export const invalid = (message: string, fields: Record<string, string> = {}) => new AppError('Invalid', message, fields);
/** Something that was public and was taken back on purpose (a withdrawn post): 410, not 404. */
export const gone = (message: string) => new AppError('Gone', message);
export const conflict = (message: string) => new AppError('Conflict', message);
export const unavailable = (message = 'Der Dienst ist gerade nicht erreichbar. Bitte versuchen Sie es gleich noch einmal.') =>
  new AppError('Unavailable', message);

/**
 * Validation issues (Zod's) → field → its first German message, for the error summary and the
 * field itself. `anchors` moves a field's message to another element (a map pin's lat/lon to the
 * map block); an issue without a path goes to `fallback`.
 */
export function fieldErrors(
  error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] },
  opts: { anchors?: Record<string, string>; fallback?: string } = {},
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const raw = String(issue.path[0] ?? opts.fallback ?? 'form');
    out[opts.anchors?.[raw] ?? raw] ??= issue.message;
  }
  return out;
}
