import { and, desc, eq, like } from 'drizzle-orm';
import type { Tx } from '../../../infra/db.ts';
import { enqueueOutbound } from '../../../infra/outbox.ts';
import { messages } from '../../../infra/schema/index.ts';
import type { ChannelAdapter } from '../types.ts';
import { type BlueskyPayload, pendingThreadKey } from './payload.ts';
import { splitForPosts } from './text.ts';

const noAutomaticPost = {
  delivered: false,
  note: 'Keine automatische Eingangsbestätigung auf Bluesky: Dort ist jede Antwort öffentlich. Bitte antworten Sie aus dem Anliegen.',
};

/**
 * Answers a case that came from Bluesky as a public reply in the citizen's thread (Bluesky has
 * no direct messages for accounts like the town's). A long answer becomes a thread of replies.
 * No tracking link: it is personal, and the reply is public.
 */
export function blueskyChannel(env: { townName: string }): ChannelAdapter {
  return {
    name: 'bluesky',
    writesAcknowledgement: () => false,
    acknowledge: async () => noAutomaticPost,
    async reply(tx, c, p) {
      if (c.contact?.kind !== 'bluesky' || !c.channelAccountId) {
        return { delivered: false, note: 'Kein Bluesky-Konto zum Antworten bekannt: Bitte antworten Sie dort von Hand.' };
      }
      const replyTo = await lastCitizenPost(tx, c.id);
      const sign = `– ${p.teamName ?? env.townName}`;
      const payload: BlueskyPayload = { op: 'post', parts: splitForPosts(`${p.body.trim()}\n\n${sign}`), replyTo, images: [], done: [] };
      const written = await enqueueOutbound(tx, {
        kind: 'bluesky',
        channelAccountId: c.channelAccountId,
        contactId: c.contact.id,
        address: c.contact.address,
        caseId: c.id,
        payload,
        threadRef: replyTo,
        automatic: p.automatic ?? false,
        ...(p.idempotencyKey ? { idempotencyKey: p.idempotencyKey } : {}),
      });
      if (written.outcome === 'repeat') return { delivered: false, note: `Bereits an @${c.contact.address} geschickt.` };
      if (written.outcome === 'capped') return { delivered: false, note: 'Keine weitere automatische Antwort an dieses Konto heute.' };
      const thread = payload.parts.length > 1 ? ` (als Thread aus ${payload.parts.length} Beiträgen)` : '';
      return {
        delivered: true,
        note: `öffentlich auf Bluesky an @${c.contact.address}${thread}`,
        threadKey: pendingThreadKey(written.id),
      };
    },
  };
}

/** The AT URI of the citizen's latest post in the case: our answer replies to it. */
async function lastCitizenPost(tx: Tx, caseId: number): Promise<string | null> {
  const [row] = await tx
    .select({ key: messages.threadKey })
    .from(messages)
    .where(and(eq(messages.caseId, caseId), eq(messages.kind, 'inbound'), like(messages.threadKey, 'bluesky:at://%')))
    .orderBy(desc(messages.createdAt), desc(messages.id))
    .limit(1);
  return row?.key?.slice('bluesky:'.length) ?? null;
}
