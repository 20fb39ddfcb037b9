import { z } from 'zod';

/**
 * A small client of the Mastodon REST API, only the calls the town's account needs. Response
 * shapes follow docs.joinmastodon.org (entities Account, Status, MediaAttachment, Notification,
 * GroupedNotificationsResults, NotificationRequest, Instance); only the fields we read are
 * checked, the rest passes.
 */

const REQUEST_TIMEOUT_MS = 20_000;

export const accountSchema = z.object({
  id: z.string(),
  username: z.string(),
  /** "user" on the own server, "user@other.example" elsewhere. */
  acct: z.string(),
  display_name: z.string().default(''),
  url: z.string().nullable().default(null),
});
export type MastodonAccount = z.infer<typeof accountSchema>;

export const mediaSchema = z.object({
  id: z.string(),
  type: z.string(),
  url: z.string().nullable(),
  description: z.string().nullable().default(null),
});

export const statusVisibilities = ['public', 'unlisted', 'private', 'direct'] as const;
export type StatusVisibility = (typeof statusVisibilities)[number];

export const statusSchema = z.object({
  id: z.string(),
  uri: z.string(),
  url: z.string().nullable().default(null),
  created_at: z.string(),
  edited_at: z.string().nullable().default(null),
  account: accountSchema,
  content: z.string(),
  spoiler_text: z.string().default(''),
  visibility: z.enum(statusVisibilities),
  in_reply_to_id: z.string().nullable().default(null),
  media_attachments: z.array(mediaSchema).default([]),
  mentions: z.array(z.object({ id: z.string(), acct: z.string() })).default([]),
});
export type MastodonStatus = z.infer<typeof statusSchema>;

const notificationType = z.string();

/** v1 Notification. */
export const notificationSchema = z.object({
  id: z.string(),
  type: notificationType,
  created_at: z.string(),
  account: accountSchema,
  status: statusSchema.nullable().default(null),
});
export type MastodonNotification = z.infer<typeof notificationSchema>;

/** v2 GroupedNotificationsResults: groups refer to accounts and statuses by id. */
export const groupedSchema = z.object({
  accounts: z.array(accountSchema),
  statuses: z.array(statusSchema),
  notification_groups: z.array(
    z.object({
      group_key: z.string(),
      notifications_count: z.number().int(),
      type: notificationType,
      most_recent_notification_id: z.string(),
      page_min_id: z.string().optional(),
      page_max_id: z.string().optional(),
      latest_page_notification_at: z.string().optional(),
      sample_account_ids: z.array(z.string()),
      status_id: z.string().nullable().optional(),
    }),
  ),
});

export const notificationRequestSchema = z.object({ id: z.string(), account: accountSchema, notifications_count: z.coerce.string() });

export const instanceSchema = z.object({
  configuration: z
    .object({
      statuses: z.object({ max_characters: z.number().int().positive(), max_media_attachments: z.number().int().nonnegative() }).partial(),
      media_attachments: z.object({ supported_mime_types: z.array(z.string()) }).partial(),
    })
    .partial()
    .default({}),
});

/** What went wrong, so callers can decide: wait (rate limit), tell an admin (token), retry later (outage). */
export class MastodonError extends Error {
  constructor(
    readonly kind: 'unauthorized' | 'rate_limited' | 'unavailable' | 'malformed' | 'rejected' | 'not_found',
    message: string,
    /** For `rate_limited`: when the server lets us in again (X-RateLimit-Reset or Retry-After). */
    readonly retryAt: Date | null = null,
  ) {
    super(message);
    this.name = 'MastodonError';
  }
}

export interface MastodonClientOptions {
  instanceUrl: string;
  accessToken: string;
  now?: () => Date;
  fetch?: typeof fetch;
}

export interface MastodonResponse<T> {
  body: T;
  /** The `Link` header's prev/next addresses (pagination by min_id/max_id). */
  links: { prev?: string; next?: string };
}

export type MastodonClient = ReturnType<typeof mastodonClient>;

export function mastodonClient(opts: MastodonClientOptions) {
  const base = opts.instanceUrl.replace(/\/+$/, '');
  const now = opts.now ?? (() => new Date());
  const doFetch = opts.fetch ?? fetch;

  async function call<S extends z.ZodType>(
    method: string,
    path: string,
    schema: S,
    init: { query?: URLSearchParams; json?: unknown; form?: FormData; idempotencyKey?: string } = {},
  ): Promise<MastodonResponse<z.infer<S>>> {
    const url = `${base}${path}${init.query && [...init.query].length > 0 ? `?${init.query}` : ''}`;
    const headers: Record<string, string> = { accept: 'application/json' };
    // The instance's limits are public: asked without the token where there is none at hand.
    if (opts.accessToken) headers.authorization = `Bearer ${opts.accessToken}`;
    if (init.json !== undefined) headers['content-type'] = 'application/json';
    if (init.idempotencyKey) headers['idempotency-key'] = init.idempotencyKey;
    let res: Response;
    try {
      res = await doFetch(url, {
        method,
        headers,
        body: init.form ?? (init.json === undefined ? null : JSON.stringify(init.json)),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        redirect: 'error',
      });
    } catch {
      throw new MastodonError('unavailable', 'Der Mastodon-Server ist nicht erreichbar.');
    }
    if (res.status === 401 || res.status === 403) {
      await res.body?.cancel();
      throw new MastodonError('unauthorized', 'Der Zugangsschlüssel wurde vom Mastodon-Server abgelehnt (abgelaufen oder zurückgezogen).');
    }
    if (res.status === 429) {
      await res.body?.cancel();
      throw new MastodonError('rate_limited', 'Der Mastodon-Server bremst: zu viele Anfragen.', retryAtOf(res.headers, now()));
    }
    if (res.status === 404) {
      await res.body?.cancel();
      throw new MastodonError('not_found', 'Den Beitrag gibt es auf dem Mastodon-Server nicht (mehr).');
    }
    if (res.status >= 500) {
      await res.body?.cancel();
      throw new MastodonError('unavailable', `Der Mastodon-Server antwortet mit einem Fehler (${res.status}).`);
    }
    const text = await res.text();
    if (res.status >= 400) {
      throw new MastodonError('rejected', `Der Mastodon-Server hat die Anfrage abgelehnt (${res.status}): ${errorText(text)}`);
    }
    let parsed: z.ZodSafeParseResult<z.infer<S>>;
    try {
      parsed = schema.safeParse(JSON.parse(text));
    } catch {
      throw new MastodonError('malformed', 'Der Mastodon-Server hat eine unlesbare Antwort geschickt.');
    }
    if (!parsed.success) throw new MastodonError('malformed', 'Der Mastodon-Server hat eine Antwort in unerwarteter Form geschickt.');
    return { body: parsed.data, links: parseLinks(res.headers.get('link')) };
  }

  return {
    instanceUrl: base,
    verifyCredentials: () => call('GET', '/api/v1/accounts/verify_credentials', accountSchema).then((r) => r.body),
    instance: () => call('GET', '/api/v2/instance', instanceSchema).then((r) => r.body),
    /** Grouped notifications (v2, Mastodon 4.3+), the page right after `minId`. */
    groupedNotifications: (q: { minId: string | null; types: readonly string[]; limit: number }) =>
      call('GET', '/api/v2/notifications', groupedSchema, { query: notificationQuery(q) }),
    /** v1 notifications for servers without v2. */
    notifications: (q: { minId: string | null; types: readonly string[]; limit: number }) =>
      call('GET', '/api/v1/notifications', z.array(notificationSchema), { query: notificationQuery(q) }),
    notificationRequests: () => call('GET', '/api/v1/notifications/requests', z.array(notificationRequestSchema)).then((r) => r.body),
    acceptNotificationRequest: (id: string) =>
      call('POST', `/api/v1/notifications/requests/${encodeURIComponent(id)}/accept`, z.unknown()).then(() => undefined),
    status: (id: string) => call('GET', `/api/v1/statuses/${encodeURIComponent(id)}`, statusSchema).then((r) => r.body),
    uploadMedia: (file: Blob, filename: string, description: string) => {
      const form = new FormData();
      form.set('file', file, filename);
      form.set('description', description);
      return call('POST', '/api/v2/media', mediaSchema, { form }).then((r) => r.body);
    },
    postStatus: (body: StatusBody, idempotencyKey: string) =>
      call('POST', '/api/v1/statuses', statusSchema, { json: body, idempotencyKey }).then((r) => r.body),
    editStatus: (id: string, body: Omit<StatusBody, 'in_reply_to_id' | 'visibility'>) =>
      call('PUT', `/api/v1/statuses/${encodeURIComponent(id)}`, statusSchema, { json: body }).then((r) => r.body),
    deleteStatus: (id: string) => call('DELETE', `/api/v1/statuses/${encodeURIComponent(id)}`, z.unknown()).then(() => undefined),
  };
}

export interface StatusBody {
  status: string;
  visibility?: StatusVisibility;
  in_reply_to_id?: string;
  media_ids?: string[];
  spoiler_text?: string;
  language?: string;
}

function notificationQuery(q: { minId: string | null; types: readonly string[]; limit: number }): URLSearchParams {
  const query = new URLSearchParams({ limit: String(q.limit) });
  if (q.minId) query.set('min_id', q.minId);
  for (const t of q.types) query.append('types[]', t);
  return query;
}

/** X-RateLimit-Reset is an ISO 8601 time (Mastodon); Retry-After seconds or an HTTP date (RFC 9110). */
function retryAtOf(headers: Headers, now: Date): Date {
  const reset = headers.get('x-ratelimit-reset');
  const fromReset = reset ? new Date(reset) : null;
  if (fromReset && !Number.isNaN(fromReset.getTime())) return fromReset;
  const after = headers.get('retry-after');
  if (after && /^\d+$/.test(after)) return new Date(now.getTime() + Number(after) * 1000);
  const fromDate = after ? new Date(after) : null;
  if (fromDate && !Number.isNaN(fromDate.getTime())) return fromDate;
  return new Date(now.getTime() + 5 * 60_000);
}

/** `Link: <https://…?max_id=1>; rel="next", <https://…?min_id=9>; rel="prev"`. */
export function parseLinks(header: string | null): { prev?: string; next?: string } {
  const links: { prev?: string; next?: string } = {};
  for (const part of (header ?? '').split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="?(prev|next)"?/.exec(part.trim());
    if (m?.[1] && m[2]) links[m[2] as 'prev' | 'next'] = m[1];
  }
  return links;
}

/** Mastodon's `{"error": "…"}`, cut short; never the whole body. */
function errorText(text: string): string {
  try {
    const { error } = z.object({ error: z.string() }).parse(JSON.parse(text));
    return error.slice(0, 200);
  } catch {
    return 'ohne Begründung';
  }
}

/** Mastodon ids are numbers in strings (snowflakes); compared as numbers where they are, else by length and text. */
export function compareIds(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}
