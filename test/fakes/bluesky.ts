import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A PDS with the XRPC methods the town's Bluesky account uses, shaped after the lexicons that
 * @atproto/api ships (dist/client/lexicons.js) and the XRPC spec (atproto.com/specs/xrpc):
 * queries are GET /xrpc/<nsid>?…, procedures POST with a JSON (or raw blob) body, errors are
 * `{ error, message }` with 400 (InvalidRequest, ExpiredToken), 401 (AuthenticationRequired) and
 * 429 (RateLimitExceeded, with the `ratelimit-*` headers of atproto.com/blog/rate-limits-pds-v3).
 * The client validates every answer against the lexicon, so a shape drifting from it fails loudly.
 */

export interface FakeAuthor {
  did: string;
  handle: string;
  displayName?: string;
}

export interface FakePost {
  uri: string;
  cid: string;
  author: FakeAuthor;
  record: Record<string, unknown>;
  indexedAt: string;
}

export interface FakeNotification {
  uri: string;
  cid: string;
  author: FakeAuthor;
  reason: string;
  reasonSubject?: string;
  record: Record<string, unknown>;
  indexedAt: string;
}

export interface CreatedRecord {
  collection: string;
  rkey: string;
  uri: string;
  cid: string;
  record: Record<string, unknown>;
}

export interface PlannedFailure {
  status: number;
  error: string;
  message: string;
  headers?: Record<string, string>;
}

export interface FakeBluesky {
  url: string;
  account: FakeAuthor;
  appPassword: string;
  /** Newest first, as listNotifications answers. */
  notifications: FakeNotification[];
  posts: Map<string, FakePost>;
  created: CreatedRecord[];
  deleted: { collection: string; rkey: string }[];
  blobs: { cid: string; mimeType: string; size: number }[];
  /** handle → did for resolveHandle; the account itself is known. */
  handles: Map<string, string>;
  /** Every XRPC call as "<nsid>" (with " ExpiredToken" etc. when refused). */
  calls: string[];
  seenAt: string | null;
  /** The next answers (for any method but the session ones) are these failures, in order. */
  failures: PlannedFailure[];
  /** Makes the current access token expired: the next authenticated call answers 400 ExpiredToken. */
  expireAccessToken(): void;
  /** A notification of someone's post (mention, reply, quote) or reaction, with the post stored for getPosts. */
  notify(n: Omit<FakeNotification, 'cid' | 'indexedAt'> & { indexedAt?: string }): FakeNotification;
  close(): Promise<void>;
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
/** A CIDv1 (sha-256, multibase base32) as the PDS computes one, so the client's CID parser accepts it. */
export function cidOf(content: string | Buffer, codec: 'raw' | 'dag-cbor' = 'dag-cbor'): string {
  const digest = createHash('sha256').update(content).digest();
  const bytes = Buffer.concat([Buffer.from([0x01, codec === 'raw' ? 0x55 : 0x71, 0x12, 0x20]), digest]);
  let bits = 0;
  let value = 0;
  let out = 'b';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

const graphemes = (text: string) => [...new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(text)].length;
let tid = 0;
/** A record key in the TID shape (13 base32-sortable characters). */
const nextRkey = () => `3l${(Date.now() * 1000 + tid++).toString(32).padStart(11, '2').slice(-11)}`;

export async function startFakeBluesky(
  opts: { handle?: string; did?: string; appPassword?: string; startAt?: number } = {},
): Promise<FakeBluesky> {
  const account: FakeAuthor = {
    did: opts.did ?? 'did:plc:musterstadt0000000000000',
    handle: opts.handle ?? 'musterstadt.bsky.social',
    displayName: 'Stadt Musterstadt',
  };
  let clock = opts.startAt ?? Date.parse('2026-11-20T09:00:00.000Z');
  let generation = 1;
  let access = `access-${generation}`;
  let refresh = `refresh-${generation}`;
  const state = {
    notifications: [] as FakeNotification[],
    posts: new Map<string, FakePost>(),
    created: [] as CreatedRecord[],
    deleted: [] as { collection: string; rkey: string }[],
    blobs: [] as { cid: string; mimeType: string; size: number }[],
    handles: new Map<string, string>([[account.handle, account.did]]),
    calls: [] as string[],
    seenAt: null as string | null,
    failures: [] as PlannedFailure[],
  };
  const profile = (a: FakeAuthor) => ({ did: a.did, handle: a.handle, ...(a.displayName ? { displayName: a.displayName } : {}) });
  const postView = (p: FakePost) => ({
    uri: p.uri,
    cid: p.cid,
    author: profile(p.author),
    record: p.record,
    replyCount: 0,
    repostCount: 0,
    likeCount: 0,
    indexedAt: p.indexedAt,
  });
  const sessionOut = () => ({ accessJwt: access, refreshJwt: refresh, handle: account.handle, did: account.did, active: true });

  const server: Server = createServer((req, res) => {
    void handle(req, res).catch(() => send(res, 500, { error: 'InternalServerError', message: 'Internal Server Error' }));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const nsid = url.pathname.replace(/^\/xrpc\//, '');
    const body = await readBody(req);
    const bearer = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    const refuse = (status: number, error: string, message: string, headers: Record<string, string> = {}) => {
      state.calls.push(`${nsid} ${error}`);
      send(res, status, { error, message }, headers);
    };
    const sessionCall = nsid.startsWith('com.atproto.server.');
    const planned = sessionCall ? undefined : state.failures.shift();
    if (planned) return refuse(planned.status, planned.error, planned.message, planned.headers);
    const json = () => JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>;
    const authed = () => {
      if (bearer === access) return true;
      if (bearer) refuse(400, 'ExpiredToken', 'Token has expired');
      else refuse(401, 'AuthenticationRequired', 'Authentication Required');
      return false;
    };

    switch (nsid) {
      case 'com.atproto.server.createSession': {
        const input = json();
        const known = input.identifier === account.handle || input.identifier === account.did;
        if (!known || input.password !== (opts.appPassword ?? 'abcd-efgh-ijkl-mnop')) {
          return refuse(401, 'AuthenticationRequired', 'Invalid identifier or password');
        }
        state.calls.push(nsid);
        return send(res, 200, sessionOut());
      }
      case 'com.atproto.server.refreshSession': {
        if (bearer !== refresh) return refuse(400, 'ExpiredToken', 'Token has expired');
        generation += 1;
        access = `access-${generation}`;
        refresh = `refresh-${generation}`;
        state.calls.push(nsid);
        return send(res, 200, sessionOut());
      }
      case 'com.atproto.server.getSession': {
        if (!authed()) return;
        state.calls.push(nsid);
        return send(res, 200, { handle: account.handle, did: account.did, active: true, emailConfirmed: true });
      }
      case 'com.atproto.identity.resolveHandle': {
        const did = state.handles.get(url.searchParams.get('handle') ?? '');
        if (!did) return refuse(400, 'InvalidRequest', 'Unable to resolve handle');
        state.calls.push(nsid);
        return send(res, 200, { did });
      }
      case 'app.bsky.notification.listNotifications': {
        if (!authed()) return;
        if (url.searchParams.has('seenAt')) return refuse(400, 'InvalidRequest', 'seenAt is not supported');
        const limit = Number(url.searchParams.get('limit') ?? 50);
        if (!Number.isInteger(limit) || limit < 1 || limit > 100) return refuse(400, 'InvalidRequest', 'Invalid limit');
        const cursor = url.searchParams.get('cursor');
        const older = cursor ? state.notifications.filter((n) => n.indexedAt < cursor) : state.notifications;
        const page = older.slice(0, limit);
        state.calls.push(nsid);
        const last = page.at(-1);
        return send(res, 200, {
          ...(last && older.length > limit ? { cursor: last.indexedAt } : {}),
          notifications: page.map((n) => ({
            uri: n.uri,
            cid: n.cid,
            author: profile(n.author),
            reason: n.reason,
            ...(n.reasonSubject ? { reasonSubject: n.reasonSubject } : {}),
            record: n.record,
            isRead: state.seenAt !== null && n.indexedAt <= state.seenAt,
            indexedAt: n.indexedAt,
          })),
          ...(state.seenAt ? { seenAt: state.seenAt } : {}),
        });
      }
      case 'app.bsky.notification.updateSeen': {
        if (!authed()) return;
        const seenAt = json().seenAt;
        if (typeof seenAt !== 'string' || Number.isNaN(Date.parse(seenAt)))
          return refuse(400, 'InvalidRequest', 'Input/seenAt must be a datetime');
        state.seenAt = seenAt;
        state.calls.push(nsid);
        return send(res, 200, undefined);
      }
      case 'app.bsky.feed.getPosts': {
        if (!authed()) return;
        const uris = url.searchParams.getAll('uris');
        state.calls.push(nsid);
        return send(res, 200, { posts: uris.flatMap((u) => (state.posts.has(u) ? [postView(state.posts.get(u) as FakePost)] : [])) });
      }
      case 'app.bsky.feed.getPostThread': {
        if (!authed()) return;
        const uri = url.searchParams.get('uri') ?? '';
        const post = state.posts.get(uri);
        state.calls.push(nsid);
        if (!post) return refuse(400, 'NotFound', `Post not found: ${uri}`);
        const parentUri = (post.record.reply as { parent?: { uri?: string } } | undefined)?.parent?.uri;
        const parent = parentUri ? state.posts.get(parentUri) : undefined;
        return send(res, 200, {
          thread: {
            $type: 'app.bsky.feed.defs#threadViewPost',
            post: postView(post),
            ...(parent ? { parent: { $type: 'app.bsky.feed.defs#threadViewPost', post: postView(parent) } } : {}),
            replies: [],
          },
        });
      }
      case 'com.atproto.repo.uploadBlob': {
        if (!authed()) return;
        const mimeType = req.headers['content-type'] ?? '*/*';
        if (body.length > 1_000_000) return refuse(400, 'BlobTooLarge', 'This file is too large. It is 1 MB at most.');
        const cid = cidOf(body, 'raw');
        state.blobs.push({ cid, mimeType, size: body.length });
        state.calls.push(nsid);
        return send(res, 200, { blob: { $type: 'blob', ref: { $link: cid }, mimeType, size: body.length } });
      }
      case 'com.atproto.repo.createRecord': {
        if (!authed()) return;
        const input = json();
        const record = input.record as Record<string, unknown> | undefined;
        if (input.repo !== account.did && input.repo !== account.handle) return refuse(400, 'InvalidRequest', 'Input/repo is not ours');
        if (input.collection !== 'app.bsky.feed.post' || !record) return refuse(400, 'InvalidRequest', 'Unsupported collection');
        const problem = postProblem(record);
        if (problem) return refuse(400, 'InvalidRequest', `Invalid app.bsky.feed.post record: ${problem}`);
        const rkey = typeof input.rkey === 'string' ? input.rkey : nextRkey();
        const uri = `at://${account.did}/${input.collection}/${rkey}`;
        const cid = cidOf(JSON.stringify(record));
        state.created.push({ collection: input.collection, rkey, uri, cid, record });
        clock += 1000;
        state.posts.set(uri, { uri, cid, author: account, record, indexedAt: new Date(clock).toISOString() });
        state.calls.push(nsid);
        return send(res, 200, { uri, cid, validationStatus: 'valid' });
      }
      case 'com.atproto.repo.deleteRecord': {
        if (!authed()) return;
        const input = json();
        if (input.repo !== account.did && input.repo !== account.handle) return refuse(400, 'InvalidRequest', 'Input/repo is not ours');
        const collection = String(input.collection);
        const rkey = String(input.rkey);
        state.deleted.push({ collection, rkey });
        state.posts.delete(`at://${account.did}/${collection}/${rkey}`);
        state.calls.push(nsid);
        return send(res, 200, {});
      }
      default:
        return refuse(501, 'MethodNotImplemented', 'Method Not Implemented');
    }
  }

  /** What the PDS's record validation (app.bsky.feed.post lexicon) refuses. */
  function postProblem(record: Record<string, unknown>): string | null {
    if (typeof record.text !== 'string') return 'Record/text must be a string';
    if (graphemes(record.text) > 300) return 'Record/text must not be longer than 300 graphemes';
    if (Buffer.byteLength(record.text) > 3000) return 'Record/text must not be longer than 3000 bytes';
    if (typeof record.createdAt !== 'string') return 'Record must have the property "createdAt"';
    const reply = record.reply as { root?: { uri?: unknown; cid?: unknown }; parent?: { uri?: unknown; cid?: unknown } } | undefined;
    if (reply && [reply.root, reply.parent].some((ref) => typeof ref?.uri !== 'string' || typeof ref?.cid !== 'string')) {
      return 'Record/reply must have root and parent strong refs';
    }
    const images = (record.embed as { images?: { alt?: unknown }[] } | undefined)?.images;
    if (images && (images.length > 4 || images.some((i) => typeof i.alt !== 'string'))) return 'Record/embed/images is invalid';
    return null;
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    account,
    appPassword: opts.appPassword ?? 'abcd-efgh-ijkl-mnop',
    expireAccessToken() {
      // The client still holds the old token: it no longer matches, so its next call is refused.
      access = `access-${generation}-renewed-elsewhere`;
    },
    notify(n: Omit<FakeNotification, 'cid' | 'indexedAt'> & { indexedAt?: string }) {
      clock += 1000;
      const full: FakeNotification = {
        ...n,
        cid: cidOf(`${n.uri}${JSON.stringify(n.record)}`),
        indexedAt: n.indexedAt ?? new Date(clock).toISOString(),
      };
      state.notifications.unshift(full);
      state.notifications.sort((a, b) => (a.indexedAt < b.indexedAt ? 1 : -1));
      if (n.record.$type === 'app.bsky.feed.post') {
        state.posts.set(n.uri, { uri: n.uri, cid: full.cid, author: n.author, record: n.record, indexedAt: full.indexedAt });
      }
      return full;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (body === undefined) {
    res.writeHead(status, headers).end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
