import { randomUUID } from 'node:crypto';
import { Follow, Like, lookupObject, type OrderedCollection, traverseCollection } from '@fedify/vocab';
import { getDocumentLoader } from '@fedify/vocab-runtime';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type FediverseInstance, listeningInstance } from '../../../../test/fakes/fediverse.ts';
import { postForm, versionOn } from '../../../../test/helpers/cases.ts';
import { createUser, describeDb, eventually } from '../../../../test/helpers/context.ts';
import { seedBasics } from '../../../../test/helpers/fixtures.ts';
import {
  caseReactions,
  cases,
  channelAccounts,
  contacts,
  fediverseFollowers,
  fediverseNotes,
  messages,
  outbox,
} from '../../../infra/schema/index.ts';
import { fediverseOf } from './federation.ts';
import { createOf, findNote } from './notes.ts';

/** Fedify's own document loader, allowed on loopback as its CLI is with --allow-private-address. */
const loopback = { documentLoader: getDocumentLoader({ allowPrivateAddress: true }) };

/** Writes a Note of B's actor to A's actor (as a person on B would) and sends it with B's own Fedify. */
async function sendDirectNote(from: FediverseInstance, to: FediverseInstance, text: string, uuid = randomUUID()) {
  const { federation, actorName } = fediverseOf(from);
  await from.db
    .insert(fediverseNotes)
    .values({
      uuid,
      contentHtml: `<p><a href="${to.actorUri}" class="mention">@amtsblatt</a> ${text}<script>alert(1)</script></p>`,
      to: [to.actorUri],
      cc: [],
      mentions: [{ href: to.actorUri, name: '@amtsblatt' }],
    })
    .onConflictDoNothing();
  const row = await findNote(from.db, uuid);
  if (!row) throw new Error('note not stored');
  const ctx = federation.createContext(new URL(from.publicUrl), undefined);
  const recipient = await ctx.lookupObject(to.actorUri);
  if (!recipient || !('inboxId' in recipient)) throw new Error('recipient not found');
  await ctx.sendActivity({ identifier: actorName }, recipient as never, createOf(row, { publicUrl: from.publicUrl, actorName }));
  return `${from.publicUrl}/ap/notes/${uuid}`;
}

const caseCount = async (i: FediverseInstance) => (await i.db.select({ n: count() }).from(cases))[0]?.n ?? 0;

describeDb('two instances federating over loopback with real HTTP signatures', () => {
  let a: FediverseInstance;
  let b: FediverseInstance;
  const bLog: string[] = [];
  beforeAll(async () => {
    [a, b] = await Promise.all([listeningInstance(), listeningInstance({ actorName: 'nachbarstadt', logLines: bLog })]);
    await Promise.all([a.startWorkers(), b.startWorkers()]);
  }, 120_000);
  // Two apps with their job workers stop in turn; on a busy machine that outlasts the default hook timeout.
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
  }, 120_000);

  it('refuses an unsigned or wrongly signed activity with 401 and stores nothing', async () => {
    const activity = {
      '@context': 'https://www.w3.org/ns/activitystreams',
      id: `${b.actorUri}#fake-${randomUUID()}`,
      type: 'Create',
      actor: b.actorUri,
      object: {
        id: `${b.publicUrl}/ap/notes/${randomUUID()}`,
        type: 'Note',
        attributedTo: b.actorUri,
        to: [a.actorUri],
        content: 'gefälscht',
      },
    };
    const post = (headers: Record<string, string>) =>
      fetch(`${a.actorUri}/inbox`, {
        method: 'POST',
        headers: { 'content-type': 'application/activity+json', ...headers },
        body: JSON.stringify(activity),
      });
    expect((await post({})).status).toBe(401);
    const forged = await post({
      date: new Date().toUTCString(),
      signature: `keyId="${b.actorUri}#main-key",algorithm="rsa-sha256",headers="(request-target) host date",signature="${Buffer.from('nein').toString('base64')}"`,
    });
    expect(forged.status).toBe(401);
    expect(await caseCount(a)).toBe(0);
  });

  it('B follows A: A keeps the follower and B gets the Accept', async () => {
    const { federation, actorName } = fediverseOf(b);
    const ctx = federation.createContext(new URL(b.publicUrl), undefined);
    const target = await ctx.lookupObject(a.actorUri);
    await ctx.sendActivity(
      { identifier: actorName },
      target as never,
      new Follow({ id: new URL(`${b.actorUri}#follows/${randomUUID()}`), actor: new URL(b.actorUri), object: new URL(a.actorUri) }),
    );
    const follower = await eventually(async () => (await a.db.select().from(fediverseFollowers))[0]);
    expect(follower.actorUri).toBe(b.actorUri);
    await eventually(async () => bLog.some((l) => l.includes('fediverse follow accepted')));
  });

  it('a direct Note to A opens one case (also when replayed); the answer reaches only that person on B', async () => {
    const uuid = randomUUID();
    const noteUri = await sendDirectNote(b, a, 'Die Straßenlaterne in der Gartenstraße ist seit Tagen aus.', uuid);
    const kase = await eventually(async () => (await a.db.select().from(cases))[0]);
    // Replayed: the same activity delivered again stores nothing new.
    await sendDirectNote(b, a, 'Die Straßenlaterne in der Gartenstraße ist seit Tagen aus.', uuid);
    const [inbound] = await a.db.select().from(messages).where(eq(messages.caseId, kase.id));
    expect(inbound?.visibility).toBe('direct');
    expect(inbound?.threadKey).toBe(`fediverse:${noteUri}`);
    expect(inbound?.body).toBe('Die Straßenlaterne in der Gartenstraße ist seit Tagen aus.');
    const [contact] = await a.db.select().from(contacts);
    expect(contact?.kind).toBe('fediverse');
    expect(contact?.address).toBe(`nachbarstadt@${new URL(b.publicUrl).host}`);

    const town = await seedBasics(a.db);
    const clerk = await createUser(a, { teamIds: [town.teams.leitstelle.id], role: 'admin' });
    const pageUrl = `/staff/faelle/${kase.number}`;
    const page = await a.app.inject({ url: pageUrl, headers: { cookie: clerk.cookie, accept: 'text/html' } });
    const res = await postForm(a, pageUrl, `${pageUrl}/antwort`, clerk.cookie, {
      version: versionOn(page.body),
      body: 'Danke, wir tauschen sie morgen.',
    });
    expect(res.statusCode).toBe(303);

    // On B the answer is a Note mentioning B's actor: B takes it in like any direct message.
    const answer = await eventually(async () => (await b.db.select().from(messages).where(eq(messages.kind, 'inbound')))[0], 20_000);
    expect(answer.visibility).toBe('direct');
    expect(answer.body).toContain('Danke, wir tauschen sie morgen.');
    const [sent] = await a.db.select().from(fediverseNotes);
    expect(sent?.to).toEqual([b.actorUri]);
    expect(sent?.cc).toEqual([]);
    expect(sent?.inReplyTo).toBe(noteUri);
    expect(await caseCount(a)).toBe(1);
  });

  it('counts a like of the answer on the case, and publishes a public Note that the outbox lists', async () => {
    const [answer] = await a.db.select().from(fediverseNotes);
    const { federation, actorName } = fediverseOf(b);
    const ctx = federation.createContext(new URL(b.publicUrl), undefined);
    const target = await ctx.lookupObject(a.actorUri);
    const like = new Like({
      id: new URL(`${b.actorUri}#likes/${randomUUID()}`),
      actor: new URL(b.actorUri),
      object: new URL(`${a.publicUrl}/ap/notes/${answer?.uuid}`),
    });
    await ctx.sendActivity({ identifier: actorName }, target as never, like);
    await eventually(async () => (await a.db.select().from(caseReactions))[0]);

    const publisher = a.publishers.get('fediverse');
    if (!publisher) throw new Error('no fediverse publisher');
    const [account] = await a.db.select({ id: channelAccounts.id }).from(channelAccounts).where(eq(channelAccounts.kind, 'fediverse'));
    const req = {
      accountId: account?.id ?? 0,
      text: 'Der Wochenmarkt findet am Samstag statt.',
      media: [],
      visibility: 'public' as const,
      idempotencyKey: 'post-1',
    };
    const first = await a.db.transaction((tx) => publisher.publish(tx, req));
    const again = await a.db.transaction((tx) => publisher.publish(tx, req));
    expect(again.outboxId).toBe(first.outboxId);
    await eventually(async () => (await a.db.select().from(outbox).where(eq(outbox.id, first.outboxId)))[0]?.status === 'sent');
    const listed = await lookupObject(`${a.actorUri}/outbox`, loopback);
    const items = [];
    for await (const item of traverseCollection(listed as OrderedCollection, loopback)) items.push(item);
    // The outbox lists the public post, never the direct answer.
    expect(items).toHaveLength(1);
  });
});
