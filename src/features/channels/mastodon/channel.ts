import { randomUUID } from 'node:crypto';
import { and, desc, eq, isNotNull, like } from 'drizzle-orm';
import { z } from 'zod';
import type { Tx } from '../../../infra/db.ts';
import { enqueueOutbound } from '../../../infra/outbox.ts';
import { messages, type Visibility, visibilities } from '../../../infra/schema/index.ts';
import { oneLine } from '../../../infra/text-input.ts';
import type { CaseForChannel, ChannelAdapter, OutboundResult } from '../types.ts';

/** An outbox row of kind `mastodon`: a status to post (answer or publication), an edit, a deletion. */
export const mastodonPayload = z.discriminatedUnion('action', [
  z.object({
    action: z.literal('post'),
    text: z.string().min(1),
    visibility: z.enum(visibilities),
    /** The status answered (the citizen's latest in the thread); null for a new post. */
    inReplyToId: z.string().nullable(),
    spoilerText: z.string().nullable().default(null),
    media: z.array(z.object({ storageKey: z.string(), mimeType: z.string(), alt: z.string().min(1) })).default([]),
    /** The answer's message carries this key until the status exists; then "mastodon:<status id>". */
    pendingThreadKey: z.string().nullable().default(null),
  }),
  z.object({
    action: z.literal('edit'),
    statusId: z.string(),
    text: z.string().min(1),
    spoilerText: z.string().nullable().default(null),
    media: z.array(z.object({ storageKey: z.string(), mimeType: z.string(), alt: z.string().min(1) })).default([]),
  }),
  z.object({ action: z.literal('delete'), statusId: z.string() }),
]);
export type MastodonPayload = z.input<typeof mastodonPayload>;

export const pendingThreadKey = (key: string) => `mastodon:pending:${key}`;

/** The citizen's latest status in the case: what an answer replies to, and how visible it was. */
async function lastCitizenStatus(tx: Tx, caseId: number) {
  const [row] = await tx
    .select({ threadKey: messages.threadKey, visibility: messages.visibility })
    .from(messages)
    .where(
      and(eq(messages.caseId, caseId), eq(messages.kind, 'inbound'), isNotNull(messages.threadKey), like(messages.threadKey, 'mastodon:%')),
    )
    .orderBy(desc(messages.id))
    .limit(1);
  const id = row?.threadKey ? /^mastodon:(\d+)/.exec(row.threadKey)?.[1] : undefined;
  return { statusId: id ?? null, visibility: row?.visibility ?? null };
}

/**
 * Answers a case from Mastodon on the town's account: a status in reply to the citizen's latest,
 * with the same visibility unless staff chose otherwise (a DM stays a DM), the citizen's handle
 * first, so it reaches them. The tracking link only goes into direct messages: in a public answer
 * anybody could follow it.
 */
export function mastodonChannel(env: { townName: string }): ChannelAdapter {
  const send = async (
    tx: Tx,
    c: CaseForChannel,
    p: { text: (visibility: Visibility) => string; visibility?: Visibility | undefined; automatic: boolean; key: string },
  ): Promise<OutboundResult> => {
    const to = c.contact;
    if (to?.kind !== 'fediverse') return { delivered: false, note: 'Kein Mastodon-Konto bekannt: Bitte antworten Sie von Hand.' };
    if (!c.channelAccountId) return { delivered: false, note: 'Das Mastodon-Konto der Stadt fehlt: Bitte antworten Sie von Hand.' };
    const last = await lastCitizenStatus(tx, c.id);
    const visibility = p.visibility ?? last.visibility ?? 'direct';
    const written = await enqueueOutbound(tx, {
      kind: 'mastodon',
      channelAccountId: c.channelAccountId,
      contactId: to.id,
      address: to.address,
      caseId: c.id,
      payload: {
        action: 'post',
        text: `@${to.address} ${p.text(visibility)}`,
        visibility,
        inReplyToId: last.statusId,
        pendingThreadKey: pendingThreadKey(p.key),
      } satisfies MastodonPayload,
      threadRef: last.statusId,
      idempotencyKey: p.key,
      automatic: p.automatic,
    });
    if (written.outcome === 'capped') return { delivered: false, note: `Keine automatische Antwort an @${to.address}: heute schon genug.` };
    if (written.outcome === 'repeat') return { delivered: false, note: `Bereits an @${to.address} geschickt.` };
    const how = visibility === 'direct' ? 'als Direktnachricht' : visibility === 'public' ? 'öffentlich' : 'auf Mastodon';
    return { delivered: true, note: `Antwort ${how} an @${to.address}`, threadKey: pendingThreadKey(p.key) };
  };
  return {
    name: 'mastodon',
    writesAcknowledgement: (c) => c.contact?.kind === 'fediverse',
    acknowledge(tx, c, { trackingUrl, body }) {
      return send(tx, c, {
        automatic: true,
        key: `ack:mastodon:${c.id}`,
        text: (visibility) =>
          [
            body?.trim() || `Danke für Ihren Hinweis! Er ist bei der Stadt ${env.townName} angekommen.`,
            `Vorgang ${c.number}.`,
            visibility === 'direct' ? `Stand jederzeit hier: ${trackingUrl}` : '',
          ]
            .filter(Boolean)
            .join(' '),
      });
    },
    reply(tx, c, p) {
      return send(tx, c, {
        automatic: p.automatic ?? false,
        key: p.idempotencyKey ?? randomUUID(),
        visibility: p.visibility,
        text: (visibility) =>
          [
            p.body.trim(),
            '',
            `– ${oneLine(p.staffName)}, ${oneLine(p.signature?.trim() || p.teamName || `Stadt ${env.townName}`)}`,
            visibility === 'direct' && p.trackingUrl ? `Vorgang ${c.number}: ${p.trackingUrl}` : `Vorgang ${c.number}`,
          ].join('\n'),
      });
    },
  };
}
