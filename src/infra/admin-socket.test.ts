import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type AdminSocket, adminSocketPath, sendToAdminSocket, startAdminSocket } from './admin-socket.ts';
import type { Infrastructure } from './bootstrap.ts';
import { defineCommand } from './commands.ts';
import { conflict } from './errors.ts';
import { createLogger } from './log.ts';

const greet = defineCommand({
  name: 'greet',
  options: z.object({ name: z.string({ error: 'Bitte geben Sie einen Namen an.' }) }),
  async run(_ctx, o) {
    if (o.name === 'Otto') throw conflict('Otto wurde schon begrüßt.');
    return `Hallo ${o.name}\n`;
  },
});

function rawPost(path: string, body: string): Promise<{ status: number; json: { stderr: string; exitCode: number } }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: path, method: 'POST', path: '/command' }, (res) => {
      let text = '';
      res.on('data', (d) => {
        text += d;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('the admin socket', () => {
  let dir: string;
  let socket: AdminSocket | null = null;
  const start = () => startAdminSocket({ dataDir: dir, commands: [greet], infra: {} as Infrastructure, log: createLogger('silent') });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'amtsblatt-socket-'));
  });
  afterEach(async () => {
    await socket?.close();
    socket = null;
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs a registered command and answers its output and exit code, refusals and bad options in German', async () => {
    socket = await start();
    expect(statSync(adminSocketPath(dir)).mode & 0o777).toBe(0o600);
    expect(await sendToAdminSocket(dir, 'greet', { name: 'Anna' })).toEqual({ stdout: 'Hallo Anna\n', stderr: '', exitCode: 0 });
    expect(await sendToAdminSocket(dir, 'greet', { name: 'Otto' })).toEqual({
      stdout: '',
      stderr: 'Otto wurde schon begrüßt.\n',
      exitCode: 1,
    });
    expect(await sendToAdminSocket(dir, 'greet', {})).toEqual({ stdout: '', stderr: 'Bitte geben Sie einen Namen an.\n', exitCode: 2 });
    const unknown = await sendToAdminSocket(dir, 'channel add', {});
    expect(unknown?.exitCode).toBe(2);
    expect(unknown?.stderr).toContain('Der laufende Server kennt den Befehl „channel add“ nicht.');
  });

  it('answers malformed requests with 400 and a German message', async () => {
    socket = await start();
    const path = adminSocketPath(dir);
    expect(await rawPost(path, '{"command":')).toEqual({
      status: 400,
      json: expect.objectContaining({ stderr: 'Die Anfrage ist kein gültiges JSON.\n' }),
    });
    expect((await rawPost(path, JSON.stringify({ command: 'greet', options: 'Anna' }))).status).toBe(400);
  });

  it('replaces a socket file a dead server left, removes its own on close, and says when no server listens', async () => {
    // A process killed while listening leaves its socket file behind.
    const path = adminSocketPath(dir);
    spawnSync(process.execPath, [
      '-e',
      `require('node:net').createServer().listen(${JSON.stringify(path)}, () => process.kill(process.pid, 'SIGKILL'))`,
    ]);
    expect(statSync(path).isSocket()).toBe(true);
    expect(await sendToAdminSocket(dir, 'greet', { name: 'Anna' })).toBeNull();
    const fresh = await start();
    expect((await sendToAdminSocket(dir, 'greet', { name: 'Anna' }))?.exitCode).toBe(0);
    await fresh?.close();
    expect(existsSync(adminSocketPath(dir))).toBe(false);
  });

  // Handing the socket to another user needs root.
  it.skipIf(process.getuid?.() !== 0)('sends nothing to a socket that someone else owns', async () => {
    socket = await start();
    chownSync(adminSocketPath(dir), 4242, 4242);
    const refused = await sendToAdminSocket(dir, 'greet', { name: 'Anna' });
    expect(refused?.exitCode).toBe(3);
    expect(refused?.stderr).toContain('aus Sicherheitsgründen wird kein Befehl dorthin geschickt');
  });

  it('is not opened in a folder everyone may write to', async () => {
    chmodSync(dir, 0o777);
    expect(await start()).toBeNull();
    expect(existsSync(adminSocketPath(dir))).toBe(false);
  });
});
