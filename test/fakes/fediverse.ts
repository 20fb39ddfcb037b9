import { type ContextOptions, createTestContext, type TestContext } from '../helpers/context.ts';
import { freePort } from '../helpers/server.ts';

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
  const close = ctx.close;
  return Object.assign(ctx, {
    publicUrl,
    actorUri: `${publicUrl}/ap/actor/${actorName}`,
    // Two instances closing at once must not wait on each other: a request still open on one may be
    // waiting for an answer from the other (fetching an object from its origin), and a closing server
    // waits for its open requests. Cutting every connection first ends those waits at once.
    async close() {
      ctx.app.server.closeAllConnections();
      await close();
    },
  });
}
