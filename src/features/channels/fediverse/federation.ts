import { createFederation, type Federation } from '@fedify/fedify';
import { Application, Endpoints, Image, Note, type Recipient } from '@fedify/vocab';
import { count, desc, isNull } from 'drizzle-orm';
import type { AppDeps } from '../../../http/deps.ts';
import { fediverseFollowers, fediverseNotes } from '../../../infra/schema/index.ts';
import { type ActorAccount, loadActorAccount } from './actor-account.ts';
import { registerInbox } from './inbox.ts';
import { databaseKvStore } from './kv-store.ts';
import { bossMessageQueue } from './message-queue.ts';
import { createOf, findNote, listedNotes, noteOf } from './notes.ts';
import { ACTOR_PATH, NOTE_PATH, SHARED_INBOX_PATH } from './paths.ts';

export type FediverseDeps = Pick<AppDeps, 'config' | 'database' | 'queue' | 'storage' | 'clock' | 'log' | 'channels' | 'secrets'>;

export interface Fediverse {
  federation: Federation<void>;
  actorName: string;
  /** The actor's account with its keys, read once per process. */
  account(): Promise<ActorAccount>;
}

const OUTBOX_PAGE = 20;
const built = new WeakMap<object, Fediverse>();

/**
 * The town's own ActivityPub actor, built once per process and database: the web server answers
 * WebFinger, the actor and its collections and takes activities into the inbox; the worker runs the
 * queued tasks (fediverse/jobs.ts) and the outbox transport sends through it.
 */
export function fediverseOf(deps: FediverseDeps): Fediverse {
  const cached = built.get(deps.database);
  if (cached) return cached;
  const db = deps.database.db;
  const { publicUrl, townName } = deps.config;
  const actorName = deps.config.fediverse.actorName;
  const env = { publicUrl, actorName };
  let account: Promise<ActorAccount> | null = null;
  const loadAccount = () => {
    account ??= loadActorAccount(db, deps.secrets, actorName).catch((err) => {
      account = null;
      throw err;
    });
    return account;
  };
  const federation = createFederation<void>({
    kv: databaseKvStore(db, deps.clock),
    queue: bossMessageQueue(deps.queue),
    manuallyStartQueue: true,
    origin: publicUrl,
    allowPrivateAddress: deps.config.fediverse.allowPrivateAddresses,
  });

  federation
    .setActorDispatcher(ACTOR_PATH, async (ctx, identifier) => {
      if (identifier !== actorName) return null;
      const keys = await ctx.getActorKeyPairs(identifier);
      return new Application({
        id: ctx.getActorUri(identifier),
        preferredUsername: identifier,
        name: townName,
        summary: `Das offizielle Konto von ${townName}: Amtsblatt, Meldungen und Antworten auf Ihre Anliegen.`,
        url: new URL(`${publicUrl}/`),
        icon: new Image({ url: new URL(`${publicUrl}/assets/favicon.svg`), mediaType: 'image/svg+xml' }),
        inbox: ctx.getInboxUri(identifier),
        endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
        outbox: ctx.getOutboxUri(identifier),
        followers: ctx.getFollowersUri(identifier),
        following: ctx.getFollowingUri(identifier),
        manuallyApprovesFollowers: false,
        discoverable: true,
        publicKey: keys[0]?.cryptographicKey ?? null,
        assertionMethods: keys.map((k) => k.multikey),
      });
    })
    .setKeyPairsDispatcher(async (_ctx, identifier) => (identifier === actorName ? (await loadAccount()).keys : []));

  federation
    .setObjectDispatcher(Note, NOTE_PATH, async (_ctx, { id }) => {
      const row = await findNote(db, id);
      return row && !row.deletedAt ? noteOf(row, env) : null;
    })
    // A direct answer is shown only to those it names: the fetch must be signed by one of them.
    .authorize(async (ctx, { id }) => {
      const row = await findNote(db, id);
      if (!row) return true;
      if (row.to.some((uri) => uri.endsWith('#Public')) || row.cc.some((uri) => uri.endsWith('#Public'))) return true;
      const owner = await ctx.getSignedKeyOwner();
      const ownerId = owner?.id?.href;
      return ownerId !== undefined && [...row.to, ...row.cc, ...row.mentions.map((m) => m.href)].includes(ownerId);
    });

  federation
    .setOutboxDispatcher(`${ACTOR_PATH}/outbox`, async (_ctx, identifier, cursor) => {
      if (identifier !== actorName) return null;
      const page = Number(cursor ?? 0);
      const rows = (await listedNotes(db, OUTBOX_PAGE * (page + 1) + 1)).slice(OUTBOX_PAGE * page);
      return {
        items: rows.slice(0, OUTBOX_PAGE).map((row) => createOf(row, env)),
        nextCursor: rows.length > OUTBOX_PAGE ? String(page + 1) : null,
      };
    })
    .setFirstCursor(() => '0')
    .setCounter(async () => (await listedNotes(db, 10_000)).length);

  federation
    .setFollowersDispatcher(`${ACTOR_PATH}/followers`, async (_ctx, identifier) => {
      if (identifier !== actorName) return null;
      const rows = await db.select().from(fediverseFollowers).orderBy(desc(fediverseFollowers.createdAt));
      const items: Recipient[] = rows.map((r) => ({
        id: new URL(r.actorUri),
        inboxId: new URL(r.inboxUri),
        endpoints: r.sharedInboxUri ? { sharedInbox: new URL(r.sharedInboxUri) } : null,
      }));
      return { items };
    })
    .setCounter(async () => (await db.select({ n: count() }).from(fediverseFollowers))[0]?.n ?? 0);

  // The town follows nobody: the collection exists because clients expect it.
  federation.setFollowingDispatcher(`${ACTOR_PATH}/following`, (_ctx, identifier) => (identifier === actorName ? { items: [] } : null));

  federation.setNodeInfoDispatcher('/nodeinfo/2.1', async () => ({
    software: { name: 'amtsblatt', version: '2.0.0', homepage: new URL(`${publicUrl}/`) },
    protocols: ['activitypub'],
    usage: {
      users: { total: 1, activeMonth: 1, activeHalfyear: 1 },
      localPosts: (await db.select({ n: count() }).from(fediverseNotes).where(isNull(fediverseNotes.deletedAt)))[0]?.n ?? 0,
      localComments: 0,
    },
  }));

  registerInbox(federation, deps, { actorName, sharedInboxPath: SHARED_INBOX_PATH, loadAccount });

  const fediverse: Fediverse = { federation, actorName, account: loadAccount };
  built.set(deps.database, fediverse);
  return fediverse;
}
