import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/**
 * A real SMTP server on loopback that keeps what it receives, raw. With `login` it wants that login
 * (the peer channel accounts send through and test against); without, it takes anyone. TLS:
 * none by default (no STARTTLS offered), `smtps` from the first byte, or `starttls` offered.
 * `logins` counts every AUTH attempt, so a test can prove no credentials were sent.
 */
export async function startSmtpPeer(
  login?: { user: string; password: string },
  tls?: { mode: 'smtps' | 'starttls'; key: string; cert: string },
) {
  const received: { to: string[]; raw: Buffer; secure: boolean }[] = [];
  const logins = { attempts: 0 };
  const server = new SMTPServer({
    secure: tls?.mode === 'smtps',
    ...(tls ? { key: tls.key, cert: tls.cert } : {}),
    disabledCommands: [...(tls?.mode === 'starttls' ? [] : ['STARTTLS']), ...(login ? [] : ['AUTH'])],
    authOptional: !login,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      logins.attempts++;
      if (login && auth.username === login.user && auth.password === login.password) return callback(null, { user: auth.username });
      return callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks), secure: session.secure });
        callback();
      });
    },
  });
  // A client that dies mid-session (a killed server) resets its connection: not the peer's end.
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { port, received, logins, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
