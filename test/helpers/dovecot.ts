import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { chmod, chown } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

/**
 * A real IMAP server for the tests: Dovecot (Debian: dovecot-imapd) on a free loopback port, with
 * a throwaway configuration, one user (passwd-file, plain passwords) and its maildir, all in a
 * temporary folder that is removed afterwards. Without `tls` there is no TLS at all (no STARTTLS
 * either); with it, the plain port offers STARTTLS and `tlsPort` speaks IMAPS.
 *
 * Dovecot refuses to run its login and mail processes as root. Run as root (as CI does), the
 * login process uses Debian's "dovenull", internal services "dovecot", and the mail "nobody";
 * as another user, everything runs as that user.
 */
export const DOVECOT = '/usr/sbin/dovecot';

export interface Dovecot {
  host: string;
  port: number;
  user: string;
  password: string;
  /** imap://user:password@127.0.0.1:port/INBOX?tls=none, as `amtsblatt channel add` takes it. */
  url: string;
  /** The IMAPS port (implicit TLS), with `tls`; else null. */
  tlsPort: number | null;
  stop(): Promise<void>;
}

/**
 * False when Dovecot is not installed: outside CI the caller skips, after a loud warning; with
 * CI=true this throws, since CI installs it (.ci/run).
 */
export function dovecotAvailable(): boolean {
  if (existsSync(DOVECOT)) return true;
  const message = `Dovecot fehlt (${DOVECOT}; Debian-Paket dovecot-imapd): die Tests mit echtem IMAP-Server werden übersprungen.`;
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(`\n⚠ ${message}\n`);
  return false;
}

/** The password may hold anything but a colon (passwd-file separates its fields with it). */
export async function startDovecot(
  opts: { user?: string; password?: string; tls?: { certFile: string; keyFile: string } } = {},
): Promise<Dovecot> {
  const user = opts.user ?? 'postfach';
  const password = opts.password ?? 'richtig-geheim';
  const dir = mkdtempSync(join(tmpdir(), 'amtsblatt-dovecot-'));
  const port = await freePort();
  const tlsPort = opts.tls ? await freePort() : null;
  const root = process.getuid?.() === 0;
  const me = userInfo().username;
  const mailUid = root ? 65534 : (process.getuid?.() ?? 65534);
  const mailGid = root ? 65534 : (process.getgid?.() ?? 65534);
  for (const sub of ['run', 'state', 'mail']) mkdirSync(join(dir, sub));
  // The mail processes run as "nobody" and must reach their maildir.
  await chmod(dir, 0o755);
  if (root) await chown(join(dir, 'mail'), mailUid, mailGid);
  writeFileSync(join(dir, 'users'), `${user}:{PLAIN}${password}\n`, { mode: 0o644 });
  writeFileSync(
    join(dir, 'dovecot.conf'),
    `protocols = imap
listen = 127.0.0.1
base_dir = ${dir}/run
state_dir = ${dir}/state
instance_name = amtsblatt-test-${port}
${opts.tls ? `ssl = yes\nssl_cert = <${opts.tls.certFile}\nssl_key = <${opts.tls.keyFile}\nssl_min_protocol = TLSv1.2` : 'ssl = no'}
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
default_internal_user = ${root ? 'dovecot' : me}
default_internal_group = ${root ? 'dovecot' : me}
default_login_user = ${root ? 'dovenull' : me}
log_path = ${dir}/dovecot.log
mail_location = maildir:${dir}/mail/%u
first_valid_uid = 1
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/users
}
userdb {
  driver = static
  args = uid=${mailUid} gid=${mailGid} home=${dir}/mail/%u
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = ${tlsPort ?? 0}${tlsPort ? '\n    ssl = yes' : ''}
  }
}
service anvil {
  chroot =
  # No growing delay after failed logins (the wrong-password tests): Dovecot's documented switch.
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
`,
  );
  const child = spawn(DOVECOT, ['-F', '-c', join(dir, 'dovecot.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const cleanUp = () => rmSync(dir, { recursive: true, force: true });
  try {
    await waitForGreeting(port, child);
  } catch (err) {
    child.kill('SIGKILL');
    await exited;
    const log = existsSync(join(dir, 'dovecot.log')) ? readFileSync(join(dir, 'dovecot.log'), 'utf8') : '';
    cleanUp();
    throw new Error(`Dovecot did not start: ${(err as Error).message}\n${stderr}\n${log}`);
  }
  const host = '127.0.0.1';
  return {
    host,
    port,
    user,
    password,
    tlsPort,
    url: `imap://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${host}:${port}/INBOX?tls=none`,
    async stop() {
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
      cleanUp();
    },
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Dovecot is ready when a connection gets its "* OK" greeting. */
async function waitForGreeting(port: number, child: ChildProcess, timeoutMs = 15_000): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (child.exitCode !== null) throw new Error(`exited with code ${child.exitCode}`);
    if (await greets(port)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no greeting on port ${port} within ${timeoutMs} ms`);
}

function greets(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('data', (chunk: Buffer) => done(chunk.toString().startsWith('* OK')));
    socket.once('error', () => done(false));
    socket.setTimeout(1000, () => done(false));
  });
}
