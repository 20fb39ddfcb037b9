import { and, desc, eq, isNotNull } from 'drizzle-orm';
import type { Tx } from '../../infra/db.ts';
import { type ChannelName, messages } from '../../infra/schema/index.ts';
import { acknowledgementText, replyText, subjects } from './mail-texts.ts';
import { enqueueMail, newMessageId } from './outbox.ts';
import type { CaseForChannel, ChannelAdapter, OutboundResult } from './types.ts';

/**
 * Web form and e-mail both answer by mail to the reporter's address. Every mail carries a
 * Message-ID of ours plus In-Reply-To/References to the thread so far, so the citizen's mail
 * program shows one conversation and their answer can be matched to the case.
 */
export function mailChannel(name: Extract<ChannelName, 'web' | 'email'>, env: { publicUrl: string; townName: string }): ChannelAdapter {
  const noAddress = (): OutboundResult => ({
    delivered: false,
    note: 'Keine E-Mail-Adresse angegeben: Die Antwort ist nur über den persönlichen Link der meldenden Person zu lesen.',
    outboxIds: [],
  });
  return {
    name,
    writesAcknowledgement: (c) => Boolean(c.reporterEmail),
    async acknowledge(tx, c, { trackingUrl, body }) {
      if (!c.reporterEmail) return noAddress();
      const thread = await threadOf(tx, c);
      const messageId = newMessageId(env.publicUrl, c.number);
      const id = await enqueueMail(tx, {
        caseId: c.id,
        to: c.reporterEmail,
        subject: subjects.acknowledgement(c.number),
        text: acknowledgementText({
          name: c.reporterName,
          number: c.number,
          trackingUrl,
          townName: env.townName,
          ...(body ? { body } : {}),
        }),
        messageId,
        inReplyTo: thread.at(-1) ?? null,
        references: thread,
      });
      return { delivered: true, note: `Bestätigung an ${c.reporterEmail}`, outboxIds: [id], mailMessageId: messageId };
    },
    async reply(tx, c, p) {
      if (!c.reporterEmail) return noAddress();
      const thread = await threadOf(tx, c);
      const messageId = newMessageId(env.publicUrl, c.number);
      const id = await enqueueMail(tx, {
        caseId: c.id,
        to: c.reporterEmail,
        subject: subjects.reply(c.number),
        text: replyText({
          name: c.reporterName,
          body: p.body,
          staffName: p.staffName,
          teamName: p.teamName,
          signature: p.signature ?? null,
          townName: env.townName,
          trackingUrl: p.trackingUrl,
          number: c.number,
        }),
        messageId,
        inReplyTo: thread.at(-1) ?? null,
        references: thread,
      });
      return { delivered: true, note: `per E-Mail an ${c.reporterEmail}`, outboxIds: [id], mailMessageId: messageId };
    },
  };
}

/** Message-IDs of the thread so far, oldest first (RFC 5322 References), capped to stay short. */
async function threadOf(tx: Tx, c: CaseForChannel): Promise<string[]> {
  const rows = await tx
    .select({ id: messages.mailMessageId })
    .from(messages)
    .where(and(eq(messages.caseId, c.id), isNotNull(messages.mailMessageId)))
    .orderBy(desc(messages.createdAt), desc(messages.id))
    .limit(20);
  return rows
    .map((r) => r.id)
    .filter((id): id is string => Boolean(id))
    .reverse();
}
