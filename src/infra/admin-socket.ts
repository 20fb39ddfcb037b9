import { chmodSync, lstatSync, rmSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { z } from 'zod';
import type { Infrastructure } from './bootstrap.ts';
import { type CommandResult, type DataCommand, EXIT_BAD_INPUT, EXIT_UNAVAILABLE, failed, runCommand } from './commands.ts';
import type { Logger } from './log.ts';

/**
 * The running server's door for `amtsblatt user …` and the other data commands while it holds the
 * embedded database: JSON over HTTP on a Unix domain socket in the data folder, never a TCP port.
 *
 * No token: the socket file is created with mode 0600, so only the server's own user (and root)
 * can connect, and that user can read the database files, the session secret and the photos in the
 * same folder anyway. Whoever may connect is an administrator of the host, not a visitor. The
 * command line, for its part, only talks to a socket owned by itself or by the folder's owner, so a
 * socket planted by someone else never receives a password.
 */
const SOCKET_FILE = 'admin.sock';
/** A training CSV travels in the request; exports of whole years stay far below this. */
const MAX_REQUEST_BYTES = 64 * 1024 * 1024;

export const adminSocketPath = (dataDir: string) => join(dataDir, SOCKET_FILE);

const requestSchema = z.object({
  command: z.string().min(1).max(100),
  options: z.record(z.string(), z.unknown()),
});

const resultSchema = z.object({ stdout: z.string(), stderr: z.string(), exitCode: z.number().int().min(0).max(255) });

export interface AdminSocket {
  close(): Promise<void>;
}

/**
 * Listens on DATA_DIR/admin.sock. The caller holds the database lock, so a socket file found there
 * was left by a process that died and is removed. Returns null (with a warning) when the folder is
 * not safe for it: writable by everyone, or owned by another user.
 */
export async function startAdminSocket(opts: {
  dataDir: string;
  commands: readonly DataCommand[];
  infra: Infrastructure;
  log: Logger;
}): Promise<AdminSocket | null> {
  const { dataDir, log } = opts;
  const path = adminSocketPath(dataDir);
  const problem = unsafeFolder(dataDir);
  if (problem) {
    log.warn({ dataDir, problem }, 'admin socket not opened: the command line cannot reach this server');
    return null;
  }
  const existing = lstatOrNull(path);
  if (existing && !existing.isSocket()) {
    log.warn({ path }, 'admin socket not opened: another file has its name');
    return null;
  }
  if (existing) rmSync(path);

  const byName = new Map(opts.commands.map((c) => [c.name, c]));
  const server = createServer((req, res) => {
    handle(req, res, byName, opts.infra, log).catch((err: unknown) => {
      log.error({ err }, 'admin socket request failed');
      answer(res, 500, failed('Der Befehl ist im Server fehlgeschlagen. Einzelheiten stehen im Protokoll des Servers.', 1));
    });
  });
  // The socket is born owner-only: a umask for the bind (synchronous in listen), then chmod as a second guard.
  const umask = process.umask(0o177);
  try {
    server.listen(path);
  } finally {
    process.umask(umask);
  }
  const listening = await new Promise<boolean>((resolve) => {
    server.once('listening', () => resolve(true));
    server.once('error', (err: NodeJS.ErrnoException) => {
      // E.g. a path longer than a socket address allows (about 100 bytes).
      log.warn({ path, code: err.code }, 'admin socket not opened: the command line cannot reach this server');
      resolve(false);
    });
  });
  if (!listening) return null;
  chmodSync(path, 0o600);
  return {
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(path, { force: true });
    },
  };
}

function unsafeFolder(dataDir: string): string | null {
  const st = statSync(dataDir);
  if (st.mode & 0o002 && !(st.mode & 0o1000)) return 'writable by everyone';
  if (process.getuid && st.uid !== process.getuid()) return 'owned by another user';
  return null;
}

function lstatOrNull(path: string) {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}

function answer(res: ServerResponse, status: number, result: CommandResult): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', connection: 'close' });
  res.end(JSON.stringify(result));
}

async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_REQUEST_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  commands: Map<string, DataCommand>,
  infra: Infrastructure,
  log: Logger,
): Promise<void> {
  if (req.method !== 'POST' || req.url !== '/command')
    return answer(res, 404, failed('Diese Schnittstelle nimmt nur Befehle an (POST /command).', EXIT_BAD_INPUT));
  const body = await readBody(req);
  if (body === null) return answer(res, 413, failed('Die Anfrage ist zu groß (höchstens 64 MB).', EXIT_BAD_INPUT));
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return answer(res, 400, failed('Die Anfrage ist kein gültiges JSON.', EXIT_BAD_INPUT));
  }
  const parsed = requestSchema.safeParse(json);
  if (!parsed.success) return answer(res, 400, failed('Die Anfrage braucht "command" und "options".', EXIT_BAD_INPUT));
  const command = commands.get(parsed.data.command);
  if (!command)
    return answer(
      res,
      404,
      failed(`Der laufende Server kennt den Befehl „${parsed.data.command}“ nicht. Ist er älter als diese Befehlszeile?`, EXIT_BAD_INPUT),
    );
  const commandLog = log.child({ command: command.name });
  const started = performance.now();
  const result = await runCommand(command, { infra, log: commandLog, progress: () => silentProgress }, parsed.data.options);
  // Never the options: they hold e-mail addresses, names and passwords.
  commandLog.info({ exitCode: result.exitCode, ms: Math.round(performance.now() - started) }, 'admin command');
  answer(res, 200, result);
}

const silentProgress = { update() {}, done() {} };

/**
 * Sends a command to the server on the folder's socket. Null when no server listens there (it is
 * starting, stopping, or the holder of the lock is another command line).
 */
export async function sendToAdminSocket(dataDir: string, command: string, options: unknown): Promise<CommandResult | null> {
  const path = adminSocketPath(dataDir);
  const st = lstatOrNull(path);
  if (!st?.isSocket()) return null;
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid && st.uid !== statSync(dataDir).uid)
    return failed(
      `${path} gehört weder Ihnen noch dem Eigentümer des Datenordners; aus Sicherheitsgründen wird kein Befehl dorthin geschickt.`,
      EXIT_UNAVAILABLE,
    );
  const payload = JSON.stringify({ command, options });
  return new Promise((resolve) => {
    const req = request(
      {
        socketPath: path,
        method: 'POST',
        path: '/command',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const parsed = (() => {
            try {
              return resultSchema.safeParse(JSON.parse(Buffer.concat(chunks).toString('utf8')));
            } catch {
              return null;
            }
          })();
          resolve(parsed?.success ? parsed.data : failed('Der laufende Server gab eine unverständliche Antwort.', EXIT_UNAVAILABLE));
        });
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ECONNREFUSED' || err.code === 'ENOENT') resolve(null);
      else if (err.code === 'EACCES')
        resolve(
          failed(
            `Keine Berechtigung für ${path}: Bitte rufen Sie den Befehl als der Benutzer auf, unter dem der Server läuft.`,
            EXIT_UNAVAILABLE,
          ),
        );
      else resolve(failed(`Der laufende Server ist nicht erreichbar (${err.code ?? err.message}).`, EXIT_UNAVAILABLE));
    });
    req.end(payload);
  });
}
