import { type AppBskyFeedPost, type AtpAgent, RichText } from '@atproto/api';
import { eq } from 'drizzle-orm';
import type { Logger } from '../../../infra/log.ts';
import type { Transport } from '../../../infra/outbox.ts';
import { messages, outbox } from '../../../infra/schema/index.ts';
import type { Storage } from '../../../infra/storage.ts';
import { type BlueskyDeps, isAuthProblem, loadBlueskyAccount, problemText, recordContact, withAgent } from './client.ts';
import { type BlueskyPayload, blueskyPayload, blueskyThreadKey, pendingThreadKey } from './payload.ts';

type PostOp = Extract<BlueskyPayload, { op: 'post' }>;
type Ref = { uri: string; cid: string };

/**
 * Delivers the outbox's Bluesky rows through the account's own session: a post (an answer in the
 * citizen's thread with reply.root/reply.parent, or a publication with images and alt text), a
 * thread of them, or a deletion. Links and @handles become facets, resolved on the account's server.
 */
export function blueskyTransport(deps: BlueskyDeps & { storage: Storage; log: Logger }): Transport<BlueskyPayload> {
  return {
    kind: 'bluesky',
    payload: blueskyPayload,
    async deliver(row, payload) {
      const account = row.channelAccountId ? await loadBlueskyAccount(deps, row.channelAccountId) : undefined;
      if (!account) throw new Error('Das Bluesky-Konto, über das dieser Beitrag gehen sollte, gibt es nicht mehr.');
      if (!account.enabled)
        throw new Error(`Das Bluesky-Konto „${account.name}“ ist abgeschaltet; der Beitrag wartet, bis es wieder an ist.`);
      try {
        const externalRef = await withAgent(deps, account, (agent) =>
          payload.op === 'delete' ? remove(agent, payload.uri) : post(agent, row.id, payload),
        );
        await recordContact(deps, account, { ok: true });
        if (row.caseId && payload.op === 'post') {
          // The citizen answers our (last) post: its thread key leads back to the case.
          await deps.db
            .update(messages)
            .set({ threadKey: blueskyThreadKey(externalRef) })
            .where(eq(messages.threadKey, pendingThreadKey(row.id)));
        }
        deps.log.info({ outboxId: row.id, accountId: account.id, op: payload.op }, 'bluesky item delivered');
        return { status: 'sent', externalRef };
      } catch (err) {
        if (isAuthProblem(err)) await recordContact(deps, account, { ok: false, error: problemText(err, deps.clock.now()) });
        throw new Error(problemText(err, deps.clock.now()), { cause: err });
      }
    },
  };

  async function post(agent: AtpAgent, outboxId: number, payload: PostOp): Promise<string> {
    const done = [...payload.done];
    let root: Ref | null = null;
    let parent: Ref | null = null;
    if (payload.replyTo) {
      const { data } = await agent.app.bsky.feed.getPosts({ uris: [payload.replyTo] });
      const answered = data.posts[0];
      if (!answered) throw new Error('Der Beitrag, auf den geantwortet werden sollte, ist auf Bluesky gelöscht.');
      parent = { uri: answered.uri, cid: answered.cid };
      const ownRoot = (answered.record as Partial<AppBskyFeedPost.Record>).reply?.root;
      root = ownRoot?.uri && ownRoot.cid ? { uri: ownRoot.uri, cid: ownRoot.cid } : parent;
    }
    for (const [i, text] of payload.parts.entries()) {
      const already = done[i];
      if (already) {
        root ??= already;
        parent = already;
        continue;
      }
      const rt = new RichText({ text });
      await rt.detectFacets(agent);
      const record: Partial<AppBskyFeedPost.Record> & Omit<AppBskyFeedPost.Record, 'createdAt'> = {
        $type: 'app.bsky.feed.post',
        text: rt.text,
        langs: ['de'],
        ...(rt.facets?.length ? { facets: rt.facets } : {}),
        ...(root && parent ? { reply: { root, parent } } : {}),
      };
      if (i === 0 && payload.images.length > 0) record.embed = await imagesEmbed(agent, payload.images);
      const created = await agent.post(record);
      done.push({ uri: created.uri, cid: created.cid });
      // Kept at once: a retry after a failure in the middle of a thread continues, it does not post twice.
      await deps.db
        .update(outbox)
        .set({ payload: { ...payload, done } })
        .where(eq(outbox.id, outboxId));
      root ??= { uri: created.uri, cid: created.cid };
      parent = { uri: created.uri, cid: created.cid };
    }
    const last = done.at(-1);
    if (!last) throw new Error('nothing posted');
    // A publication is known by its first post (edits and deletes name it); an answer by its last, which the citizen answers.
    return payload.replyTo ? last.uri : (done[0] as Ref).uri;
  }

  async function imagesEmbed(agent: AtpAgent, images: PostOp['images']): Promise<AppBskyFeedPost.Record['embed']> {
    const uploaded = [];
    for (const image of images) {
      const data = await deps.storage.get(image.storageKey);
      const { data: out } = await agent.uploadBlob(data, { encoding: image.mimeType });
      uploaded.push({ image: out.blob, alt: image.alt });
    }
    return { $type: 'app.bsky.embed.images', images: uploaded };
  }

  async function remove(agent: AtpAgent, uri: string): Promise<string> {
    await agent.deletePost(uri);
    return uri;
  }
}
