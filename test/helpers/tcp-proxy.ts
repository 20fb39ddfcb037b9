import { connect, createServer, type Socket } from 'node:net';

/**
 * A TCP relay on a free loopback port in front of a real server, so a test can cut every open
 * connection at a chosen moment (a mailbox connection dropped in the middle of a fetch).
 */
export interface TcpProxy {
  port: number;
  /** Destroys every relayed connection; new ones are accepted again. */
  cutAll(): void;
  /** Everything clients sent through the relay so far (to prove what never crossed the wire). */
  fromClients(): Buffer;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
  const open = new Set<Socket>();
  const sent: Buffer[] = [];
  const server = createServer((inbound) => {
    inbound.on('data', (chunk: Buffer) => sent.push(chunk));
    const outbound = connect(targetPort, targetHost);
    for (const s of [inbound, outbound]) {
      open.add(s);
      s.on('close', () => open.delete(s));
      s.on('error', () => {
        inbound.destroy();
        outbound.destroy();
      });
    }
    inbound.pipe(outbound);
    outbound.pipe(inbound);
    inbound.on('close', () => outbound.destroy());
    outbound.on('close', () => inbound.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('no port');
  const cutAll = () => {
    for (const s of open) s.destroy();
  };
  return {
    port: address.port,
    cutAll,
    fromClients: () => Buffer.concat(sent),
    close: () =>
      new Promise<void>((resolve) => {
        cutAll();
        server.close(() => resolve());
      }),
  };
}
