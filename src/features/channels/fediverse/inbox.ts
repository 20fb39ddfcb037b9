import { randomUUID } from 'node:crypto';
import type { Federation, InboxContext } from '@fedify/fedify';
import { Accept, Announce, Create, Delete, Follow, Like, Note, Undo, Update } from '@fedify/vocab';
import { and, eq, isNotNull } from 'drizzle-orm';
import { caseReactions, fediverseFollowers, messages, posts, postTargets } from '../../../infra/schema/index.ts';
import type { IntakeDeps } from '../../intake/service.ts';
import type { ActorAccount } from './actor-account.ts';
import type { FediverseDeps } from './federation.ts';
import { intakeNote, type TrustedNote } from './intake.ts';
import { fediverseThreadKey } from './paths.ts';

interface InboxEnv {
  actorName: string;
  sharedInboxPath: string;
  loadAccount(): Promise<ActorAccount>;
}

/**
 * What the actor's inbox does with each activity. Fedify has verified the HTTP signature (or the
 * object proof) and that the signer is the activity's actor before a listener runs; an unsigned
 * or wrongly signed POST is answered 401 and never reaches here. Objects are fetched again from
 * their origin (signed as the town's actor, so a direct note can be read) and only that copy is used.
 */
export function registerInbox(federation: Federation<void>, deps: FediverseDeps, env: InboxEnv): void {
  const db = deps.database.db;
  const log = deps.log.child({ module: 'fediverse' });
  const intake: IntakeDeps = {
    db,
    queue: deps.queue,
    storage: deps.storage,
    clock: deps.clock,
    log,
    channels: deps.channels,
    config: deps.config,
  };
  const own = (ctx: InboxContext<void>) => ctx.getActorUri(env.actorName).href;
  const ownNoteOf = (ctx: InboxContext<void>, uri: URL | null) => (uri && ctx.parseUri(uri)?.type === 'object' ? uri.href : null);

  /** The note as its origin serves it now; null when gone, not a Note, or not written by `actor`. */
  async function fetchNote(ctx: InboxContext<void>, id: URL | null, actor: URL | null): Promise<TrustedNote | null> {
    if (!id || !actor || id.origin !== actor.origin) return null;
    const documentLoader = await ctx.getDocumentLoader({ identifier: env.actorName });
    const note = await ctx.lookupObject(id, { documentLoader }).catch(() => null);
    if (!(note instanceof Note) || note.id?.href !== id.href || note.attributionId?.href !== actor.href) return null;
    const author = await note.getAttribution({ documentLoader }).catch(() => null);
    if (!author?.id) return null;
    return { note, author };
  }

  const caseOfNote = async (noteUri: string) => {
    const [row] = await db
      .select({ caseId: messages.caseId })
      .from(messages)
      .where(eq(messages.threadKey, fediverseThreadKey(noteUri)))
      .limit(1);
    return row?.caseId ?? null;
  };

  /** A reply to one of the town's published Amtsblatt posts names it for staff. */
  const postTitleOf = async (noteUri: string) => {
    const [row] = await db
      .select({ title: posts.title })
      .from(postTargets)
      .innerJoin(posts, eq(posts.id, postTargets.postId))
      .where(and(eq(postTargets.externalRef, noteUri), isNotNull(postTargets.channelAccountId)))
      .limit(1);
    return row?.title ?? null;
  };

  async function take(ctx: InboxContext<void>, trusted: TrustedNote, edit: boolean): Promise<void> {
    const { note } = trusted;
    const mentioned = note.tagIds.some((href) => href.href === own(ctx)) || [...note.toIds, ...note.ccIds].some((u) => u.href === own(ctx));
    const repliesToOurs = ownNoteOf(ctx, note.replyTargetId);
    const known = note.id ? await caseOfNote(note.id.href) : null;
    if (!edit && !mentioned && !repliesToOurs) return;
    if (edit && known === null) return;
    const account = await env.loadAccount();
    if (!account.enabled) return;
    const postTitle = note.replyTargetId ? await postTitleOf(note.replyTargetId.href) : null;
    const result = await intakeNote(intake, trusted, { account, actorUri: own(ctx), edit, postTitle });
    if (result) log.info({ caseId: result.caseId, outcome: result.outcome }, 'fediverse note taken in');
  }

  federation
    .setInboxListeners(`/ap/actor/{identifier}/inbox`, env.sharedInboxPath)
    .on(Follow, async (ctx, follow) => {
      if (!follow.id || !follow.actorId || follow.objectId?.href !== own(ctx)) return;
      const follower = await follow.getActor(ctx);
      if (!follower?.id || follower.id.href !== follow.actorId.href || !follower.inboxId) return;
      const row = {
        actorUri: follower.id.href,
        handle: follower.preferredUsername ? `@${follower.preferredUsername}@${follower.id.host}` : null,
        inboxUri: follower.inboxId.href,
        sharedInboxUri: follower.endpoints?.sharedInbox?.href ?? null,
        followId: follow.id.href,
      };
      await db.insert(fediverseFollowers).values(row).onConflictDoUpdate({ target: fediverseFollowers.actorUri, set: row });
      await ctx.sendActivity(
        { identifier: env.actorName },
        follower,
        new Accept({ id: new URL(`${own(ctx)}#accepts/${randomUUID()}`), actor: ctx.getActorUri(env.actorName), object: follow }),
      );
    })
    .on(Undo, async (_ctx, undo) => {
      const object = await undo.getObject({ crossOrigin: 'ignore' }).catch(() => null);
      if (!(object instanceof Follow) || !undo.actorId || object.actorId?.href !== undo.actorId.href) return;
      await db.delete(fediverseFollowers).where(eq(fediverseFollowers.actorUri, undo.actorId.href));
    })
    .on(Create, async (ctx, create) => {
      const trusted = await fetchNote(ctx, create.objectId, create.actorId);
      if (trusted) await take(ctx, trusted, false);
    })
    .on(Update, async (ctx, update) => {
      const trusted = await fetchNote(ctx, update.objectId, update.actorId);
      if (trusted) await take(ctx, trusted, true);
    })
    .on(Delete, async (ctx, del) => {
      const id = del.objectId;
      if (!id || !del.actorId || id.origin !== del.actorId.origin) return;
      const caseId = await caseOfNote(id.href);
      if (caseId === null) return;
      const account = await env.loadAccount();
      await intakeNote(intake, null, { account, actorUri: own(ctx), edit: false, postTitle: null, deleted: { noteUri: id.href } });
    })
    // The town follows nobody by itself; an Accept is only noted (a follow made by hand, a test).
    .on(Accept, async (_ctx, accept) => {
      log.info({ actor: accept.actorId?.href }, 'fediverse follow accepted');
    })
    .on(Like, async (ctx, like) => reactTo(ctx, like.objectId, like.actorId, 'like'))
    .on(Announce, async (ctx, announce) => reactTo(ctx, announce.objectId, announce.actorId, 'boost'))
    .onError((_ctx, err) => log.warn({ err }, 'fediverse inbox activity failed'));

  async function reactTo(ctx: InboxContext<void>, object: URL | null, actor: URL | null, kind: 'like' | 'boost') {
    const ours = ownNoteOf(ctx, object);
    if (!ours || !actor) return;
    const caseId = await caseOfNote(ours);
    if (caseId === null) return;
    await db.insert(caseReactions).values({ caseId, channel: 'fediverse', kind, actorRef: actor.href }).onConflictDoNothing();
  }
}
