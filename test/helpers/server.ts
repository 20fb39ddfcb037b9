import { createServer } from 'node:net';
import { type ContextOptions, createTestContext, type TestContext } from './context.ts';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** A real server on a free loopback port, with PUBLIC_URL matching it so links in pages and mails work. */
export async function startServer(opts: ContextOptions = {}): Promise<TestContext & { baseUrl: string }> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const ctx = await createTestContext({ ...opts, env: { PUBLIC_URL: baseUrl, ...opts.env } });
  await ctx.app.listen({ port, host: '127.0.0.1' });
  return { ...ctx, baseUrl };
}
