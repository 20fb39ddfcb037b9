import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Message, Update, User } from 'grammy/types';

/**
 * A small Telegram Bot API server on 127.0.0.1 for tests, following https://core.telegram.org/bots/api:
 * requests `POST /bot<token>/<method>` with JSON, form or multipart parameters (grammY sends JSON,
 * multipart when a file is uploaded), answers `{ ok: true, result }` or
 * `{ ok: false, error_code, description, parameters? }`; files at `/file/bot<token>/<file_path>`.
 * Tests push updates with the builders below and read what the bot sent from `sent`.
 */
export interface SentCall {
  method: string;
  params: Record<string, unknown>;
  /** The bytes of an uploaded file (sendPhoto with a file), if any. */
  upload?: Buffer;
}

interface Failure {
  method: string;
  code: 429 | 500 | 401 | 400;
  retryAfter?: number;
}

export interface FakeTelegram {
  /** apiRoot for grammY (`client.apiRoot`). */
  url: string;
  token: string;
  bot: User;
  sent: SentCall[];
  /** Every call, including getUpdates, in order. */
  calls: string[];
  webhook: { url: string; secretToken: string | null } | null;
  /** Queues an update for getUpdates and returns it (so a test can also post it to the webhook). */
  push(update: UpdateBody & { update_id?: number }): Update;
  /** The next call of `method` (or '*') fails like Telegram does. */
  failNext(failure: Failure): void;
  /** Makes the token invalid (revoked in @BotFather): every call answers 401. */
  revokeToken(): void;
  addFile(bytes: Buffer): { file_id: string; file_unique_id: string };
  message(chat: ChatLike, text: string, extra?: Partial<Message>): UpdateBody;
  photoMessage(chat: ChatLike, bytes: Buffer, caption?: string): UpdateBody;
  locationMessage(chat: ChatLike, latitude: number, longitude: number): UpdateBody;
  callback(chat: ChatLike, data: string, messageId: number): UpdateBody;
  close(): Promise<void>;
}

/** An update without its id, as the builders make it (the fake numbers it when pushed). */
export type UpdateBody = Record<string, unknown>;

export interface ChatLike {
  id: number;
  first_name: string;
  username?: string;
  type?: 'private' | 'group';
}

const LIMITS = { text: 4096, caption: 1024 };

export async function startFakeTelegram(opts: { token?: string; username?: string } = {}): Promise<FakeTelegram> {
  let token = opts.token ?? '123456:TEST-token_abcdefghijklmnopqrstuvw';
  const bot: User = {
    id: Number(token.split(':')[0]),
    is_bot: true,
    first_name: 'Musterstadt',
    username: opts.username ?? 'MusterstadtBot',
  };
  const queue: Update[] = [];
  const files = new Map<string, { path: string; bytes: Buffer }>();
  const failures: Failure[] = [];
  const waiters: (() => void)[] = [];
  let nextUpdateId = 1000;
  let nextMessageId = 1;
  let nextFile = 1;
  const now = () => Math.floor(Date.now() / 1000);

  const chatOf = (c: ChatLike) =>
    c.type === 'group'
      ? { id: c.id, type: 'group' as const, title: 'Nachbarschaft' }
      : { id: c.id, type: 'private' as const, first_name: c.first_name, ...(c.username ? { username: c.username } : {}) };
  const fromOf = (c: ChatLike): User => ({
    id: c.id,
    is_bot: false,
    first_name: c.first_name,
    ...(c.username ? { username: c.username } : {}),
  });
  const citizenMessage = (c: ChatLike, extra: Partial<Message>): Message =>
    ({ message_id: nextMessageId++, date: now(), chat: chatOf(c), from: fromOf(c), ...extra }) as Message;

  const fake: FakeTelegram = {
    url: '',
    token,
    bot,
    sent: [],
    calls: [],
    webhook: null,
    push(update) {
      const full = { ...update, update_id: update.update_id ?? nextUpdateId++ } as unknown as Update;
      queue.push(full);
      for (const wake of waiters.splice(0)) wake();
      return full;
    },
    failNext(failure) {
      failures.push(failure);
    },
    revokeToken() {
      token = `${token}-revoked`;
    },
    addFile(bytes) {
      const n = nextFile++;
      const file_id = `AgACAgIAAxkBAAI${n}`;
      files.set(file_id, { path: `photos/file_${n}.jpg`, bytes });
      return { file_id, file_unique_id: `AQAD${n}` };
    },
    message: (chat, text, extra = {}) => ({ message: citizenMessage(chat, { text, ...extra }) }),
    photoMessage(chat, bytes, caption) {
      const { file_id, file_unique_id } = fake.addFile(bytes);
      // Telegram offers several sizes of one photo; the last is the largest.
      const photo = [
        { file_id: `${file_id}-s`, file_unique_id: `${file_unique_id}-s`, width: 90, height: 67, file_size: 1000 },
        { file_id, file_unique_id, width: 800, height: 600, file_size: bytes.length },
      ];
      return { message: citizenMessage(chat, { photo, ...(caption ? { caption } : {}) }) };
    },
    locationMessage: (chat, latitude, longitude) => ({ message: citizenMessage(chat, { location: { latitude, longitude } }) }),
    callback: (chat, data, messageId) => ({
      callback_query: {
        id: `cb${nextUpdateId}`,
        from: fromOf(chat),
        chat_instance: `ci${chat.id}`,
        data,
        message: { message_id: messageId, date: now(), chat: chatOf(chat), from: bot, text: '…' } as Message,
      },
    }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  const methods: Record<string, (p: Record<string, unknown>, upload?: Buffer) => unknown> = {
    getMe: () => bot,
    async getUpdates(p) {
      const offset = Number(p.offset ?? 0);
      // Telegram forgets updates below the offset: they count as confirmed.
      while (queue.length > 0 && (queue[0]?.update_id ?? 0) < offset) queue.shift();
      const timeout = Math.min(Number(p.timeout ?? 0), 5);
      if (queue.length === 0 && timeout > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, timeout * 1000);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      const allowed = Array.isArray(p.allowed_updates) ? (p.allowed_updates as string[]) : null;
      return queue.filter((u) => !allowed || allowed.length === 0 || allowed.some((k) => k in u)).slice(0, Number(p.limit ?? 100));
    },
    sendMessage(p) {
      const text = String(p.text ?? '');
      if (!text.trim()) throw badRequest('Bad Request: message text is empty');
      if (text.length > LIMITS.text) throw badRequest('Bad Request: message is too long');
      return botMessage(p, { text, ...(p.reply_markup ? { reply_markup: p.reply_markup } : {}) });
    },
    sendPhoto(p, upload) {
      const caption = typeof p.caption === 'string' ? p.caption : undefined;
      if (caption && caption.length > LIMITS.caption) throw badRequest('Bad Request: message caption is too long');
      if (!upload && typeof p.photo !== 'string') throw badRequest('Bad Request: there is no photo in the request');
      const photo = [{ file_id: 'AgACsent', file_unique_id: 'AQADsent', width: 800, height: 600 }];
      return botMessage(p, { photo, ...(caption ? { caption } : {}) });
    },
    editMessageText(p) {
      if (!fake.sent.some((s) => s.method !== 'answerCallbackQuery' && (s as { messageId?: number }).messageId === Number(p.message_id))) {
        throw badRequest('Bad Request: message to edit not found');
      }
      return {
        message_id: Number(p.message_id),
        date: now(),
        chat: { id: Number(p.chat_id), type: 'channel', title: 'Kanal' },
        text: p.text,
      };
    },
    deleteMessage: () => true,
    answerCallbackQuery: () => true,
    getFile(p) {
      const file = files.get(String(p.file_id));
      if (!file) throw badRequest('Bad Request: invalid file_id');
      return { file_id: p.file_id, file_unique_id: 'AQAD', file_size: file.bytes.length, file_path: file.path };
    },
    setWebhook(p) {
      fake.webhook = { url: String(p.url), secretToken: typeof p.secret_token === 'string' ? p.secret_token : null };
      return true;
    },
    deleteWebhook() {
      fake.webhook = null;
      return true;
    },
  };

  function botMessage(p: Record<string, unknown>, content: Record<string, unknown>) {
    const chatId = p.chat_id;
    const message_id = nextMessageId++;
    const chat =
      typeof chatId === 'string' && chatId.startsWith('@')
        ? { id: -1001234567890, type: 'channel', title: 'Musterstadt', username: chatId.slice(1) }
        : { id: Number(chatId), type: 'private', first_name: 'Bürgerin' };
    const last = fake.sent.at(-1) as SentCall & { messageId?: number };
    last.messageId = message_id;
    return { message_id, date: now(), chat, from: bot, ...content };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const fileMatch = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (req.method === 'GET' && fileMatch) {
      const file = [...files.values()].find((f) => f.path === fileMatch[2]);
      if (fileMatch[1] !== token || !file) return send(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': file.bytes.length });
      res.end(file.bytes);
      return;
    }
    const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (!m) return send(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    const [, given, method = ''] = m;
    fake.calls.push(method);
    if (given !== token) return send(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
    const { params, upload } = await readParams(req, url);
    const failureAt = failures.findIndex((f) => f.method === method || f.method === '*');
    if (failureAt >= 0) {
      const [f] = failures.splice(failureAt, 1);
      if (f?.code === 429) {
        return send(res, 429, {
          ok: false,
          error_code: 429,
          description: `Too Many Requests: retry after ${f.retryAfter ?? 1}`,
          parameters: { retry_after: f.retryAfter ?? 1 },
        });
      }
      const description = f?.code === 401 ? 'Unauthorized' : f?.code === 400 ? 'Bad Request' : 'Internal Server Error';
      return send(res, f?.code ?? 500, { ok: false, error_code: f?.code ?? 500, description });
    }
    const impl = methods[method];
    if (!impl) return send(res, 404, { ok: false, error_code: 404, description: 'Not Found: method not found' });
    if (method !== 'getUpdates' && method !== 'getMe' && method !== 'getFile') {
      fake.sent.push({ method, params, ...(upload ? { upload } : {}) });
    }
    try {
      send(res, 200, { ok: true, result: await impl(params, upload) });
    } catch (err) {
      if (err instanceof ApiFailure) return send(res, err.code, { ok: false, error_code: err.code, description: err.message });
      throw err;
    }
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => send(res, 500, { ok: false, error_code: 500, description: 'Internal Server Error' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

class ApiFailure extends Error {
  readonly code: number;
  constructor(code: number, message: string) {
    super(message);
    this.code = code;
  }
}
const badRequest = (description: string) => new ApiFailure(400, description);

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** Parameters as the Bot API takes them: query string, JSON, urlencoded or multipart (JSON-serialised fields). */
async function readParams(req: IncomingMessage, url: URL): Promise<{ params: Record<string, unknown>; upload?: Buffer }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  const params: Record<string, unknown> = Object.fromEntries(url.searchParams);
  const type = req.headers['content-type'] ?? '';
  if (body.length === 0) return { params };
  if (type.startsWith('application/json')) return { params: { ...params, ...(JSON.parse(body.toString('utf8')) as object) } };
  const form = await new Request('http://x/', { method: 'POST', headers: { 'content-type': type }, body }).formData();
  let upload: Buffer | undefined;
  for (const [key, value] of form.entries()) {
    if (typeof value === 'string') params[key] = parseField(value);
    else upload = Buffer.from(await value.arrayBuffer());
  }
  // grammY names an uploaded file "attach://<id>" in the field and sends the bytes as a part of that id.
  return upload ? { params, upload } : { params };
}

function parseField(value: string): unknown {
  if (/^[[{]/.test(value) || /^-?\d+$/.test(value) || value === 'true' || value === 'false') {
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  }
  return value;
}
