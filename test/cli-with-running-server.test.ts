import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { amtsblatt, type ServerProcess, startServerProcess } from './helpers/processes.ts';
import { freePort } from './helpers/server.ts';

/**
 * The command line while `amtsblatt serve` runs on the embedded database: real processes, as an
 * operator runs them. A user added on the command line exists in the running server at once and
 * after a restart; a second server on the same folder is refused; a crashed server's lock is taken
 * over. Runs once (unit project): the PostgreSQL side is src/features/admin/cli.int.test.ts.
 */
describe('amtsblatt user … while the server runs on the embedded database', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'amtsblatt-live-'));
  const email = 'paula.platz@musterstadt.example';
  const password = 'ein-langes-sicheres-passwort';
  let server: ServerProcess | null = null;
  const serve = async () => {
    server = await startServerProcess({ DATA_DIR: dataDir, PORT: String(await freePort()) });
    return server;
  };
  const cli = (args: string[], stdin = '') => amtsblatt(args, { DATA_DIR: dataDir }, stdin);
  afterAll(async () => {
    await server?.stop('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Signs in through the server's real login form; true when a session cookie comes back. */
  async function signIn(baseUrl: string): Promise<boolean> {
    const page = await fetch(`${baseUrl}/anmelden`, { headers: { accept: 'text/html' } });
    const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
    const cookie = page.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const res = await fetch(`${baseUrl}/anmelden`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: token, email, password }).toString(),
    });
    return res.status === 303 && res.headers.getSetCookie().some((c) => /^amtsblatt_sid=[^;]+/.test(c));
  }

  it('adds a user through the running server, who can sign in there at once and after a restart', { timeout: 600_000 }, async () => {
    const first = await serve();
    expect(await signIn(first.baseUrl)).toBe(false);

    const add = await cli(
      ['user', 'add', '--email', email, '--name', 'Paula Platz', '--role', 'admin', '--password-stdin'],
      `${password}\n`,
    );
    expect(add.stderr).toBe('');
    expect(add.code).toBe(0);
    expect(add.stdout).toContain(`Zugang angelegt: Paula Platz <${email}>, Rolle Verwaltung`);
    expect(await signIn(first.baseUrl)).toBe(true);
    // Only the server's own user may connect.
    const socket = statSync(join(dataDir, 'admin.sock'));
    expect(socket.isSocket()).toBe(true);
    expect(socket.mode & 0o777).toBe(0o600);

    const list = await cli(['user', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/paula\.platz@musterstadt\.example\s+Paula Platz\s+Verwaltung\s+–\s+aktiv/);
    const again = await cli(['user', 'add', '--email', email, '--name', 'Paula Platz']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('Für diese E-Mail-Adresse gibt es schon einen Zugang.');

    const stopped = await first.stop();
    expect(stopped.code).toBe(0);
    expect(existsSync(join(dataDir, 'database.lock'))).toBe(false);
    expect(existsSync(join(dataDir, 'admin.sock'))).toBe(false);
    const second = await serve();
    expect(await signIn(second.baseUrl)).toBe(true);
  });

  it('refuses a second server on the same folder, naming the running one, and leaves that one running', { timeout: 300_000 }, async () => {
    const running = server ?? (await serve());
    // Without the lock, a second server would open the folder again and keep running: killed after a minute.
    const refused = await amtsblatt(['serve'], { DATA_DIR: dataDir, PORT: String(await freePort()) }, '', 60_000);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(
      new RegExp(
        `Die eingebettete Datenbank in .+ wird gerade von Prozess ${running.pid} \\(amtsblatt serve, seit \\d\\d:\\d\\d\\) benutzt\\.`,
      ),
    );
    expect(refused.stderr).toContain('Beenden Sie zuerst den laufenden oder wählen Sie mit DATA_DIR einen anderen Ordner.');
    expect((await fetch(`${running.baseUrl}/health`)).status).toBe(200);
    expect(await signIn(running.baseUrl)).toBe(true);
  });

  it('takes over the lock and the socket a killed server left, with a warning', { timeout: 300_000 }, async () => {
    const killed = server ?? (await serve());
    await killed.stop('SIGKILL');
    const left = JSON.parse(readFileSync(join(dataDir, 'database.lock'), 'utf8')) as { pid: number };
    expect(left.pid).toBe(killed.pid);
    expect(statSync(join(dataDir, 'admin.sock')).isSocket()).toBe(true);

    const restarted = await serve();
    expect(restarted.output().stdout).toContain('took over the lock of the embedded database from a process that no longer runs');
    const list = await cli(['user', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(email);
    // Another feature's command takes the same way.
    const models = await cli(['classifier', 'list']);
    expect(models.code).toBe(0);
    expect(models.stdout).toContain('Noch kein Modell.');
    expect(await signIn(restarted.baseUrl)).toBe(true);
  });
});
