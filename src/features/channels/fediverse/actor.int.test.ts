import { Application, lookupObject, OrderedCollection } from '@fedify/vocab';
import { getDocumentLoader } from '@fedify/vocab-runtime';
import { lookupWebFinger } from '@fedify/webfinger';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type FediverseInstance, listeningInstance } from '../../../../test/fakes/fediverse.ts';
import { runData } from '../../../../test/helpers/commands.ts';
import { describeDb } from '../../../../test/helpers/context.ts';
import { channelAccounts } from '../../../infra/schema/index.ts';
import { fediverseChannelAdd } from './commands.ts';

/** Fedify's own document loader, allowed on loopback as its CLI is with --allow-private-address. */
const loopback = { documentLoader: getDocumentLoader({ allowPrivateAddress: true }) };

describeDb('the town’s own Fediverse actor, as Fedify’s client resolves it', () => {
  let a: FediverseInstance;
  beforeAll(async () => {
    a = await listeningInstance();
  });
  afterAll(async () => {
    await a?.close();
  });

  it('answers WebFinger, serves the actor with both keys and its outbox', async () => {
    const jrd = await lookupWebFinger(a.actorUri, { allowPrivateAddress: true });
    expect([jrd?.subject, ...(jrd?.aliases ?? [])]).toContain(`acct:amtsblatt@${new URL(a.publicUrl).host}`);
    expect(jrd?.links?.find((l) => l.rel === 'self')?.href).toBe(a.actorUri);

    const actor = await lookupObject(a.actorUri, loopback);
    expect(actor).toBeInstanceOf(Application);
    const app = actor as Application;
    expect(app.name?.toString()).toBe('Musterstadt');
    expect(app.inboxId?.href).toBe(`${a.actorUri}/inbox`);
    expect(app.endpoints?.sharedInbox?.href).toBe(`${a.publicUrl}/ap/inbox`);
    expect(app.followersId?.href).toBe(`${a.actorUri}/followers`);
    expect(app.followingId?.href).toBe(`${a.actorUri}/following`);
    expect((await app.getPublicKey())?.id?.href).toMatch(/#main-key$/);
    const methods = [];
    for await (const m of app.getAssertionMethods()) methods.push(m);
    expect(methods).toHaveLength(2);

    const outbox = await lookupObject(`${a.actorUri}/outbox`, loopback);
    expect(outbox).toBeInstanceOf(OrderedCollection);
  });

  it('keeps its key pairs sealed in the database, on the account the status page lists', async () => {
    const [account] = await a.db.select().from(channelAccounts).where(eq(channelAccounts.kind, 'fediverse'));
    expect(account?.settings).toEqual({ actorName: 'amtsblatt' });
    expect(account?.secrets).not.toContain('"d"');
    const keys = JSON.parse(a.secrets.open(account?.secrets ?? ''));
    expect(Object.keys(keys)).toEqual(['rsa', 'ed25519']);
    const served = await (await a.app.inject({ url: '/ap/actor/amtsblatt', headers: { accept: 'application/activity+json' } })).json();
    expect(served.publicKey.publicKeyPem).toContain('BEGIN PUBLIC KEY');
  });

  it('sends a browser asking for the actor to the home page, and unknown paths to the 404 page', async () => {
    const html = await a.app.inject({ url: '/ap/actor/amtsblatt', headers: { accept: 'text/html' } });
    expect(html.statusCode).toBe(303);
    const unknown = await a.app.inject({ url: '/ap/actor/niemand', headers: { accept: 'application/activity+json' } });
    expect(unknown.statusCode).toBe(404);
  });

  it('refuses an activity larger than 256 KiB with 413', async () => {
    const res = await a.app.inject({
      method: 'POST',
      url: '/ap/actor/amtsblatt/inbox',
      headers: { 'content-type': 'application/activity+json' },
      payload: JSON.stringify({ type: 'Create', content: 'x'.repeat(300 * 1024) }),
    });
    expect(res.statusCode).toBe(413);
  });

  it('amtsblatt channel add fediverse names the actor and keeps the one account', async () => {
    const result = await runData(a, fediverseChannelAdd, { name: 'Fediverse Musterstadt' });
    expect(result.stdout).toContain(`@amtsblatt@${new URL(a.publicUrl).host}`);
    expect(await a.db.select().from(channelAccounts).where(eq(channelAccounts.kind, 'fediverse'))).toHaveLength(1);
  });
});
