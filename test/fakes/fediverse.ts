import { createServer } from 'node:net';
import { type ContextOptions, createTestContext, type TestContext } from '../helpers/context.ts';

/** A port free right now on loopback (the app must know its PUBLIC_URL before it listens). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface FediverseInstance extends TestContext {
  publicUrl: string;
  actorUri: string;
}

/**
 * A whole instance of the app listening on 127.0.0.1 with its own PUBLIC_URL, so two of them
 * federate with real HTTP and real signatures. Private addresses are allowed only here.
 */
export async function listeningInstance(opts: ContextOptions & { actorName?: string } = {}): Promise<FediverseInstance> {
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const actorName = opts.actorName ?? 'amtsblatt';
  const ctx = await createTestContext({
    ...opts,
    env: { PUBLIC_URL: publicUrl, FEDIVERSE_ACTOR: actorName, FEDIVERSE_ALLOW_PRIVATE_ADDRESSES: 'true', ...opts.env },
  });
  await ctx.app.listen({ port, host: '127.0.0.1' });
  return Object.assign(ctx, { publicUrl, actorUri: `${publicUrl}/ap/actor/${actorName}` });
}
