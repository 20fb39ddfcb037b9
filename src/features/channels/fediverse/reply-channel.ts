import { randomUUID } from 'node:crypto';
import { and, desc, eq, like } from 'drizzle-orm';
import { enqueueOutbound } from '../../../infra/outbox.ts';
import { messages } from '../../../infra/schema/index.ts';
import type { ChannelAdapter } from '../types.ts';
import { fediverseThreadKey, noteUriOf } from './paths.ts';
import type { FediversePayload } from './payload.ts';

const THREAD_PREFIX = 'fediverse:';

/**
 * Answers to a case that came in as a Note: a Note of the town's actor in reply to the citizen's
 * last Note, with the same visibility unless staff chose another (a direct message stays direct:
 * addressed to that person only). The Note's URI is fixed now, so the citizen's answer to it
 * threads into the case. Nothing automatic is sent: a Note is always written by a person.
 */
export function fediverseChannel(env: { publicUrl: string }): ChannelAdapter {
  return {
    name: 'fediverse',
    writesAcknowledgement: () => false,
    async acknowledge() {
      return { delivered: false, note: 'Im Fediverse geht keine automatische Eingangsbestätigung hinaus.' };
    },
    async reply(tx, c, p) {
      const [last] = await tx
        .select({ threadKey: messages.threadKey, visibility: messages.visibility })
        .from(messages)
        .where(and(eq(messages.caseId, c.id), eq(messages.kind, 'inbound'), like(messages.threadKey, `${THREAD_PREFIX}%`)))
        .orderBy(desc(messages.createdAt), desc(messages.id))
        .limit(1);
      if (!last?.threadKey || !c.contact) {
        return { delivered: false, note: 'Kein Fediverse-Beitrag der Person gefunden: Bitte antworten Sie auf anderem Weg.' };
      }
      const uuid = randomUUID();
      const visibility = p.visibility ?? last.visibility ?? 'direct';
      const signature = [p.staffName, p.teamName].filter(Boolean).join(', ');
      const payload: FediversePayload = {
        action: 'reply',
        uuid,
        text: signature ? `${p.body.trim()}\n\n– ${signature}` : p.body.trim(),
        inReplyTo: last.threadKey.slice(THREAD_PREFIX.length),
        visibility,
      };
      const written = await enqueueOutbound(tx, {
        kind: 'fediverse',
        channelAccountId: c.channelAccountId,
        contactId: c.contact.id,
        address: c.contact.address,
        caseId: c.id,
        payload,
        threadRef: payload.inReplyTo,
        automatic: p.automatic ?? false,
        ...(p.idempotencyKey ? { idempotencyKey: p.idempotencyKey } : {}),
      });
      if (written.outcome === 'capped')
        return { delivered: false, note: 'Heute gingen schon genug automatische Nachrichten an diese Person.' };
      const how = visibility === 'direct' ? 'als Direktnachricht' : visibility === 'public' ? 'öffentlich' : 'als Antwort';
      return {
        delivered: true,
        note: `im Fediverse ${how} an ${c.contact.address}`,
        threadKey: fediverseThreadKey(noteUriOf(env.publicUrl, uuid)),
      };
    },
  };
}
