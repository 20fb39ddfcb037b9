import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake Mastodon server on 127.0.0.1 for the town's account, answering the calls of
 * src/features/channels/mastodon/api.ts in the documented shapes (docs.joinmastodon.org):
 * entities Account, Status, MediaAttachment, Notification, GroupedNotificationsResults,
 * NotificationRequest, Instance; methods accounts/verify_credentials, instance (v2),
 * notifications (v1 and grouped v2, pagination with max_id/min_id and `Link` headers),
 * notifications/requests (+ accept), media (v2), statuses (POST with Idempotency-Key, PUT, DELETE),
 * errors as `{"error": "…"}`, 429 with X-RateLimit-Limit/Remaining/Reset.
 */

export interface FakeAccount {
  id: string;
  username: string;
  acct: string;
  display_name: string;
  url: string;
  locked: boolean;
  bot: boolean;
  created_at: string;
  note: string;
  avatar: string;
  followers_count: number;
  following_count: number;
  statuses_count: number;
}

export interface FakeStatus {
  id: string;
  uri: string;
  url: string;
  created_at: string;
  edited_at: string | null;
  account: FakeAccount;
  content: string;
  spoiler_text: string;
  sensitive: boolean;
  visibility: 'public' | 'unlisted' | 'private' | 'direct';
  in_reply_to_id: string | null;
  in_reply_to_account_id: string | null;
  media_attachments: FakeMedia[];
  mentions: { id: string; username: string; acct: string; url: string }[];
  language: string | null;
  replies_count: number;
  reblogs_count: number;
  favourites_count: number;
}

export interface FakeMedia {
  id: string;
  type: 'image' | 'video' | 'gifv' | 'audio' | 'unknown';
  url: string | null;
  preview_url: string | null;
  description: string | null;
  blurhash: string | null;
  /** Fake only: the bytes of an uploaded file, for the test to check. */
  bytes?: number;
}

interface FakeNotification {
  id: string;
  type: string;
  created_at: string;
  account: FakeAccount;
  status: FakeStatus | null;
  group_key: string;
  /** Held back by the notification policy (an account the town does not follow) until its request is accepted. */
  filtered: boolean;
}

export interface SeenRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: unknown;
}

type Failure = { status: number; headers?: Record<string, string>; body?: string };

export interface FakeMastodon {
  url: string;
  token: string;
  /** The town's own account. */
  town: FakeAccount;
  requests: SeenRequest[];
  statuses: Map<string, FakeStatus>;
  media: Map<string, FakeMedia>;
  /** Every POST /api/v1/statuses as received (with its Idempotency-Key). */
  posts: { key: string | undefined; body: Record<string, unknown>; id: string }[];
  citizen(username: string, displayName?: string): FakeAccount;
  /** A status by a citizen that mentions the town (visibility public) or is a DM (direct). */
  mention(
    from: FakeAccount,
    html: string,
    opts?: {
      visibility?: FakeStatus['visibility'];
      inReplyTo?: string;
      spoiler?: string;
      media?: { url: string; description?: string; type?: FakeMedia['type'] }[];
      filtered?: boolean;
    },
  ): FakeStatus;
  favourite(from: FakeAccount, statusId: string): void;
  reblog(from: FakeAccount, statusId: string): void;
  edit(statusId: string, html: string): void;
  /** The next `count` calls (any path but the given ones) fail like this. */
  failNext(count: number, failure: Failure): void;
  revokeToken(): void;
  /** Without v2 grouped notifications (a server before 4.3): 404 there. */
  disableGroupedNotifications(): void;
  instanceLimits: { maxCharacters: number; maxMedia: number };
  close(): Promise<void>;
}

const iso = (n: number) => new Date(Date.UTC(2026, 10, 1, 8, 0, 0) + n * 1000).toISOString();

export async function startFakeMastodon(): Promise<FakeMastodon> {
  // Snowflake-like ids, a fresh range per server, so two fakes in one test run never share one.
  let nextId = 110_000_000_000_000_000n + BigInt(Math.floor(Math.random() * 1e9)) * 1_000_000n;
  const newId = () => String(++nextId);
  const token = `token-${Math.random().toString(36).slice(2)}`;
  let tokenValid = true;
  let grouped = true;
  const failures: Failure[] = [];
  const accounts = new Map<string, FakeAccount>();
  const statuses = new Map<string, FakeStatus>();
  const media = new Map<string, FakeMedia>();
  const notifications: FakeNotification[] = [];
  const requests: SeenRequest[] = [];
  const posts: FakeMastodon['posts'] = [];
  const byKey = new Map<string, string>();
  let url = '';
  const instanceLimits = { maxCharacters: 500, maxMedia: 4 };

  const account = (username: string, displayName: string, remote: string | null): FakeAccount => {
    const host = remote ?? new URL(url).host;
    const a: FakeAccount = {
      id: newId(),
      username,
      acct: remote ? `${username}@${remote}` : username,
      display_name: displayName,
      url: `https://${host}/@${username}`,
      locked: false,
      bot: false,
      created_at: iso(0),
      note: '',
      avatar: `https://${host}/avatars/original/missing.png`,
      followers_count: 0,
      following_count: 0,
      statuses_count: 0,
    };
    accounts.set(a.id, a);
    return a;
  };

  const makeStatus = (from: FakeAccount, body: Partial<FakeStatus> & { content: string }): FakeStatus => {
    const id = newId();
    const s: FakeStatus = {
      id,
      uri: `${from.url.replace(/\/@.*/, '')}/users/${from.username}/statuses/${id}`,
      url: `${from.url}/${id}`,
      created_at: iso(Number(nextId % 100_000n)),
      edited_at: null,
      account: from,
      spoiler_text: '',
      sensitive: false,
      visibility: 'public',
      in_reply_to_id: null,
      in_reply_to_account_id: null,
      media_attachments: [],
      mentions: [],
      language: 'de',
      replies_count: 0,
      reblogs_count: 0,
      favourites_count: 0,
      ...body,
    };
    statuses.set(id, s);
    return s;
  };

  const notify = (type: string, from: FakeAccount, status: FakeStatus | null, filtered = false) => {
    const id = newId();
    notifications.push({
      id,
      type,
      created_at: iso(Number(nextId % 100_000n)),
      account: from,
      status,
      group_key: `ungrouped-${id}`,
      filtered,
    });
  };

  const server: Server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => send(res, 500, { error: String(err) }));
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const u = new URL(req.url ?? '/', url);
    const raw = await readBody(req);
    const body = await parseBody(req, raw);
    requests.push({ method: req.method ?? 'GET', path: u.pathname, query: u.searchParams, headers: req.headers, body });
    const failure = failures.shift();
    if (failure) {
      res.writeHead(failure.status, { 'content-type': 'application/json', ...failure.headers });
      res.end(failure.body ?? JSON.stringify({ error: 'Fehler' }));
      return;
    }
    if (!tokenValid || req.headers.authorization !== `Bearer ${token}`) {
      return send(res, 401, { error: 'The access token is invalid' });
    }
    const route = `${req.method} ${u.pathname}`;
    if (route === 'GET /api/v1/accounts/verify_credentials') return send(res, 200, { ...town, source: { privacy: 'public', note: '' } });
    if (route === 'GET /api/v2/instance') {
      return send(res, 200, {
        domain: new URL(url).host,
        title: 'Fake Mastodon',
        version: '4.3.0',
        configuration: {
          urls: { streaming: url.replace('http', 'ws') },
          statuses: {
            max_characters: instanceLimits.maxCharacters,
            max_media_attachments: instanceLimits.maxMedia,
            characters_reserved_per_url: 23,
          },
          media_attachments: {
            supported_mime_types: ['image/jpeg', 'image/png', 'image/webp'],
            image_size_limit: 16_777_216,
            description_limit: 1500,
          },
        },
      });
    }
    if (route === 'GET /api/v1/notifications') return sendPage(res, u, visibleNotifications(u));
    if (route === 'GET /api/v2/notifications') {
      if (!grouped) return send(res, 404, { error: 'Record not found' });
      const page = pageOf(u, visibleNotifications(u));
      const groups = page.map((n) => ({
        group_key: n.group_key,
        notifications_count: 1,
        type: n.type,
        most_recent_notification_id: n.id,
        page_min_id: n.id,
        page_max_id: n.id,
        latest_page_notification_at: n.created_at,
        sample_account_ids: [n.account.id],
        status_id: n.status?.id ?? null,
      }));
      const accountsOf = [...new Map(page.map((n) => [n.account.id, n.account])).values()];
      const statusesOf = [...new Map(page.filter((n) => n.status).map((n) => [n.status?.id, n.status])).values()];
      setLinks(res, u, page);
      return send(res, 200, { accounts: accountsOf, statuses: statusesOf, notification_groups: groups });
    }
    if (route === 'GET /api/v1/notifications/requests') {
      const pending = new Map<string, FakeNotification[]>();
      for (const n of notifications.filter((x) => x.filtered)) pending.set(n.account.id, [...(pending.get(n.account.id) ?? []), n]);
      return send(
        res,
        200,
        [...pending.entries()].map(([accountId, list]) => ({
          id: `req-${accountId}`,
          created_at: list[0]?.created_at,
          updated_at: list.at(-1)?.created_at,
          account: accounts.get(accountId),
          notifications_count: String(list.length),
          last_status: list.at(-1)?.status ?? null,
        })),
      );
    }
    const accept = /^POST \/api\/v1\/notifications\/requests\/req-(\d+)\/accept$/.exec(route);
    if (accept) {
      for (const n of notifications) if (n.account.id === accept[1]) n.filtered = false;
      return send(res, 200, {});
    }
    if (route === 'POST /api/v2/media') {
      const form = body as { file?: File; description?: string } | null;
      if (!form?.file) return send(res, 422, { error: 'Validation failed: File muss ausgefüllt werden' });
      const m: FakeMedia = {
        id: newId(),
        type: 'image',
        url: `${url}/system/media/${nextId}.png`,
        preview_url: `${url}/system/media/${nextId}-small.png`,
        description: form.description ?? null,
        blurhash: null,
        bytes: form.file.size,
      };
      media.set(m.id, m);
      return send(res, 200, m);
    }
    if (route === 'POST /api/v1/statuses') {
      const key = header(req, 'idempotency-key');
      const known = key ? byKey.get(key) : undefined;
      if (known) return send(res, 200, statuses.get(known));
      const b = body as Record<string, unknown>;
      if (typeof b.status !== 'string' || b.status.length === 0) return send(res, 422, { error: "Validation failed: Text can't be blank" });
      if ([...b.status].length > instanceLimits.maxCharacters) return send(res, 422, { error: 'Validation failed: Text ist zu lang' });
      const mediaIds = (b.media_ids as string[] | undefined) ?? [];
      if (mediaIds.length > instanceLimits.maxMedia) return send(res, 422, { error: 'Validation failed: too many media' });
      const parent = typeof b.in_reply_to_id === 'string' ? statuses.get(b.in_reply_to_id) : undefined;
      const s = makeStatus(town, {
        content: `<p>${escapeHtml(b.status)}</p>`,
        visibility: (b.visibility as FakeStatus['visibility']) ?? 'public',
        in_reply_to_id: parent?.id ?? null,
        in_reply_to_account_id: parent?.account.id ?? null,
        spoiler_text: typeof b.spoiler_text === 'string' ? b.spoiler_text : '',
        media_attachments: mediaIds.map((id) => media.get(id)).filter((m): m is FakeMedia => !!m),
      });
      if (key) byKey.set(key, s.id);
      posts.push({ key, body: b, id: s.id });
      return send(res, 200, s);
    }
    const one = /^(GET|PUT|DELETE) \/api\/v1\/statuses\/(\d+)$/.exec(route);
    if (one) {
      const s = statuses.get(one[2] ?? '');
      if (!s) return send(res, 404, { error: 'Record not found' });
      if (one[1] === 'GET') return send(res, 200, s);
      if (s.account.id !== town.id) return send(res, 403, { error: 'This action is not allowed' });
      if (one[1] === 'DELETE') {
        statuses.delete(s.id);
        return send(res, 200, { ...s, text: s.content });
      }
      const b = body as Record<string, unknown>;
      s.content = `<p>${escapeHtml(String(b.status ?? ''))}</p>`;
      if (typeof b.spoiler_text === 'string') s.spoiler_text = b.spoiler_text;
      if (Array.isArray(b.media_ids))
        s.media_attachments = (b.media_ids as string[]).map((id) => media.get(id)).filter((m): m is FakeMedia => !!m);
      s.edited_at = iso(Number(nextId % 100_000n));
      return send(res, 200, s);
    }
    return send(res, 404, { error: 'Record not found' });
  }

  /** Newest first, the town's own and filtered ones left out, `types[]` honoured. */
  function visibleNotifications(u: URL): FakeNotification[] {
    const types = u.searchParams.getAll('types[]');
    return notifications.filter((n) => !n.filtered && (types.length === 0 || types.includes(n.type))).reverse();
  }

  /** Mastodon's paging: max_id (older than), since_id (newer than, newest page), min_id (the page right after). */
  function pageOf(u: URL, all: FakeNotification[]): FakeNotification[] {
    const limit = Math.min(Number(u.searchParams.get('limit') ?? 40), 80);
    const maxId = u.searchParams.get('max_id');
    const minId = u.searchParams.get('min_id');
    const sinceId = u.searchParams.get('since_id');
    let list = all;
    if (maxId) list = list.filter((n) => BigInt(n.id) < BigInt(maxId));
    if (sinceId) list = list.filter((n) => BigInt(n.id) > BigInt(sinceId));
    if (minId) {
      const newer = list.filter((n) => BigInt(n.id) > BigInt(minId));
      return newer.slice(Math.max(0, newer.length - limit));
    }
    return list.slice(0, limit);
  }

  function setLinks(res: ServerResponse, u: URL, page: { id: string }[]) {
    const first = page[0];
    const last = page.at(-1);
    if (!first || !last) return;
    const link = (param: string, id: string) => {
      const next = new URL(u);
      next.searchParams.delete('max_id');
      next.searchParams.delete('min_id');
      next.searchParams.delete('since_id');
      next.searchParams.set(param, id);
      return next.toString();
    };
    res.setHeader('link', `<${link('max_id', last.id)}>; rel="next", <${link('min_id', first.id)}>; rel="prev"`);
  }

  function sendPage(res: ServerResponse, u: URL, all: FakeNotification[]) {
    const page = pageOf(u, all);
    setLinks(res, u, page);
    send(res, 200, page.map(notificationJson));
  }

  const notificationJson = (n: FakeNotification) => ({
    id: n.id,
    type: n.type,
    created_at: n.created_at,
    group_key: n.group_key,
    account: n.account,
    status: n.status,
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const town = account('stadt', 'Stadt Musterstadt', null);

  return {
    url,
    token,
    town,
    requests,
    statuses,
    media,
    posts,
    instanceLimits,
    citizen: (username, displayName = username) => account(username, displayName, 'social.example'),
    mention(from, html, opts = {}) {
      const parent = opts.inReplyTo ? statuses.get(opts.inReplyTo) : undefined;
      const s = makeStatus(from, {
        content: html,
        visibility: opts.visibility ?? 'public',
        in_reply_to_id: opts.inReplyTo ?? null,
        in_reply_to_account_id: parent?.account.id ?? null,
        spoiler_text: opts.spoiler ?? '',
        mentions: [{ id: town.id, username: town.username, acct: town.acct, url: town.url }],
        media_attachments: (opts.media ?? []).map((m) => ({
          id: newId(),
          type: m.type ?? 'image',
          url: m.url,
          preview_url: m.url,
          description: m.description ?? null,
          blurhash: null,
        })),
      });
      notify('mention', from, s, opts.filtered ?? false);
      return s;
    },
    favourite: (from, statusId) => notify('favourite', from, statuses.get(statusId) ?? null),
    reblog: (from, statusId) => notify('reblog', from, statuses.get(statusId) ?? null),
    edit(statusId, html) {
      const s = statuses.get(statusId);
      if (!s) throw new Error(`no status ${statusId}`);
      s.content = html;
      s.edited_at = iso(Number(nextId % 100_000n));
      notify('update', s.account, s);
    },
    failNext: (count, failure) => {
      for (let i = 0; i < count; i++) failures.push(failure);
    },
    revokeToken: () => {
      tokenValid = false;
    },
    disableGroupedNotifications: () => {
      grouped = false;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** JSON, form-urlencoded or multipart (media upload), as Mastodon accepts all three. */
async function parseBody(req: IncomingMessage, raw: Buffer): Promise<unknown> {
  const type = header(req, 'content-type') ?? '';
  if (raw.length === 0) return null;
  if (type.startsWith('application/json')) return JSON.parse(raw.toString('utf8'));
  if (type.startsWith('multipart/form-data') || type.startsWith('application/x-www-form-urlencoded')) {
    const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': type } }).formData();
    const out: Record<string, unknown> = {};
    for (const [k, v] of form.entries()) out[k] = v;
    return out;
  }
  return raw.toString('utf8');
}

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);
